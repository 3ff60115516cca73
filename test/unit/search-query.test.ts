import { describe, expect, it } from 'vitest';
import { ANONYMOUS, userActor } from '../../server/auth/actor.js';
import { SearchQuery } from '../../schemas/search.js';
import { expandSynonyms, FACET_ATTRIBUTE, INDEX_SETTINGS } from '../../server/search/index-settings.js';
import { versionAtLeast } from '../../server/search/meili-process.js';
import {
  buildFilter,
  highlightHtml,
  HIGHLIGHT,
  planSearch,
  quote,
  sortParam,
  toSearchResponse,
  visibilityFilter,
} from '../../server/search/query.js';

const anon = ANONYMOUS;
const member = userActor({
  id: 'm',
  name: 'M',
  memberships: [
    { providerId: 'p1', role: 'data_manager' },
    { providerId: 'p2', role: 'viewer' },
  ],
});
const admin = userActor({ id: 'a', name: 'A', isAdmin: true });

describe('visibility filter', () => {
  it('anonymous and outsiders: public or protected, published', () => {
    expect(visibilityFilter(anon)).toBe('(visibility IN ["public", "protected"] AND publicationState IN ["published", "withdrawn"])');
  });
  it('members (data managers and viewers): also everything of their providers', () => {
    expect(visibilityFilter(member)).toBe(
      '(providerId IN ["p1", "p2"] OR (visibility IN ["public", "protected"] AND publicationState IN ["published", "withdrawn"]))',
    );
  });
  it('admins: no filter', () => {
    expect(visibilityFilter(admin)).toBeUndefined();
    expect(buildFilter(admin, {})).toEqual([]);
  });
});

describe('buildFilter', () => {
  it('puts visibility first, ORs within a facet, ANDs across facets', () => {
    expect(buildFilter(anon, { 'filter[modality]': ['CT', 'MR'], 'filter[provider]': ['p9'] })).toEqual([
      visibilityFilter(anon),
      'modality IN ["CT", "MR"]',
      'providerId IN ["p9"]',
    ]);
  });
  it('escapes quotes and backslashes so values stay values', () => {
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(buildFilter(admin, { 'filter[license]': ['x" OR visibility = "private'] })).toEqual([
      'license IN ["x\\" OR visibility = \\"private"]',
    ]);
  });
  it('normalises ICD-10 input and uses the ancestor-aware attribute', () => {
    expect(buildFilter(admin, { 'filter[icd10]': ['c34.1', 'C30-C39', 'urn:miriam:icd:C50'] })).toEqual([
      'icd10Tree IN ["C34", "C30-C39", "C50"]',
    ]);
  });
  it('treats hasSegmentation=true and false together as no constraint', () => {
    expect(buildFilter(admin, { 'filter[hasSegmentation]': ['true'] })).toEqual(['hasSegmentation = true']);
    expect(buildFilter(admin, { 'filter[hasSegmentation]': ['false', 'true'] })).toEqual([]);
  });
  it('ranges: open ends; age as interval overlap', () => {
    expect(buildFilter(admin, { 'range[subjects]': { min: 100, max: 500 } })).toEqual(['subjects >= 100', 'subjects <= 500']);
    expect(buildFilter(admin, { 'range[studies]': { max: 10 } })).toEqual(['studies <= 10']);
    expect(buildFilter(admin, { 'range[age]': { min: 40, max: 60 } })).toEqual(['ageHigh >= 40', 'ageLow <= 60']);
  });
});

