/**
 * Pure translation between the API and Meilisearch: parsed query + who is asking → one multi-search
 * request, and Meilisearch's answers → API response. The visibility filter is always the first
 * clause of every query, so hits, total and facet counts all come from the set the actor may see.
 *
 * Facet counts are disjunctive: a facet with a selection is counted with every other filter applied
 * but not its own (so ticking CT still shows MR with the count it would add); facets without a
 * selection, `total`, hits and `facetStats` use the full filter.
 */
import type { SearchParams, SearchResponse as MeiliResponse } from 'meilisearch';
import type { Actor } from '../auth/actor.js';
import { collectionMeiliFilter, quote } from '../policy/index.js';
import {
  FACETS,
  RANGES,
  type FacetName,
  type NumericRange,
  type RangeName,
  type SearchHit,
  type SearchQuery,
  type SearchResponse,
  type SortOption,
} from '../../schemas/search.js';
import { filterValues } from '../../schemas/vocab/filter-values.js';
import { FACET_ATTRIBUTE, HIT_ATTRIBUTES, RANGE_ATTRIBUTES, SORT_ATTRIBUTE } from './index-settings.js';

export { quote };

/** Who may see what, as a filter expression (the policy's Meilisearch form); undefined = everything (admins). */
export const visibilityFilter = (actor: Actor): string | undefined => collectionMeiliFilter(actor, 'view');

export type FilterParams = Partial<Record<`filter[${FacetName}]`, string[] | undefined>> &
  Partial<Record<`range[${RangeName}]`, NumericRange | undefined>>;

/**
 * Normalised filter values (the same normaliser as the collection list API): "MRI" → MR, ICD-10 input in any
 * accepted form, 4-character codes to their category.
 */
export function facetValues(facet: FacetName, values: string[]): string[] {
  return filterValues(facet, values);
}

/** The clause each selected facet contributes (none for hasSegmentation=true&false: no constraint). */
export function facetClauses(params: FilterParams): Partial<Record<FacetName, string>> {
  const out: Partial<Record<FacetName, string>> = {};
  for (const facet of FACETS) {
    const values = params[`filter[${facet}]`];
    if (!values?.length) continue;
    const attr = FACET_ATTRIBUTE[facet];
    if (facet === 'hasSegmentation') {
      if (new Set(values).size === 1) out[facet] = `${attr} = ${values[0] === 'true'}`;
      continue;
    }
    out[facet] = `${attr} IN [${[...new Set(facetValues(facet, values))].map(quote).join(', ')}]`;
  }
  return out;
}

/**
 * AND across facets and ranges, OR within one facet; the visibility clause first, always.
 * `except` leaves out that facet's own clause (its disjunctive counts, its value search).
 */
export function buildFilter(actor: Actor, params: FilterParams, except?: FacetName): string[] {
  return filterOf(visibilityFilter(actor), facetClauses(params), params, except);
}

function filterOf(vis: string | undefined, facetClause: Partial<Record<FacetName, string>>, params: FilterParams, except?: FacetName) {
  const clauses: string[] = [];
  if (vis) clauses.push(vis);
  for (const [facet, clause] of Object.entries(facetClause) as [FacetName, string][]) {
    if (facet !== except) clauses.push(clause);
  }
  for (const range of RANGES) {
    const r = params[`range[${range}]`];
    if (!r) continue;
    const { low, high } = RANGE_ATTRIBUTES[range];
    // Overlap: the collection's [low, high] meets the requested [min, max].
    if (r.min !== undefined) clauses.push(`${high} >= ${r.min}`);
    if (r.max !== undefined) clauses.push(`${low} <= ${r.max}`);
  }
  return clauses;
}

export function sortParam(sort: SortOption | undefined): string[] | undefined {
  if (!sort) return undefined;
  const [field, dir] = sort.split(':') as [keyof typeof SORT_ATTRIBUTE, string];
  return [`${SORT_ATTRIBUTE[field]}:${dir}`];
}

