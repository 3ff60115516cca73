/**
 * Disjunctive facet counts against the real Meilisearch binary: a facet with a selection is counted
 * under every other filter but not its own, checked against PostgreSQL and against the totals of the
 * searches the counts promise; private collections are never counted for outsiders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FacetName } from '../../schemas/search.js';
import { searchBed, type SearchBed, type SearchTestApp } from '../helpers/search.js';
import { anyOf, facetPredicate, pgCounter } from '../helpers/search-sql.js';

let bed: SearchBed;
let t: SearchTestApp;
let admin: string;
let researcher: string;
let memberB: string;
let pA: string;
let pB: string;
let pgCount: ReturnType<typeof pgCounter>;

const xnat = (visibility: 'public' | 'protected' | 'private') => ({
  instance: 'https://xnat.test.org',
  projectId: `P_${Math.random().toString(36).slice(2, 10)}`,
  visibility,
});

beforeAll(async () => {
  bed = await searchBed();
  t = bed.t;
  pgCount = pgCounter(bed.tdb.database);
  admin = await t.user({ admin: true });
  pA = await t.provider({ name: 'Amsterdam Imaging Centre' });
  pB = await t.provider({ name: 'Berlin Neuro Institute' });
  researcher = await t.user();
  memberB = await t.user({ providerIds: [pB] });
  const c = (
    provider: string,
    title: string,
    modalities: string[],
    bodyPart: string,
    country: string,
    visibility: 'public' | 'protected' | 'private' = 'public',
    publish = true,
  ) =>
    t.collection(
      provider,
      {
        title,
        description: `${title}: imaging study.`,
        keywords: [],
        modalities,
        bodyParts: [bodyPart],
        countries: [country],
        xnat: xnat(visibility),
      },
      { publish },
    );
  await c(pA, 'Lung CT screening', ['CT'], 'Chest', 'NL');
  await c(pA, 'Liver CT archive', ['CT'], 'Liver', 'PT');
  await c(pB, 'Brain MR tumours', ['MR'], 'Brain', 'DE');
  await c(pA, 'Prostate MR and PET staging', ['MR', 'PET'], 'Prostate', 'NL', 'protected');
  await c(pA, 'Lung PET response', ['PET'], 'Chest', 'NL');
  await c(pB, 'Private chest MR', ['MR'], 'Chest', 'NL', 'private');
  await c(pA, 'Draft chest MR', ['MR'], 'Chest', 'NL', 'public', false);
  await t.drain();
});

afterAll(async () => bed?.close());

type Result = { hits: { id: string }[]; total: number; facets: Record<string, Record<string, number>> };
const search = async (qs: string, as?: string): Promise<Result> => {
  const res = await t.call('GET', `/api/v1/search${qs ? `?${qs}` : ''}`, { as });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Result;
};

/** `filter[f]=v` pairs from a query string, grouped per facet. */
function selections(qs: string): Map<FacetName, string[]> {
  const out = new Map<FacetName, string[]>();
  for (const [k, v] of new URLSearchParams(qs)) {
    const m = /^filter\[(\w+)\]$/.exec(k);
    if (m) out.set(m[1] as FacetName, [...(out.get(m[1] as FacetName) ?? []), v]);
  }
  return out;
}

/** The query string with facet `f`'s selection replaced by `value`. */
function replaced(qs: string, f: FacetName, value: string): string {
  const sp = new URLSearchParams(qs);
  sp.delete(`filter[${f}]`);
  sp.append(`filter[${f}]`, value);
  return sp.toString();
}

