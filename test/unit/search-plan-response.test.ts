/**
 * The search planner's less visible options and the shape of each hit (server/search/query.ts):
 * collapsed results, the subjects sum, hits without optional fields, highlights only for a text query.
 */
import type { SearchResponse as MeiliResponse } from 'meilisearch';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../../server/auth/actor.js';
import { SearchQuery } from '../../schemas/search.js';
import {
  buildFilter,
  escapeHtml,
  HIGHLIGHT,
  planSearch,
  SUM_LIMIT,
  toSearchResponse,
  visibilityFilter,
} from '../../server/search/query.js';

type Doc = Record<string, unknown>;
const anon = ANONYMOUS;
const VIS = visibilityFilter(anon)!;
const meili = (o: Partial<MeiliResponse<Doc>>): MeiliResponse<Doc> => ({ hits: [], processingTimeMs: 1, query: '', ...o });
const doc = (o: Doc = {}): Doc => ({ id: 'a', title: 'Lung', providerId: 'p', visibility: 'public', ...o });

/** One hit as the API returns it, for query `q` (answered by the plan's own number of results). */
function hitFor(d: Doc, params: Record<string, string> = {}) {
  const query = SearchQuery.parse(params);
  const plan = planSearch(anon, query);
  const results = plan.queries.map((_, i) => meili(i === 0 ? { hits: [d], totalHits: 1 } : {}));
  return toSearchResponse(results, plan, query).hits[0]!;
}

describe('the main query Meilisearch gets', () => {
  it('with a text query: highlighted title, cropped description, English, no collapsing', () => {
    const { main, queries } = planSearch(anon, SearchQuery.parse({ q: ' lung ' }));
    expect(main).toEqual({
      q: 'lung',
      filter: [VIS],
      page: 1,
      hitsPerPage: 20,
      facets: expect.any(Array),
      attributesToRetrieve: expect.any(Array),
      attributesToHighlight: ['title', 'description'],
      attributesToCrop: ['description'],
      cropLength: 30,
      highlightPreTag: HIGHLIGHT.pre,
      highlightPostTag: HIGHLIGHT.post,
      locales: ['eng'],
    });
    expect(queries).toEqual([main]);
  });

  it('hasSegmentation=false alone selects the collections without segmentations', () => {
    expect(buildFilter(anon, { 'filter[hasSegmentation]': ['false'] })).toEqual([VIS, 'hasSegmentation = false']);
  });
});

describe('collapsed results (one hit per dataset)', () => {
  it('collapse=true makes every query distinct by dataset: hits, facet counts and the sum alike', () => {
    const plan = planSearch(anon, SearchQuery.parse({ collapse: 'true', 'filter[modality]': 'CT', sum: 'subjects' }));
    expect(plan.queries).toHaveLength(3);
    for (const q of plan.queries) expect(q.distinct).toBe('datasetKey');
  });

  it('collapse=false or absent: no distinct attribute', () => {
    for (const params of [{ collapse: 'false' }, {}]) {
      for (const q of planSearch(anon, SearchQuery.parse({ ...params, 'filter[modality]': 'CT', sum: 'subjects' })).queries) {
        expect(q).not.toHaveProperty('distinct');
      }
    }
  });
});

describe('sum of subjects over the result set', () => {
  it('sum=subjects adds one query under the same filter, reading only the subjects of up to SUM_LIMIT matches', () => {
    const plan = planSearch(anon, SearchQuery.parse({ q: 'lung', 'filter[modality]': 'CT', sum: 'subjects' }));
    expect(plan.sumAt).toBe(2);
    expect(plan.queries).toHaveLength(3);
    expect(plan.queries[2]).toEqual({
      q: 'lung',
      filter: [VIS, 'modality IN ["CT"]'],
      limit: SUM_LIMIT,
      attributesToRetrieve: ['subjects'],
      locales: ['eng'],
    });
  });

  it('admins (no filter) get a sum query without a filter', () => {
    const admin = { ...anon, kind: 'user' as const, id: 'a', name: 'A', isAdmin: true };
    const plan = planSearch(admin as never, SearchQuery.parse({ sum: 'subjects' }));
    expect(plan.queries[plan.sumAt!]).not.toHaveProperty('filter');
  });

  it('without sum: no sum query and no sum in the answer', () => {
    const query = SearchQuery.parse({ q: 'lung' });
    const plan = planSearch(anon, query);
    expect(plan.sumAt).toBeUndefined();
    expect(toSearchResponse([meili({ totalHits: 0 })], plan, query)).not.toHaveProperty('sum');
  });

  const answer = (sumResult: Partial<MeiliResponse<Doc>>) => {
    const query = SearchQuery.parse({ sum: 'subjects' });
    const plan = planSearch(anon, query);
    return toSearchResponse([meili({ totalHits: 3 }), meili(sumResult)], plan, query).sum;
  };

  it('adds the subjects of every match (a match without a count adds nothing); exact when all were read', () => {
    expect(answer({ hits: [{ subjects: 10 }, { subjects: 5 }, {}], totalHits: 3 })).toEqual({ subjects: 15, exact: true });
    expect(answer({ hits: [{ subjects: 7 }], estimatedTotalHits: 1 })).toEqual({ subjects: 7, exact: true });
    expect(answer({ hits: [{ subjects: 7 }, { subjects: 1 }] })).toEqual({ subjects: 8, exact: true });
    expect(answer({ hits: [], totalHits: 0 })).toEqual({ subjects: 0, exact: true });
  });

  it('not exact when more matched than were read', () => {
    const read = Array.from({ length: SUM_LIMIT }, () => ({ subjects: 1 }));
    expect(answer({ hits: read, totalHits: SUM_LIMIT })).toEqual({ subjects: SUM_LIMIT, exact: true });
    expect(answer({ hits: read, totalHits: SUM_LIMIT + 1 })).toEqual({ subjects: SUM_LIMIT, exact: false });
    expect(answer({ hits: [{ subjects: 2 }], totalHits: 2 })).toEqual({ subjects: 2, exact: false });
  });
});

