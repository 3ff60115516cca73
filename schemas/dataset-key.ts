/**
 * The keys that say which dataset a collection describes (its PID, landing page and DOI identifiers),
 * normalised the same way here and in SQL (server/catalogue/queries.ts `sameDatasetRows`): lower case,
 * no scheme, no `www.` / `doi.org/` / `doi:` prefix, no trailing slash. Pure, shared by the catalogue
 * ("also catalogued by …", import reports) and the search documents (collapsing duplicates).
 */
import type { CollectionFields } from './collection.js';

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