describe('query parameters', () => {
  const parse = (o: Record<string, unknown>) => SearchQuery.safeParse(o);
  it('parses ranges, repeated filters and defaults', () => {
    const r = parse({ 'range[subjects]': '100..', 'range[age]': '..65.5', 'filter[modality]': ['CT', 'MR'], 'filter[sex]': 'female' });
    expect(r.success && r.data).toMatchObject({
      'range[subjects]': { min: 100 },
      'range[age]': { max: 65.5 },
      'filter[modality]': ['CT', 'MR'],
      'filter[sex]': ['female'],
      page: 1,
      hitsPerPage: 20,
    });
  });
  it('rejects bad values with the parameter as path', () => {
    for (const [k, v] of [
      ['range[subjects]', '..'],
      ['range[subjects]', '5..1'],
      ['range[subjects]', '-1..3'],
      ['filter[hasSegmentation]', 'yes'],
      ['filter[icd10]', 'lung'],
      ['filter[modality]', 'a\u0000b'],
      ['hitsPerPage', '101'],
      ['sort', 'title'],
    ] as const) {
      const r = parse({ [k]: v });
      expect(r.success, `${k}=${v}`).toBe(false);
      if (!r.success) expect(r.error.issues[0]!.path[0]).toBe(k);
    }
  });
});

describe('search request and response', () => {
  const query = SearchQuery.parse({ q: 'lung', 'filter[modality]': 'CT', sort: 'subjects:desc', page: '2', hitsPerPage: '5' });

  it('asks Meilisearch for exact totals, every facet and the stats', () => {
    const req = planSearch(anon, query).main;
    expect(req).toMatchObject({
      q: 'lung',
      page: 2,
      hitsPerPage: 5,
      sort: ['subjects:desc'],
      attributesToHighlight: ['title', 'description'],
    });
    expect(req.filter).toEqual([visibilityFilter(anon), 'modality IN ["CT"]']);
    const noSelection = planSearch(anon, SearchQuery.parse({ q: 'lung' })).main;
    expect(noSelection.facets).toEqual(
      expect.arrayContaining([...Object.values(FACET_ATTRIBUTE), 'subjects', 'studies', 'ageLow', 'ageHigh']),
    );
    expect(planSearch(admin, SearchQuery.parse({})).main.filter).toBeUndefined();
    expect(planSearch(admin, SearchQuery.parse({})).main.attributesToHighlight).toBeUndefined();
  });

  it('maps sort options to sortable attributes', () => {
    expect(sortParam('title:asc')).toEqual(['titleSort:asc']);
    expect(sortParam('modified:desc')).toEqual(['modified:desc']);
    expect(sortParam(undefined)).toBeUndefined();
    for (const s of ['subjects', 'studies', 'titleSort', 'modified']) expect(INDEX_SETTINGS.sortableAttributes).toContain(s);
  });

  it('shapes the response: API facet names, combined age stats, safe highlights', () => {
    const plan = planSearch(anon, SearchQuery.parse({ q: 'lung', page: '2', hitsPerPage: '5' }));
    const res = toSearchResponse(
      [
        {
          hits: [
            {
              id: 'a',
              title: 'Lung <i>x</i>',
              acronym: '',
              providerId: 'p',
              providerName: 'P',
              visibility: 'public',
              modalities: [{ code: 'CT', label: 'Computed Tomography' }],
              bodyParts: [],
              conditions: [],
              subjects: 3,
              _formatted: { title: `${HIGHLIGHT.pre}Lung${HIGHLIGHT.post} <i>x</i>`, description: 'no match' },
            },
          ],
          totalHits: 1,
          page: 2,
          hitsPerPage: 5,
          totalPages: 1,
          processingTimeMs: 1,
          query: 'lung',
          facetDistribution: { modality: { CT: 1 }, icd10Tree: { C34: 1, 'C30-C39': 1 }, providerId: { p: 1 } },
          facetStats: { subjects: { min: 3, max: 3 }, ageLow: { min: 10, max: 20 }, ageHigh: { min: 30, max: 70 } },
        },
      ],
      plan,
      query,
    );
    expect(res.total).toBe(1);
    expect(res.facets.modality).toEqual({ CT: 1 });
    expect(res.facets.icd10).toEqual({ C34: 1, 'C30-C39': 1 });
    expect(res.facets.provider).toEqual({ p: 1 });
    expect(res.facets.sex).toEqual({});
    expect(res.facetStats).toEqual({ subjects: { min: 3, max: 3 }, age: { min: 10, max: 70 } });
    expect(res.hits[0]).toEqual({
      id: 'a',
      title: 'Lung <i>x</i>',
      provider: { id: 'p', name: 'P' },
      visibility: 'public',
      modalities: [{ code: 'CT', label: 'Computed Tomography' }],
      bodyParts: [],
      conditions: [],
      subjectsCount: 3,
      _highlight: { title: '<mark>Lung</mark> &lt;i&gt;x&lt;/i&gt;' },
    });
  });

  it('escapes before marking', () => {
    expect(highlightHtml(`a & ${HIGHLIGHT.pre}<b>${HIGHLIGHT.post}`)).toBe('a &amp; <mark>&lt;b&gt;</mark>');
  });
});

