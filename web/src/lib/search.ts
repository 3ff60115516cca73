/**
 * Search page state ⇄ URL ⇄ API query. The page URL is short and readable
 * (`/?q=lung&modality=CT&modality=MR&subjectsMin=100&sort=subjects:desc&page=2`); the API gets
 * `filter[modality]=CT&range[subjects]=100..&…` (schemas/search.ts). Client-safe: types only.
 */
import type { FacetName, RangeName, SortOption } from '$schemas/search';

export const FACET_LABELS: Record<FacetName, string> = {
  modality: 'Modality',
  bodyPart: 'Body part',
  cancerSite: 'Cancer site',
  icd10: 'ICD-10 code',
  sex: 'Sex',
  country: 'Country',
  provider: 'Provider',
  network: 'Network / project',
  accessRights: 'Access',
  imageDatasetType: 'Image dataset type',
  hasSegmentation: 'Segmentations',
  duo: 'Data use (DUO)',
  license: 'Licence',
  status: 'Collection status',
  species: 'Species',
  manufacturer: 'Manufacturer',
  fileFormat: 'File format',
};
export const FACET_NAMES = Object.keys(FACET_LABELS) as FacetName[];
/** Facets with many values: with JavaScript they get a "search within" box (facet-value search). */
export const SEARCHABLE_FACETS: FacetName[] = ['bodyPart', 'cancerSite', 'icd10', 'provider', 'network'];
/** Facets opened by default (the others open when they hold a selected value). */
export const OPEN_FACETS: FacetName[] = ['modality', 'bodyPart', 'cancerSite', 'accessRights'];

export const RANGE_LABELS: Record<RangeName, string> = { subjects: 'Subjects', studies: 'Studies', age: 'Age (years)' };
export const RANGE_NAMES = Object.keys(RANGE_LABELS) as RangeName[];

export const SORT_LABELS: Record<SortOption | '', string> = {
  '': 'Best match',
  'subjects:desc': 'Most subjects',
  'subjects:asc': 'Fewest subjects',
  'studies:desc': 'Most studies',
  'studies:asc': 'Fewest studies',
  'title:asc': 'Title A–Z',
  'title:desc': 'Title Z–A',
  'modified:desc': 'Recently updated',
  'modified:asc': 'Least recently updated',
};

export const HITS_PER_PAGE = 20;

export interface SearchState {
  q: string;
  filters: Partial<Record<FacetName, string[]>>;
  ranges: Partial<Record<RangeName, { min?: string; max?: string }>>;
  sort: SortOption | '';
  page: number;
}

const isNum = (s: string | null): s is string => !!s && /^\d{1,12}(\.\d{1,3})?$/.test(s.trim());

export function parseState(sp: URLSearchParams): SearchState {
  const filters: SearchState['filters'] = {};
  for (const f of FACET_NAMES) {
    const values = [
      ...new Set(
        sp
          .getAll(f)
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    ];
    if (values.length) filters[f] = values;
  }
  const ranges: SearchState['ranges'] = {};
  for (const r of RANGE_NAMES) {
    const min = sp.get(`${r}Min`);
    const max = sp.get(`${r}Max`);
    if (isNum(min) || isNum(max)) ranges[r] = { ...(isNum(min) ? { min: min.trim() } : {}), ...(isNum(max) ? { max: max.trim() } : {}) };
  }
  const sort = (sp.get('sort') ?? '') as SortOption | '';
  const page = Math.min(1000, Math.max(1, Number.parseInt(sp.get('page') ?? '1', 10) || 1));
  return { q: (sp.get('q') ?? '').trim(), filters, ranges, sort: sort in SORT_LABELS ? sort : '', page };
}

/** The page URL for a state (empty parts left out). */
export function stateHref(s: SearchState): string {
  const sp = new URLSearchParams();
  if (s.q) sp.set('q', s.q);
  for (const f of FACET_NAMES) for (const v of s.filters[f] ?? []) sp.append(f, v);
  for (const r of RANGE_NAMES) {
    const range = s.ranges[r];
    if (range?.min) sp.set(`${r}Min`, range.min);
    if (range?.max) sp.set(`${r}Max`, range.max);
  }
  if (s.sort) sp.set('sort', s.sort);
  if (s.page > 1) sp.set('page', String(s.page));
  const str = sp.toString();
  return str ? `/?${str}` : '/';
}

/** The API query string for a state. */
export function apiQuery(s: SearchState, hitsPerPage = HITS_PER_PAGE): string {
  const sp = new URLSearchParams();
  if (s.q) sp.set('q', s.q);
  for (const f of FACET_NAMES) for (const v of s.filters[f] ?? []) sp.append(`filter[${f}]`, v);
  for (const r of RANGE_NAMES) {
    const range = s.ranges[r];
    if (range && (range.min || range.max)) sp.set(`range[${r}]`, `${range.min ?? ''}..${range.max ?? ''}`);
  }
  if (s.sort) sp.set('sort', s.sort);
  sp.set('page', String(s.page));
  sp.set('hitsPerPage', String(hitsPerPage));
  return `?${sp.toString()}`;
}

/** Only the `filter[…]`/`range[…]` part of the API query (for facet-value search). */
export function apiFilterQuery(s: SearchState): string {
  const sp = new URLSearchParams(apiQuery(s));
  for (const k of ['q', 'sort', 'page', 'hitsPerPage']) sp.delete(k);
  return sp.toString();
}

export const without = (s: SearchState, facet: FacetName, value: string): SearchState => ({
  ...s,
  page: 1,
  filters: { ...s.filters, [facet]: (s.filters[facet] ?? []).filter((v) => v !== value) },
});
export const withoutRange = (s: SearchState, range: RangeName): SearchState => ({
  ...s,
  page: 1,
  ranges: { ...s.ranges, [range]: undefined },
});
export const withPage = (s: SearchState, page: number): SearchState => ({ ...s, page });
export const cleared = (s: SearchState): SearchState => ({ q: s.q, filters: {}, ranges: {}, sort: s.sort, page: 1 });

export const activeCount = (s: SearchState) =>
  Object.values(s.filters).reduce((n, v) => n + (v?.length ?? 0), 0) + Object.values(s.ranges).filter(Boolean).length;

/** Highlighted text from the API: escaped by the server; keep <mark> and nothing else. */
export const safeHighlight = (html: string) => html.replace(/<(?!\/?mark>)[^>]*>/gi, '');
