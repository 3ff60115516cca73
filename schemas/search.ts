/**
 * The faceted-search contract: `GET /api/v1/search` query parameters and response, facet-value
 * search, suggestions and the admin reindex status. Facet names here are the API names; the server
 * maps them to index attributes (server/search/index-settings.ts).
 */
import { z } from 'zod';
import { Id } from './common.js';
import { Visibility } from './collection.js';

export const FACETS = [
  'modality',
  'bodyPart',
  'cancerSite',
  'icd10',
  'sex',
  'country',
  'provider',
  'network',
  'accessRights',
  'imageDatasetType',
  'hasSegmentation',
  'duo',
  'license',
  'status',
  'species',
  'manufacturer',
  'fileFormat',
] as const;
export type FacetName = (typeof FACETS)[number];
export const FacetName = z.enum(FACETS);

export const RANGES = ['subjects', 'studies', 'age'] as const;
export type RangeName = (typeof RANGES)[number];

export const SORTS = [
  'subjects:desc',
  'subjects:asc',
  'studies:desc',
  'studies:asc',
  'title:asc',
  'title:desc',
  'modified:desc',
  'modified:asc',
] as const;
export type SortOption = (typeof SORTS)[number];

// No control characters; quotes are escaped by the server when it builds the index filter.
const FacetValue = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((v) => !/\p{Cc}/u.test(v), 'no control characters');
const many = <T extends z.ZodType<string>>(value: T) =>
  z
    .union([value, z.array(value).min(1).max(50)])
    .transform((v): string[] => (Array.isArray(v) ? v : [v]))
    .optional();

/** Parsed range: both ends inclusive, either may be open. */
export interface NumericRange {
  min?: number;
  max?: number;
}

const RangeParam = z
  .string()
  .regex(/^(\d{1,12}(\.\d{1,3})?)?\.\.(\d{1,12}(\.\d{1,3})?)?$/, 'a range like 100..500, 100.. or ..500')
  .refine((s) => s !== '..', 'give at least one end, e.g. 100.. or ..500')
  .transform((s): NumericRange => {
    const [lo = '', hi = ''] = s.split('..');
    return { ...(lo ? { min: Number(lo) } : {}), ...(hi ? { max: Number(hi) } : {}) };
  })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, 'the lower end must not exceed the upper end')
  .optional();

const facetParams = () => {
  const shape = {} as Record<`filter[${FacetName}]`, z.ZodType<string[] | undefined>>;
  for (const f of FACETS) {
    shape[`filter[${f}]`] =
      f === 'hasSegmentation'
        ? many(z.enum(['true', 'false']))
        : f === 'icd10'
          ? many(
              FacetValue.regex(
                /^([A-Za-z]\d{2}(\.?\d)?|[A-Za-z]\d{2}-[A-Za-z]\d{2}|II)$/,
                'an ICD-10 code (C34), block (C30-C39) or chapter (II)',
              ),
            )
          : many(FacetValue);
  }
  return shape;
};
const rangeParams = () => {
  const shape = {} as Record<`range[${RangeName}]`, z.ZodType<NumericRange | undefined>>;
  for (const r of RANGES) shape[`range[${r}]`] = RangeParam;
  return shape;
};

/** Shared by search, facet-value search and suggestions: the filter part of the query. */
export const SearchFilterParams = z.object({ ...facetParams(), ...rangeParams() });

export const SearchQuery = z
  .object({
    q: z.string().max(500).optional(),
    ...facetParams(),
    ...rangeParams(),
    sort: z.enum(SORTS).optional(),
    /** `true`: one hit per dataset when several providers catalogue the same DOI / landing page. */
    collapse: z.enum(['true', 'false']).optional(),
    /** `subjects`: also answer the sum of subjects over the whole result set (`sum.subjects`). */
    sum: z.enum(['subjects']).optional(),
    page: z.coerce.number().int().min(1).max(1000).default(1),
    hitsPerPage: z.coerce.number().int().min(0).max(100).default(20),
  })
  .strict();
export type SearchQuery = z.output<typeof SearchQuery>;

export const FacetSearchQuery = z.object({ q: z.string().max(200).default(''), ...facetParams(), ...rangeParams() }).strict();
export type FacetSearchQuery = z.output<typeof FacetSearchQuery>;

export const SuggestQuery = z
  .object({ q: z.string().trim().min(1).max(200), limit: z.coerce.number().int().min(1).max(20).default(8) })
  .strict();
export type SuggestQuery = z.output<typeof SuggestQuery>;

const Term = z.object({ system: z.string().optional(), code: z.string().optional(), label: z.string() });

export const SearchHit = z.object({
  id: Id,
  title: z.string(),
  acronym: z.string().optional(),
  provider: z.object({ id: Id, name: z.string() }),
  visibility: Visibility,
  modalities: z.array(Term),
  bodyParts: z.array(Term),
  conditions: z.array(Term),
  subjectsCount: z.number().optional(),
  accessRights: Term.optional(),
  /** Matched words wrapped in <mark>…</mark> (title; a cropped description); only when `q` is given. */
  _highlight: z.record(z.string(), z.string()).optional(),
});
export type SearchHit = z.infer<typeof SearchHit>;

const MinMax = z.object({ min: z.number(), max: z.number() });

export const SearchResponse = z.object({
  hits: z.array(SearchHit),
  /** Exact number of matching collections you may see. */
  total: z.number().int(),
  page: z.number().int(),
  hitsPerPage: z.number().int(),
  /**
   * Per facet: value (code or id) → number of matching collections. Disjunctive: a facet with a
   * selection is counted under every other filter but not its own; a facet without one over the
   * same set as `total`.
   */
  facets: z.record(FacetName, z.record(z.string(), z.number().int())),
  facetStats: z.object({ subjects: MinMax.optional(), studies: MinMax.optional(), age: MinMax.optional() }),
  /**
   * Display names of the provider and network facet values (those counted and those selected), so a
   * client needs no second request to label them. Other facets are coded: their labels are in the vocabularies.
   */
  labels: z.object({ provider: z.record(z.string(), z.string()), network: z.record(z.string(), z.string()) }),
  /** With `sum=subjects`: subjects summed over the result set (`exact` false beyond the first 10,000 matches). */
  sum: z.object({ subjects: z.number(), exact: z.boolean() }).optional(),
});
export type SearchResponse = z.infer<typeof SearchResponse>;

export const FacetSearchResponse = z.object({
  facet: FacetName,
  values: z.array(z.object({ value: z.string(), count: z.number().int() })),
});
export type FacetSearchResponse = z.infer<typeof FacetSearchResponse>;

export const SuggestResponse = z.object({
  suggestions: z.array(z.object({ id: Id, title: z.string(), acronym: z.string().optional(), highlight: z.string() })),
});
export type SuggestResponse = z.infer<typeof SuggestResponse>;

export const ReindexStatus = z.object({
  state: z.enum(['idle', 'running', 'succeeded', 'failed']),
  startedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime().optional(),
  /** Documents written to the new index so far / collections to index. */
  done: z.number().int(),
  total: z.number().int(),
  error: z.string().optional(),
});
export type ReindexStatus = z.infer<typeof ReindexStatus>;