describe('index settings', () => {
  it('expands synonym groups both ways', () => {
    const s = expandSynonyms([
      ['mri', 'mr'],
      ['mr', 'magnetic resonance'],
    ]);
    expect(s.mri).toEqual(['mr']);
    expect(s.mr!.sort()).toEqual(['magnetic resonance', 'mri']);
    expect(INDEX_SETTINGS.synonyms!.nsclc).toContain('non-small cell lung cancer');
  });
  it('facets are filterable, codes exact, enough values per facet', () => {
    for (const a of [...Object.values(FACET_ATTRIBUTE), 'visibility', 'providerId', 'publicationState']) {
      expect(INDEX_SETTINGS.filterableAttributes).toContain(a);
    }
    expect(INDEX_SETTINGS.typoTolerance?.disableOnAttributes).toContain('codes');
    expect(INDEX_SETTINGS.typoTolerance?.disableOnWords).toContain('c34');
    expect(INDEX_SETTINGS.faceting!.maxValuesPerFacet).toBeGreaterThanOrEqual(200);
    expect(INDEX_SETTINGS.searchableAttributes!.slice(0, 3)).toEqual(['title', 'acronym', 'keywords']);
  });
  it('compares versions', () => {
    expect(versionAtLeast('1.21.0', [1, 21])).toBe(true);
    expect(versionAtLeast('1.22.3', [1, 21])).toBe(true);
    expect(versionAtLeast('2.0.0', [1, 21])).toBe(true);
    expect(versionAtLeast('1.20.9', [1, 21])).toBe(false);
    expect(versionAtLeast('1.9.0', [1, 21])).toBe(false);
  });
});

describe('facet value order', () => {
  it('sorts by count, then by value, so ties never depend on the index internal order', async () => {
    const { sortFacetCounts } = await import('../../server/search/query.js');
    const sorted = sortFacetCounts({ Kidney: 1, Chest: 3, Brain: 1, Abdomen: 1, Liver: 3 });
    expect(Object.entries(sorted)).toEqual([
      ['Chest', 3],
      ['Liver', 3],
      ['Abdomen', 1],
      ['Brain', 1],
      ['Kidney', 1],
    ]);
  });

  it('keeps an already ordered list as it is, and reorders one whose only fault is its last pair', async () => {
    const { sortFacetCounts } = await import('../../server/search/query.js');
    const ordered = { CT: 5, MR: 5, PT: 2, US: 1 };
    expect(sortFacetCounts(ordered)).toBe(ordered);
    expect(Object.keys(sortFacetCounts({ CT: 5, MR: 4, US: 1, PT: 1 }))).toEqual(['CT', 'MR', 'PT', 'US']);
    expect(Object.keys(sortFacetCounts({ CT: 5, MR: 4, PT: 1, US: 2 }))).toEqual(['CT', 'MR', 'US', 'PT']);
    expect(sortFacetCounts({})).toEqual({});
  });
});
