/**
 * Planning of disjunctive facet counts: one multi-search with the main query plus one counting query
 * per facet with a selection, each filtered by everything except its own facet, visibility always.
 */
import type { SearchResponse as MeiliResponse } from 'meilisearch';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, userActor } from '../../server/auth/actor.js';
import { SearchQuery } from '../../schemas/search.js';
import { FACET_ATTRIBUTE } from '../../server/search/index-settings.js';
import { buildFilter, multiSearchBody, planSearch, toSearchResponse, visibilityFilter } from '../../server/search/query.js';

const anon = ANONYMOUS;
const member = userActor({ id: 'm', name: 'M', memberships: [{ providerId: 'p1', role: 'data_manager' }] });
const admin = userActor({ id: 'a', name: 'A', isAdmin: true });
const VIS = visibilityFilter(anon)!;

const meili = (o: Partial<MeiliResponse<Record<string, unknown>>>): MeiliResponse<Record<string, unknown>> => ({
  hits: [],
  processingTimeMs: 1,
  query: '',
  ...o,
});

describe('planSearch', () => {
  it('without a selection: one query counting every facet over the full filter', () => {
    const plan = planSearch(anon, SearchQuery.parse({ q: 'lung', 'range[subjects]': '100..' }));
    expect(plan.disjunctive).toEqual([]);
    expect(plan.queries).toEqual([plan.main]);
    expect(plan.main.filter).toEqual([VIS, 'subjects >= 100']);
    expect(plan.main.facets).toEqual(expect.arrayContaining(Object.values(FACET_ATTRIBUTE)));
  });

  it('one counting query per selected facet, without its own clause, with every other filter', () => {
    const query = SearchQuery.parse({
      q: ' lung ',
      'filter[modality]': ['CT', 'MR'],
      'filter[country]': 'NL',
      'filter[icd10]': 'c34.1',
      'range[age]': '40..60',
      sort: 'subjects:desc',
      page: '3',
      hitsPerPage: '10',
    });
    const plan = planSearch(anon, query);
    const modality = 'modality IN ["CT", "MR"]';
    const icd = 'icd10Tree IN ["C34"]';
    const country = 'country IN ["NL"]';
    const age = ['ageHigh >= 40', 'ageLow <= 60'];

    // Main query: hits, totals, stats, and counts of the facets nobody selected; fully filtered.
    expect(plan.main).toMatchObject({ q: 'lung', page: 3, hitsPerPage: 10, sort: ['subjects:desc'] });
    expect(plan.main.filter).toEqual([VIS, modality, icd, country, ...age]);
    expect(plan.main.facets).not.toContain('modality');
    expect(plan.main.facets).not.toContain('icd10Tree');
    expect(plan.main.facets).not.toContain('country');
    expect(plan.main.facets).toEqual(expect.arrayContaining(['bodyPart', 'providerId', 'subjects', 'ageLow', 'ageHigh']));

    expect(plan.disjunctive).toEqual(['modality', 'icd10', 'country']);
    expect(plan.queries.slice(1)).toEqual([
      { q: 'lung', filter: [VIS, icd, country, ...age], limit: 0, facets: ['modality'], locales: ['eng'] },
      { q: 'lung', filter: [VIS, modality, country, ...age], limit: 0, facets: ['icd10Tree'], locales: ['eng'] },
      { q: 'lung', filter: [VIS, modality, icd, ...age], limit: 0, facets: ['country'], locales: ['eng'] },
    ]);
  });

  it('keeps the visibility clause first in every query, for outsiders and members', () => {
    for (const scope of [anon, member]) {
      const plan = planSearch(scope, SearchQuery.parse({ 'filter[provider]': 'p1', 'filter[bodyPart]': 'BRAIN' }));
      expect(plan.queries).toHaveLength(3);
      for (const q of plan.queries) expect((q.filter as string[])[0]).toBe(visibilityFilter(scope));
    }
    // The only selected facet: its counting query is filtered by visibility alone.
    const one = planSearch(anon, SearchQuery.parse({ 'filter[bodyPart]': 'BRAIN' }));
    expect(one.queries[1]!.filter).toEqual([VIS]);
    // Admins see everything: no filter at all.
    const adm = planSearch(admin, SearchQuery.parse({ 'filter[bodyPart]': 'BRAIN' }));
    expect(adm.queries[1]!.filter).toBeUndefined();
  });

  it('does not treat hasSegmentation=true&false (no constraint) as a selection', () => {
    const plan = planSearch(anon, SearchQuery.parse({ 'filter[hasSegmentation]': ['true', 'false'] }));
    expect(plan.disjunctive).toEqual([]);
    expect(planSearch(anon, SearchQuery.parse({ 'filter[hasSegmentation]': 'true' })).disjunctive).toEqual(['hasSegmentation']);
  });

  it('buildFilter can leave out one facet (facet-value search)', () => {
    const params = { 'filter[modality]': ['CT'], 'filter[sex]': ['female'] };
    expect(buildFilter(anon, params, 'modality')).toEqual([VIS, 'sex IN ["female"]']);
    expect(buildFilter(anon, params, 'bodyPart')).toEqual(buildFilter(anon, params));
  });

  it('sends every query to the index in one multi-search body', () => {
    const plan = planSearch(anon, SearchQuery.parse({ 'filter[modality]': 'CT' }));
    const body = multiSearchBody('collections', plan);
    expect(body.queries).toHaveLength(2);
    expect(body.queries.every((q) => q.indexUid === 'collections')).toBe(true);
    expect(body).not.toHaveProperty('federation');
  });
});

describe('toSearchResponse with counting queries', () => {
  it('takes a selected facet’s counts from its own query, the rest from the main one', () => {
    const query = SearchQuery.parse({ 'filter[modality]': 'CT', 'filter[provider]': 'p1' });
    const plan = planSearch(anon, query);
    const res = toSearchResponse(
      [
        meili({ totalHits: 2, page: 1, hitsPerPage: 20, facetDistribution: { bodyPart: { CHEST: 2 }, sex: { female: 1 } } }),
        meili({ estimatedTotalHits: 5, facetDistribution: { modality: { CT: 2, MR: 3 } } }),
        meili({ estimatedTotalHits: 4, facetDistribution: { providerId: { p1: 2, p2: 2 } } }),
      ],
      plan,
      query,
    );
    expect(res.total).toBe(2);
    expect(res.facets.modality).toEqual({ CT: 2, MR: 3 });
    expect(res.facets.provider).toEqual({ p1: 2, p2: 2 });
    expect(res.facets.bodyPart).toEqual({ CHEST: 2 });
    expect(res.facets.network).toEqual({});
  });

  it('refuses an answer with the wrong number of results', () => {
    const query = SearchQuery.parse({ 'filter[modality]': 'CT' });
    expect(() => toSearchResponse([meili({ totalHits: 0 })], planSearch(anon, query), query)).toThrow(/1 results for 2 queries/);
  });
});
