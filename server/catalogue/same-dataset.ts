/**
 * Same dataset, other provider: TCIA, IDC and a national node often catalogue one dataset each. A shared DOI or
 * landing page is the evidence. Keys are normalised the same way here and in SQL (queries.ts `sameDatasetRows`):
 * lower case, no scheme, no `www.` / `doi.org/` / `doi:` prefix, no trailing slash.
 */
import type { CollectionFields } from '../../schemas/collection.js';
import type { ServiceContext as Ctx } from '../core/context.js';
import { notFound } from '../core/errors.js';
import * as q from './queries.js';

/** `https://doi.org/10.7937/K9/TCIA.2016.X` → `10.7937/k9/tcia.2016.x`; `https://www.a.org/x/` → `a.org/x`. */
export function datasetKey(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const k = value
    .trim()
    .toLowerCase()
    .replace(/^(https?:)?\/\//, '')
    .replace(/^(www\.|dx\.doi\.org\/|doi\.org\/|doi:\s*)/, '')
    .replace(/\/+$/, '');
  return k.length >= 6 ? k : undefined;
}

/** The keys that identify the dataset a collection describes: its PID, landing page and DOI identifiers. */
export function datasetKeys(f: Pick<CollectionFields, 'pid' | 'landingPage' | 'otherIdentifiers'>): string[] {
  const raw = [f.pid, f.landingPage, ...(f.otherIdentifiers ?? []).filter((o) => /doi/i.test(o.scheme)).map((o) => o.value)];
  return [...new Set(raw.map(datasetKey).filter((k): k is string => k !== undefined))];
}

/** A collection of another provider that describes the same dataset. */
export interface SameDatasetEntry {
  id: string;
  title: string;
  providerId: string;
  providerName: string;
}

/**
 * "Also catalogued by …": the collections of other providers sharing this one's DOI or landing page, among
 * those the actor may see (a private collection of another provider is never revealed). 404 as for reading.
 */
export async function sameDatasetOf(ctx: Ctx, id: string): Promise<SameDatasetEntry[]> {
  const row = await q.getVisibleCollectionRow(ctx.db, id, ctx.actor);
  if (!row) throw notFound('collection');
  const rows = await q.sameDatasetRows(ctx.db, datasetKeys(row.doc as CollectionFields), row.providerId, ctx.actor);
  const names = new Map<string, string>();
  for (const r of rows) {
    if (!names.has(r.providerId)) names.set(r.providerId, (await q.getProviderRow(ctx.db, r.providerId))?.name ?? r.providerId);
  }
  return rows.map((r) => ({ id: r.id, title: r.title, providerId: r.providerId, providerName: names.get(r.providerId) ?? r.providerId }));
}
