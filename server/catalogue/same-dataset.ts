/**
 * Same dataset, other provider: TCIA, IDC and a national node often catalogue one dataset each. A shared DOI or
 * landing page is the evidence (keys: schemas/dataset-key.ts).
 */
import type { CollectionFields } from '../../schemas/collection.js';
import { datasetKeys } from '../../schemas/dataset-key.js';
import type { ServiceContext as Ctx } from '../core/context.js';
import { notFound } from '../core/errors.js';
import * as q from './queries.js';

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