const FACET_ATTRS = [...new Set(Object.values(FACET_ATTRIBUTE))];
const STAT_ATTRS = [...new Set(Object.values(RANGE_ATTRIBUTES).flatMap((r) => [r.low, r.high]))];

// Private-use markers, not HTML: the text is escaped first, then the markers become <mark>, so a
// title containing markup can never reach a client as markup.
export const HIGHLIGHT = { pre: '\uE000', post: '\uE001' };

export function highlightHtml(s: string): string {
  return escapeHtml(s).replaceAll(HIGHLIGHT.pre, '<mark>').replaceAll(HIGHLIGHT.post, '</mark>');
}

type Query = SearchParams & { q: string };

/** One planned `GET /api/v1/search`: the main query, then one counting query per selected facet. */
export interface SearchPlan {
  main: Query;
  /** Facets counted without their own selection, in the order of `queries` after the main one. */
  disjunctive: FacetName[];
  queries: Query[];
  /** Position of the subjects-sum query in `queries` (with `sum=subjects`). */
  sumAt?: number;
}

/** Most matches the subjects sum reads; beyond it the sum is marked inexact. */
export const SUM_LIMIT = 10_000;

/**
 * The Meilisearch queries for `GET /api/v1/search` (the benchmark sends these same queries directly):
 * the main query (hits, exact total, counts of the facets without a selection, numeric stats) and,
 * per facet with a selection, a query for that facet's counts only (no hits) under every other filter.
 */
export function planSearch(actor: Actor, query: SearchQuery): SearchPlan {
  const q = query.q?.trim() ?? '';
  // The visibility clause and each facet's clause once (normalising values costs), then combined.
  const vis = visibilityFilter(actor);
  const clauses = facetClauses(query);
  const filter = filterOf(vis, clauses, query);
  const sort = sortParam(query.sort);
  const disjunctive = FACETS.filter((f) => f in clauses);
  const distinct = query.collapse === 'true' ? { distinct: 'datasetKey' } : {};
  const selectedAttrs = new Set(disjunctive.map((f) => FACET_ATTRIBUTE[f]));
  const main: Query = {
    q,
    ...(filter.length ? { filter } : {}),
    ...(sort ? { sort } : {}),
    page: query.page,
    hitsPerPage: query.hitsPerPage,
    facets: [...FACET_ATTRS.filter((a) => !selectedAttrs.has(a)), ...STAT_ATTRS],
    attributesToRetrieve: HIT_ATTRIBUTES,
    ...(q
      ? {
          // The description is cropped around the match and highlighted in it: the result card's snippet.
          attributesToHighlight: ['title', 'description'],
          attributesToCrop: ['description'],
          cropLength: 30,
          highlightPreTag: HIGHLIGHT.pre,
          highlightPostTag: HIGHLIGHT.post,
        }
      : {}),
    locales: ['eng'],
    ...distinct,
  };
  const counting = disjunctive.map((f): Query => {
    const others = filterOf(vis, clauses, query, f);
    return { q, ...(others.length ? { filter: others } : {}), limit: 0, facets: [FACET_ATTRIBUTE[f]], locales: ['eng'], ...distinct };
  });
  const queries = [main, ...counting];
  if (query.sum !== 'subjects') return { main, disjunctive, queries };
  const sum: Query = {
    q,
    ...(filter.length ? { filter } : {}),
    limit: SUM_LIMIT,
    attributesToRetrieve: ['subjects'],
    locales: ['eng'],
    ...distinct,
  };
  return { main, disjunctive, queries: [...queries, sum], sumAt: queries.length };
}

/** The body of the one `POST /multi-search` (not federated: one answer per query). */
export function multiSearchBody(indexUid: string, plan: SearchPlan): { queries: (Query & { indexUid: string })[] } {
  return { queries: plan.queries.map((q) => ({ indexUid, ...q })) };
}

type Doc = Record<string, unknown>;

