/**
 * GET /api/v1/search against the real Meilisearch binary: relevance, every facet, combined facets,
 * ranges, sorting, paging, counts checked against PostgreSQL, and the visibility rule. Disjunctive
 * facet counts in detail: search-disjunctive.test.ts.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACETS } from '../../schemas/search.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { buildSearchTestApp, startTestMeili, type SearchTestApp, type TestMeili } from '../helpers/search.js';
import { facetPredicate, pgCounter } from '../helpers/search-sql.js';

let tdb: TestDatabase;
let meili: TestMeili;
let t: SearchTestApp;
let admin: string;
let researcher: string;
let memberB: string;
let pA: string;
let pB: string;
let pC: string;
const ids: Record<string, string> = {};

const xnat = (visibility: 'public' | 'protected' | 'private') => ({
  instance: 'https://xnat.test.org',
  projectId: `P_${Math.random().toString(36).slice(2, 10)}`,
  visibility,
});

beforeAll(async () => {
  [tdb, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
  t = await buildSearchTestApp(tdb.database, meili);
  admin = await t.user({ admin: true });
  pA = await t.provider({ name: 'Amsterdam Imaging Centre' });
  pB = await t.provider({ name: 'Berlin Neuro Institute' });
  pC = await t.provider({ name: 'Coimbra Oncology' });
  researcher = await t.user();
  memberB = await t.user({ providerIds: [pB] });
  const net = 'net-eucanimage';
  await t.call('POST', '/api/v1/networks', { as: admin, body: { id: net, kind: 'project', name: 'EuCanImage' } });

  ids.lungCt = (await t.collection(pA, { xnat: xnat('public'), countries: ['NL'], age: { low: 50, high: 80 }, networkIds: [net] })).id;
  ids.breast = (
    await t.collection(pA, {
      title: 'Breast MRI screening cohort',
      description: 'Dynamic contrast-enhanced breast imaging of a screening population.',
      keywords: ['breast', 'DCE'],
      modalities: ['MRI'],
      bodyParts: ['Breast'],
      conditions: ['Breast Cancer'],
      sex: ['female'],
      subjectsCount: 500,
      studiesCount: 900,
      age: { low: 40, high: 75 },
      countries: ['NL', 'BE'],
      accessRights: 'RESTRICTED',
      imageDatasetTypes: ['original'],
      license: { spdxId: 'CC-BY-4.0', title: 'CC BY 4.0' },
      dataUse: [{ term: 'DUO:0000042' }],
      xnat: xnat('protected'),
    })
  ).id;
  ids.prostate = (
    await t.collection(pB, {
      title: 'Prostate MRI and PET staging',
      description: 'Multiparametric imaging before prostatectomy.',
      keywords: ['prostate'],
      modalities: ['MR', 'PET'],
      bodyParts: ['Prostate'],
      conditions: ['C61'],
      sex: ['male'],
      subjectsCount: 300,
      studiesCount: 300,
      age: { low: 50, high: 90 },
      manufacturers: ['Siemens'],
      fileFormats: ['DICOM'],
      species: ['Human'],
      status: 'Active',
      xnat: xnat('public'),
    })
  ).id;
  ids.glioma = (
    await t.collection(pB, {
      title: 'Glioblastoma multimodal MRI',
      description: 'Pre-operative brain tumour imaging.',
      keywords: ['neuro-oncology'],
      modalities: ['MR'],
      bodyParts: ['Brain'],
      conditions: ['Glioblastoma'],
      subjectsCount: 80,
      countries: ['DE'],
      xnat: xnat('private'),
    })
  ).id;
  ids.liver = (
    await t.collection(pC, {
      title: 'Liver CT archive',
      description: 'Contrast CT of patients with hepatocellular carcinoma; some incidental lung findings.',
      keywords: ['liver'],
      modalities: ['CT'],
      bodyParts: ['Liver'],
      conditions: ['Hepatocellular carcinoma'],
      subjectsCount: 60,
      studiesCount: 60,
      countries: ['PT'],
      xnat: xnat('public'),
    })
  ).id;
  ids.lungPet = (
    await t.collection(pC, {
      title: 'Lung cancer PET/CT radiomics',
      description: 'FDG imaging for radiomics.',
      keywords: ['radiomics'],
      modalities: ['PET/CT'],
      bodyParts: ['Chest'],
      conditions: ['Lung Cancer'],
      subjectsCount: 1000,
      studiesCount: 2000,
      countries: ['PT'],
      xnat: xnat('public'),
    })
  ).id;
  ids.melanoma = (
    await t.collection(pC, {
      title: 'Melanoma dermoscopy <b>set</b>',
      description: 'Skin lesion images.',
      modalities: ['DMS'],
      bodyParts: ['Skin'],
      conditions: ['Melanoma'],
      subjectsCount: 20,
      xnat: xnat('public'),
    })
  ).id;
  ids.draft = (await t.collection(pA, { title: 'Unpublished lung draft', xnat: xnat('public') }, { publish: false })).id;
  ids.withdrawn = (await t.collection(pB, { title: 'Withdrawn lung study', xnat: xnat('public') })).id;
  const w = await t.call('POST', `/api/v1/collections/${encodeURIComponent(ids.withdrawn!)}/withdraw`, {
    as: admin,
    body: { reason: 'duplicate' },
  });
  expect(w.status).toBe(200);
  await t.drain();
});

afterAll(async () => {
  await t?.search.stop();
  await Promise.all([meili?.destroy(), tdb?.drop()]);
});

const search = async (qs: string, as?: string) => {
  const res = await t.call('GET', `/api/v1/search${qs ? `?${qs}` : ''}`, { as });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as {
    hits: any[];
    total: number;
    page: number;
    hitsPerPage: number;
    facets: Record<string, Record<string, number>>;
    facetStats: any;
  };
};

const pgCount = (where: ReturnType<typeof sql>[], memberOf: string[] = [], all = false) => pgCounter(tdb.database)(where, memberOf, all);

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
    for (const f of [
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
    ] as const) {
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
