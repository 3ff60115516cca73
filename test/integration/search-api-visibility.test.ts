/**
 * GET /api/v1/search against the real Meilisearch binary: the visibility rule (hits, counts,
 * facet-value search, suggestions), facet labels, errors and the OpenAPI description.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchApiWorld, type SearchApiWorld } from '../helpers/search-api-world.js';

let w: SearchApiWorld;
let t: SearchApiWorld['t'];
let admin: string, researcher: string, memberB: string, pA: string, pB: string, pC: string;
let ids: SearchApiWorld['ids'];
let search: SearchApiWorld['search'];
let pgCount: SearchApiWorld['pgCount'];

beforeAll(async () => {
  w = await searchApiWorld();
  ({ t, admin, researcher, memberB, pA, pB, pC, ids, search, pgCount } = w);
});
afterAll(async () => w?.close());

describe('visibility', () => {
  const privateCounted = (r: Awaited<ReturnType<typeof search>>) =>
    r.hits.some((h) => h.id === ids.glioma) || 'BRAIN' in r.facets.bodyPart! || 'DE' in r.facets.country!;

  it('never shows or counts a private collection to outsiders', async () => {
    for (const as of [undefined, researcher]) {
      const r = await search('hitsPerPage=100', as);
      expect(privateCounted(r)).toBe(false);
      expect(r.total).toBe(6);
      expect((await search('q=glioblastoma', as)).total).toBe(0);
      expect((await search(`filter[provider]=${pB}`, as)).facets.modality).toEqual({ MR: 1, PT: 1 });
    }
  });

  it('shows it to members of its provider and to admins, never drafts or withdrawn ones', async () => {
    for (const as of [memberB, admin]) {
      const r = await search('hitsPerPage=100', as);
      expect(privateCounted(r)).toBe(true);
      expect(r.total).toBe(7);
      expect(r.total).toBe(await pgCount([], [pB]));
      expect(r.hits.map((h) => h.id)).not.toContain(ids.draft);
      expect(r.hits.map((h) => h.id)).not.toContain(ids.withdrawn);
    }
  });

  it('shows it to viewers of its provider too', async () => {
    const viewer = await t.user({ viewerOf: [pB] });
    const r = await search('hitsPerPage=100', viewer);
    expect(privateCounted(r)).toBe(true);
    expect(r.total).toBe(7);
  });

  it('applies the same rule to facet-value search and suggestions', async () => {
    const anon = await t.call('GET', '/api/v1/search/facets/bodyPart?q=br');
    expect(anon.status).toBe(200);
    expect(anon.body.values).toEqual([{ value: 'BREAST', count: 1 }]);
    const member = await t.call('GET', '/api/v1/search/facets/bodyPart?q=br', { as: memberB });
    expect(member.body.values.map((v: any) => v.value).sort()).toEqual(['BRAIN', 'BREAST']);
    const icd = await t.call('GET', '/api/v1/search/facets/icd10?q=c3');
    expect(icd.body.values).toEqual(
      expect.arrayContaining([
        { value: 'C34', count: 2 },
        { value: 'C30-C39', count: 2 },
      ]),
    );
    const anonSug = await t.call('GET', '/api/v1/search/suggest?q=glio');
    expect(anonSug.body.suggestions, JSON.stringify(anonSug.body)).toEqual([]);
    const sug = await t.call('GET', '/api/v1/search/suggest?q=glio', { as: admin });
    expect(sug.body.suggestions).toEqual([
      { id: ids.glioma, title: 'Glioblastoma multimodal MRI', highlight: '<mark>Glio</mark>blastoma multimodal MRI' },
    ]);
    const lung = await t.call('GET', '/api/v1/search/suggest?q=lun');
    expect(lung.body.suggestions.map((s: any) => s.id).sort()).toEqual([ids.lungCt, ids.lungPet].sort());
  });
});

describe('facet labels', () => {
  it('names provider and network facet values in the same answer, selected ones included', async () => {
    const r = await t.call('GET', `/api/v1/search?filter[provider]=${pA}`);
    expect(r.body.labels.provider).toMatchObject({ [pA]: 'Amsterdam Imaging Centre', [pC]: 'Coimbra Oncology' });
    expect(r.body.labels.network).toEqual({ 'net-eucanimage': 'EuCanImage' });
    const none = await t.call('GET', `/api/v1/search?filter[provider]=${pA}&q=zzzqqq`);
    expect(none.body.total).toBe(0);
    expect(none.body.labels.provider).toEqual({ [pA]: 'Amsterdam Imaging Centre' });
  });
});

describe('errors and documentation', () => {
  it('names the offending parameter in a 400 problem', async () => {
    const cases: [string, string][] = [
      ['filter[colour]=red', 'query.filter[colour]'],
      ['range[size]=1..2', 'query.range[size]'],
      ['range[subjects]=abc', 'query.range[subjects]'],
      ['range[subjects]=9..1', 'query.range[subjects]'],
      ['filter[hasSegmentation]=maybe', 'query.filter[hasSegmentation]'],
      ['filter[icd10]=lung', 'query.filter[icd10]'],
      ['sort=size:desc', 'query.sort'],
      ['hitsPerPage=1000', 'query.hitsPerPage'],
      ['page=0', 'query.page'],
      ['q=a&q=b', 'query.q'],
      ['colour=red', 'query.colour'],
    ];
    for (const [qs, path] of cases) {
      const res = await t.call('GET', `/api/v1/search?${qs}`);
      expect(res.status, qs).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors[0].path, qs).toBe(path);
    }
    const facet = await t.call('GET', '/api/v1/search/facets/colour?q=r');
    expect(facet.status).toBe(400);
    expect(facet.body.errors[0].path).toBe('path.facet');
  });

  it('treats filter values as data, never as filter syntax', async () => {
    const r = await search(`filter[provider]=${encodeURIComponent('x" OR visibility = "private')}`);
    expect(r.total).toBe(0);
  });

  it('documents the search API in OpenAPI and reports search readiness', async () => {
    const doc = t.openapi() as any;
    const params = doc.paths['/api/v1/search'].get.parameters.map((p: any) => p.name);
    expect(params).toEqual(expect.arrayContaining(['q', 'filter[modality]', 'filter[icd10]', 'range[age]', 'sort', 'page', 'hitsPerPage']));
    expect(doc.paths['/api/v1/search/facets/{facet}']).toBeDefined();
    expect(doc.paths['/api/v1/admin/reindex']).toBeDefined();
    const ready = await t.call('GET', '/readyz');
    expect(ready.body.checks).toMatchObject({ database: 'ok', search: 'ok' });
  });
});