/** The API answer from the multi-search results, in the order of `plan.queries`. */
export function toSearchResponse(results: MeiliResponse<Doc>[], plan: SearchPlan, query: SearchQuery): Omit<SearchResponse, 'labels'> {
  const [res] = results;
  if (!res || results.length !== plan.queries.length) {
    throw new Error(`multi-search answered ${results.length} results for ${plan.queries.length} queries`);
  }
  const dist = { ...res.facetDistribution };
  plan.disjunctive.forEach((f, i) => {
    const attr = FACET_ATTRIBUTE[f];
    dist[attr] = results[i + 1]!.facetDistribution?.[attr] ?? {};
  });
  const facets = {} as SearchResponse['facets'];
  for (const f of FACETS) facets[f] = sortFacetCounts(dist[FACET_ATTRIBUTE[f]] ?? {});
  const stats = res.facetStats ?? {};
  const facetStats: SearchResponse['facetStats'] = {};
  for (const r of RANGES) {
    const { low, high } = RANGE_ATTRIBUTES[r];
    const lo = stats[low];
    const hi = stats[high];
    if (lo && hi) facetStats[r] = { min: lo.min, max: hi.max };
  }
  return {
    hits: res.hits.map((h) => toHit(h, !!query.q?.trim())),
    total: res.totalHits ?? res.estimatedTotalHits ?? 0,
    page: res.page ?? query.page,
    hitsPerPage: res.hitsPerPage ?? query.hitsPerPage,
    facets,
    facetStats,
    ...(plan.sumAt !== undefined ? { sum: subjectsSum(results[plan.sumAt]!) } : {}),
  };
}

/**
 * Most frequent first; equal counts by value. Meilisearch leaves ties in its internal order, which
 * documents hidden from this actor can change: a stable key means nothing hidden moves anything visible.
 * The values are the keys of one object, never equal, so the comparator needs no `0` branch.
 */
export function sortFacetCounts(counts: Record<string, number>): Record<string, number> {
  // Meilisearch sorts by count already; most lists need no reordering, so check in place first
  // (no entries array: this runs for every facet of every search).
  let prev: string | undefined;
  let prevCount = 0;
  for (const value in counts) {
    const count = counts[value]!;
    if (prev !== undefined && (count > prevCount || (count === prevCount && value < prev))) {
      return Object.fromEntries(Object.entries(counts).sort(facetOrder));
    }
    prev = value;
    prevCount = count;
  }
  return counts;
}

const facetOrder = ([va, a]: [string, number], [vb, b]: [string, number]) => b - a || (va < vb ? -1 : 1);

function subjectsSum(r: MeiliResponse<Doc>): { subjects: number; exact: boolean } {
  const subjects = r.hits.reduce((acc, h) => acc + (typeof h.subjects === 'number' ? h.subjects : 0), 0);
  const total = r.totalHits ?? r.estimatedTotalHits ?? r.hits.length;
  return { subjects, exact: total <= SUM_LIMIT && r.hits.length >= Math.min(total, SUM_LIMIT) };
}

function toHit(h: Doc, highlight: boolean): SearchHit {
  const formatted = h._formatted as Doc | undefined;
  const hl: Record<string, string> = {};
  if (highlight && formatted) {
    for (const k of ['title', 'description'] as const) {
      const v = formatted[k];
      if (typeof v === 'string' && v.includes(HIGHLIGHT.pre)) hl[k] = highlightHtml(v);
    }
  }
  return {
    id: h.id as string,
    title: h.title as string,
    ...(typeof h.acronym === 'string' && h.acronym ? { acronym: h.acronym } : {}),
    provider: { id: h.providerId as string, name: (h.providerName as string) ?? (h.providerId as string) },
    visibility: h.visibility as SearchHit['visibility'],
    modalities: (h.modalities as SearchHit['modalities']) ?? [],
    bodyParts: (h.bodyParts as SearchHit['bodyParts']) ?? [],
    conditions: (h.conditions as SearchHit['conditions']) ?? [],
    ...(typeof h.subjects === 'number' ? { subjectsCount: h.subjects } : {}),
    ...(h.accessRightsCoding ? { accessRights: h.accessRightsCoding as SearchHit['accessRights'] } : {}),
    ...(Object.keys(hl).length ? { _highlight: hl } : {}),
  };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