describe('disjunctive facet counts', () => {
  it('after selecting CT, the modality facet still reports MR with the count MR has under the other filters', async () => {
    const r = await search('filter[modality]=CT');
    expect(r.total).toBe(2);
    expect(r.facets.modality).toEqual({ CT: 2, MR: 2, PT: 2 });
    for (const [v, n] of Object.entries(r.facets.modality!)) expect(n, v).toBe(await pgCount([facetPredicate('modality', v)]));
    // A facet without a selection is counted over the fully filtered set.
    expect(r.facets.bodyPart).toEqual({ CHEST: 1, LIVER: 1 });
    expect(r.facets.country).toEqual({ NL: 1, PT: 1 });
    // Ticking MR as well adds exactly what MR promised beyond the collections already counted.
    const both = await search('filter[modality]=CT&filter[modality]=MR');
    expect(both.total).toBe(await pgCount([anyOf('modality', ['CT', 'MR'])]));
    expect(both.total).toBe(4);
    expect(both.facets.modality).toEqual(r.facets.modality);
  });

  it('counts each selected facet under every other filter, as PostgreSQL does', async () => {
    const r = await search('filter[modality]=CT&filter[country]=NL');
    expect(r.total).toBe(1);
    expect(r.facets.modality).toEqual({ CT: 1, MR: 1, PT: 2 });
    expect(r.facets.country).toEqual({ NL: 1, PT: 1 });
    expect(r.facets.bodyPart).toEqual({ CHEST: 1 });
    for (const [v, n] of Object.entries(r.facets.modality!)) {
      expect(n, `modality=${v}`).toBe(await pgCount([facetPredicate('country', 'NL'), facetPredicate('modality', v)]));
    }
    for (const [v, n] of Object.entries(r.facets.country!)) {
      expect(n, `country=${v}`).toBe(await pgCount([facetPredicate('modality', 'CT'), facetPredicate('country', v)]));
    }
    for (const [v, n] of Object.entries(r.facets.bodyPart!)) {
      expect(n, `bodyPart=${v}`).toBe(
        await pgCount([facetPredicate('modality', 'CT'), facetPredicate('country', 'NL'), facetPredicate('bodyPart', v)]),
      );
    }
  });

  it('promises what the search then finds, with a text query, ranges and sorting too', async () => {
    const cases = [
      'filter[modality]=CT',
      'filter[modality]=MR&filter[bodyPart]=PROSTATE',
      'q=lung&filter[modality]=PT&filter[country]=NL',
      'q=imaging&filter[country]=NL&filter[country]=PT&range[subjects]=100..&sort=title:asc',
      `filter[provider]=${pA}&filter[bodyPart]=CHEST&filter[modality]=CT&filter[modality]=PT`,
    ];
    let checked = 0;
    for (const qs of cases) {
      const r = await search(qs);
      for (const [f, selected] of selections(qs)) {
        for (const [v, n] of Object.entries(r.facets[f]!)) {
          expect((await search(`${replaced(qs, f, v)}&hitsPerPage=0`)).total, `${qs}: ${f}=${v}`).toBe(n);
          checked++;
        }
        // Every selected value is counted where it has matches.
        for (const v of selected) {
          const alone = (await search(`${replaced(qs, f, v)}&hitsPerPage=0`)).total;
          expect(r.facets[f]![v] ?? 0, `${qs}: selected ${f}=${v}`).toBe(alone);
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('never counts a private collection for outsiders, also in a selected facet', async () => {
    for (const as of [undefined, researcher]) {
      const ct = await search('filter[modality]=CT', as);
      expect(ct.facets.modality!.MR).toBe(2);
      const chest = await search('filter[bodyPart]=CHEST', as);
      expect(chest.facets.bodyPart).toEqual({ CHEST: 2, LIVER: 1, BRAIN: 1, PROSTATE: 1 });
      expect(chest.facets.bodyPart!.CHEST).toBe(await pgCount([facetPredicate('bodyPart', 'CHEST')]));
      const byProvider = await search(`filter[provider]=${pB}&filter[modality]=MR`, as);
      expect(byProvider.total).toBe(1);
      expect(byProvider.facets.modality).toEqual({ MR: 1 });
      expect(byProvider.facets.provider).toEqual({ [pA]: 1, [pB]: 1 });
    }
    for (const as of [memberB, admin]) {
      const ct = await search('filter[modality]=CT', as);
      expect(ct.facets.modality!.MR).toBe(3);
      expect(ct.facets.modality!.MR).toBe(await pgCount([facetPredicate('modality', 'MR')], [pB]));
      const byProvider = await search(`filter[provider]=${pB}&filter[modality]=MR`, as);
      expect(byProvider.facets.modality).toEqual({ MR: 2 });
      expect(byProvider.facets.provider).toEqual({ [pA]: 1, [pB]: 2 });
    }
  });

  it('facet-value search leaves the facet’s own selection out too, and keeps visibility', async () => {
    const anon = await t.call('GET', '/api/v1/search/facets/modality?q=m&filter[modality]=CT&filter[country]=NL');
    expect(anon.status).toBe(200);
    expect(anon.body.values).toEqual([{ value: 'MR', count: 1 }]);
    const member = await t.call('GET', '/api/v1/search/facets/modality?q=m&filter[modality]=CT&filter[country]=NL', { as: memberB });
    expect(member.body.values).toEqual([{ value: 'MR', count: 2 }]);
    const chest = await t.call('GET', '/api/v1/search/facets/bodyPart?q=ch&filter[bodyPart]=LIVER&filter[country]=NL');
    expect(chest.body.values).toEqual([{ value: 'CHEST', count: 2 }]);
  });
});