describe('the answer', () => {
  it('a counting query without a distribution counts nothing for its facet', () => {
    const query = SearchQuery.parse({ 'filter[modality]': 'CT' });
    const plan = planSearch(anon, query);
    const res = toSearchResponse([meili({ totalHits: 0, facetDistribution: { modality: { CT: 4 } } }), meili({})], plan, query);
    expect(res.facets.modality).toEqual({});
  });

  it('age statistics need both ends of the age interval', () => {
    const query = SearchQuery.parse({});
    const plan = planSearch(anon, query);
    const res = toSearchResponse([meili({ totalHits: 1, facetStats: { ageLow: { min: 1, max: 9 } } })], plan, query);
    expect(res.facetStats).toEqual({});
  });

  it('page and page size echo the request when Meilisearch does not say', () => {
    const query = SearchQuery.parse({ page: '3', hitsPerPage: '7' });
    const res = toSearchResponse([meili({ estimatedTotalHits: 0 })], planSearch(anon, query), query);
    expect(res).toMatchObject({ page: 3, hitsPerPage: 7, total: 0 });
    const told = toSearchResponse([meili({ totalHits: 0, page: 1, hitsPerPage: 20 })], planSearch(anon, query), query);
    expect(told).toMatchObject({ page: 1, hitsPerPage: 20 });
  });

  it('facets with equal counts are ordered by value', () => {
    const query = SearchQuery.parse({});
    const res = toSearchResponse([meili({ facetDistribution: { modality: { MR: 2, CT: 2, US: 5 } } })], planSearch(anon, query), query);
    expect(Object.keys(res.facets.modality)).toEqual(['US', 'CT', 'MR']);
  });
});

describe('one hit', () => {
  it('a hit with every optional field keeps them all', () => {
    const coding = { code: 'c_abf2', label: 'Restricted' };
    expect(
      hitFor(
        doc({
          acronym: 'LC',
          providerName: 'Site P',
          modalities: [{ code: 'CT', label: 'CT' }],
          bodyParts: [{ code: 'LUNG', label: 'Lung' }],
          conditions: [{ code: 'C34', label: 'Lung cancer' }],
          subjects: 0,
          accessRightsCoding: coding,
        }),
      ),
    ).toEqual({
      id: 'a',
      title: 'Lung',
      acronym: 'LC',
      provider: { id: 'p', name: 'Site P' },
      visibility: 'public',
      modalities: [{ code: 'CT', label: 'CT' }],
      bodyParts: [{ code: 'LUNG', label: 'Lung' }],
      conditions: [{ code: 'C34', label: 'Lung cancer' }],
      subjectsCount: 0,
      accessRights: coding,
    });
  });

  it('a bare hit: empty lists, provider named by its id, no acronym, count or access rights', () => {
    expect(hitFor(doc({ acronym: 7, subjects: '12' }))).toEqual({
      id: 'a',
      title: 'Lung',
      provider: { id: 'p', name: 'p' },
      visibility: 'public',
      modalities: [],
      bodyParts: [],
      conditions: [],
    });
  });

  it('highlights only for a text query, only fields that matched', () => {
    const formatted = { _formatted: { title: `${HIGHLIGHT.pre}Lung${HIGHLIGHT.post}` } };
    expect(hitFor(doc(formatted), { q: 'lung' })._highlight).toEqual({ title: '<mark>Lung</mark>' });
    expect(hitFor(doc(formatted), { q: '   ' })).not.toHaveProperty('_highlight');
    expect(hitFor(doc(formatted))).not.toHaveProperty('_highlight');
    expect(hitFor(doc(), { q: 'lung' })).not.toHaveProperty('_highlight');
    expect(hitFor(doc({ _formatted: { title: 'Lung', description: 7 } }), { q: 'lung' })).not.toHaveProperty('_highlight');
  });

  it('escapes every character that could open markup or leave an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
