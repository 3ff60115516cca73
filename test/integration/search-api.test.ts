/**
 * GET /api/v1/search against the real Meilisearch binary: relevance, every facet, combined facets,
 * ranges, sorting, paging, counts checked against PostgreSQL. The visibility rule, labels and errors:
 * search-api-visibility.test.ts; disjunctive facet counts in detail: search-disjunctive.test.ts.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACETS } from '../../schemas/search.js';
import { searchApiWorld, type SearchApiWorld } from '../helpers/search-api-world.js';
import { facetPredicate } from '../helpers/search-sql.js';

let w: SearchApiWorld;
let admin: string, pB: string;
let ids: SearchApiWorld['ids'];
let search: SearchApiWorld['search'];
let pgCount: SearchApiWorld['pgCount'];

beforeAll(async () => {
  w = await searchApiWorld();
  ({ admin, pB, ids, search, pgCount } = w);
});
afterAll(async () => w?.close());

describe('relevance', () => {
  it('puts the exact title first', async () => {
    const r = await search('q=Liver%20CT%20archive');
    expect(r.hits[0].id).toBe(ids.liver);
  });

  it('ranks a title match above a description match', async () => {
    const r = await search('q=lung');
    const order = r.hits.map((h) => h.id);
    expect(order.indexOf(ids.lungCt)).toBeLessThan(order.indexOf(ids.liver));
    expect(order.indexOf(ids.lungPet)).toBeLessThan(order.indexOf(ids.liver));
  });

  it('tolerates typos in words', async () => {
    expect((await search('q=prostat%20stagng')).hits[0]?.id).toBe(ids.prostate);
    expect((await search('q=hepatocelular')).hits.map((h) => h.id)).toContain(ids.liver);
  });

  it('knows domain synonyms', async () => {
    expect((await search('q=NSCLC')).hits.map((h) => h.id)).toEqual([ids.lungCt]);
    expect((await search('q=HCC')).hits.map((h) => h.id)).toEqual([ids.liver]);
    expect((await search('q=magnetic%20resonance')).hits.map((h) => h.id).sort()).toEqual([ids.breast, ids.prostate].sort());
    expect((await search('q=GBM', admin)).hits.map((h) => h.id)).toEqual([ids.glioma]);
  });

  it('matches ICD-10 codes exactly', async () => {
    expect((await search('q=C34')).hits.map((h) => h.id).sort()).toEqual([ids.lungCt, ids.lungPet].sort());
    expect((await search('q=C43')).hits.map((h) => h.id)).toEqual([ids.melanoma]);
  });

  it('highlights matches as escaped HTML', async () => {
    const r = await search('q=melanoma');
    expect(r.hits[0]._highlight.title).toBe('<mark>Melanoma</mark> dermoscopy &lt;b&gt;set&lt;/b&gt;');
    expect((await search('')).hits[0]._highlight).toBeUndefined();
  });

  it('shows where the description matched: a cropped, highlighted snippet', async () => {
    const liver = (await search('q=lung')).hits.find((h) => h.id === ids.liver);
    expect(liver._highlight.description).toContain('incidental <mark>lung</mark> findings');
    expect(liver._highlight.title).toBeUndefined();
    const lungCt = (await search('q=lung')).hits.find((h) => h.id === ids.lungCt);
    expect(lungCt._highlight.title).toContain('<mark>');
  });
});

describe('facets', () => {
  it('returns hits in the contract shape', async () => {
    const r = await search('q=prostate');
    expect(r.hits[0]).toEqual({
      id: ids.prostate,
      title: 'Prostate MRI and PET staging',
      provider: { id: pB, name: 'Berlin Neuro Institute' },
      visibility: 'public',
      modalities: [
        { system: 'DCM', code: 'MR', label: 'Magnetic Resonance' },
        { system: 'DCM', code: 'PT', label: 'Positron emission tomography' },
      ],
      bodyParts: [expect.objectContaining({ code: 'PROSTATE' })],
      conditions: [expect.objectContaining({ code: 'C61' })],
      subjectsCount: 300,
      accessRights: expect.objectContaining({ code: 'PUBLIC' }),
      _highlight: expect.any(Object),
    });
    expect(Object.keys(r.facets).sort()).toEqual([...FACETS].sort());
  });

  it('counts every value of every facet exactly as PostgreSQL does, and filters to that count', async () => {
    const all = await search('');
    expect(all.total).toBe(await pgCount([]));
    let checked = 0;
    for (const facet of FACETS) {
      for (const [value, count] of Object.entries(all.facets[facet]!)) {
        expect(count, `${facet}=${value}`).toBe(await pgCount([facetPredicate(facet, value)]));
        const filtered = await search(`filter[${facet}]=${encodeURIComponent(value)}&hitsPerPage=1`);
        expect(filtered.total, `filter[${facet}]=${value}`).toBe(count);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    for (const f of FACETS) {
      expect(Object.keys(all.facets[f]!).length, f).toBeGreaterThan(0);
    }
  });

  it('ANDs across facets and ORs within one', async () => {
    const and = await search('filter[modality]=CT&filter[bodyPart]=CHEST');
    expect(and.hits.map((h) => h.id).sort()).toEqual([ids.lungCt, ids.lungPet].sort());
    expect(and.total).toBe(await pgCount([facetPredicate('modality', 'CT'), facetPredicate('bodyPart', 'CHEST')]));
    // Disjunctive: body parts counted under the modality filter only, modalities under the body part only.
    expect(and.facets.bodyPart).toEqual({ CHEST: 2, LIVER: 1 });
    expect(and.facets.modality!.CT).toBe(2);
    const or = await search('filter[modality]=SEG&filter[modality]=DMS');
    expect(or.hits.map((h) => h.id).sort()).toEqual([ids.lungCt, ids.melanoma].sort());
    const three = await search('filter[modality]=CT&filter[country]=PT&filter[cancerSite]=lung');
    expect(three.hits.map((h) => h.id)).toEqual([ids.lungPet]);
  });

  it('matches ICD-10 children when a block or the chapter is selected', async () => {
    const block = await search('filter[icd10]=C30-C39');
    expect(block.hits.map((h) => h.id).sort()).toEqual([ids.lungCt, ids.lungPet].sort());
    expect((await search('filter[icd10]=c34.1')).total).toBe(2);
    expect((await search('filter[icd10]=II')).total).toBe(await pgCount([sql`jsonb_array_length(derived->'icd10') > 0`]));
  });

  it('filters on ranges, open at either end; age ranges overlap', async () => {
    const ids_ = async (qs: string) => (await search(qs)).hits.map((h) => h.id).sort();
    expect(await ids_('range[subjects]=100..500')).toEqual([ids.lungCt, ids.breast, ids.prostate].sort());
    expect(await ids_('range[subjects]=500..')).toEqual([ids.breast, ids.lungPet].sort());
    expect(await ids_('range[subjects]=..60')).toEqual([ids.liver, ids.melanoma].sort());
    expect(await ids_('range[studies]=1000..')).toEqual([ids.lungPet]);
    expect(await ids_('range[age]=85..')).toEqual([ids.prostate]);
    expect(await ids_('range[age]=..45')).toEqual([ids.breast]);
    const r = await search('range[subjects]=100..500&filter[sex]=male');
    expect(r.hits.map((h) => h.id).sort()).toEqual([ids.lungCt, ids.prostate].sort());
  });

  it('reports facet stats over the matching set', async () => {
    const r = await search('');
    expect(r.facetStats.subjects).toEqual({ min: 20, max: 1000 });
    expect(r.facetStats.age).toEqual({ min: 40, max: 90 });
    expect((await search('filter[modality]=MR')).facetStats.subjects).toEqual({ min: 300, max: 500 });
  });

  it('sorts and pages', async () => {
    const bySubjects = await search('sort=subjects:desc&hitsPerPage=3');
    expect(bySubjects.hits.map((h) => h.subjectsCount)).toEqual([1000, 500, 300]);
    const p2 = await search('sort=subjects:desc&hitsPerPage=3&page=2');
    expect(p2.hits.map((h) => h.subjectsCount)).toEqual([120, 60, 20]);
    expect(p2).toMatchObject({ page: 2, hitsPerPage: 3, total: 6 });
    const countsOnly = await search('hitsPerPage=0');
    expect(countsOnly).toMatchObject({ hits: [], total: 6 });
    expect(countsOnly.facets.modality!.CT).toBe(3);
    const byTitle = await search('sort=title:asc');
    const titles = byTitle.hits.map((h) => h.title.toLowerCase());
    expect(titles).toEqual([...titles].sort());
  });
});
