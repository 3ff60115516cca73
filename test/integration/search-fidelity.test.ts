/**
 * Search text and filters as researchers use them: species and coded labels found as words, synonyms in
 * filters on both the search and the list API ("MRI" → MR), the same dataset at two providers collapsed on
 * request, and the sum of subjects over the result set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { buildSearchTestApp, startTestMeili, type SearchTestApp, type TestMeili } from '../helpers/search.js';

let tdb: TestDatabase;
let meili: TestMeili;
let t: SearchTestApp;
let pA: string;
let pB: string;

const xnat = (visibility: 'public' | 'protected' | 'private' = 'public') => ({
  instance: 'https://xnat.test.org',
  projectId: `P_${Math.random().toString(36).slice(2, 10)}`,
  visibility,
});

beforeAll(async () => {
  [tdb, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
  t = await buildSearchTestApp(tdb.database, meili);
  pA = await t.provider({ name: 'Archive A' });
  pB = await t.provider({ name: 'Archive B' });
  await t.collection(pA, {
    title: 'Murine xenografts',
    species: ['Mus musculus'],
    modalities: ['MRI scans'],
    subjectsCount: 30,
    xnat: xnat(),
  });
  await t.collection(pA, { title: 'Canine sarcoma', species: ['Canine'], modalities: ['CT'], subjectsCount: 20, xnat: xnat() });
  await t.collection(pA, {
    title: 'Shared lung set',
    pid: 'https://doi.org/10.7937/SHARED.2',
    modalities: ['CT'],
    subjectsCount: 100,
    xnat: xnat(),
  });
  await t.collection(pB, {
    title: 'Shared lung set (mirror)',
    landingPage: 'https://doi.org/10.7937/shared.2',
    modalities: ['CT'],
    subjectsCount: 100,
    xnat: xnat(),
  });
  await t.drain();
});
afterAll(async () => {
  await tdb.drop();
  await meili.stop();
});

const search = async (qs: string) => (await t.call('GET', `/api/v1/search?${qs}`)).body;

describe('search text and filters', () => {
  it('finds species by common name and plural', async () => {
    expect((await search('q=mouse')).hits.map((h: { title: string }) => h.title)).toEqual(['Murine xenografts']);
    expect((await search('q=mice')).total).toBe(1);
    expect((await search('q=canine')).hits.map((h: { title: string }) => h.title)).toContain('Canine sarcoma');
  });

  it('reads filter values like imported wordings, on search and on the list API', async () => {
    const s = await search('filter[modality]=MRI');
    expect(s.hits.map((h: { title: string }) => h.title)).toEqual(['Murine xenografts']);
    const list = (await t.call('GET', '/api/v1/collections?modality=MRI')).body;
    expect(list.items.map((i: { title: string }) => i.title)).toEqual(['Murine xenografts']);
  });

  it('collapses the same dataset catalogued by two providers, on request only', async () => {
    expect((await search('filter[modality]=CT&q=shared')).total).toBe(2);
    expect((await search('filter[modality]=CT&q=shared&collapse=true')).total).toBe(1);
  });

  it('sums subjects over the whole result set', async () => {
    const r = await search('filter[modality]=CT&sum=subjects&hitsPerPage=1');
    expect(r.sum).toEqual({ subjects: 220, exact: true });
    expect(r.hits).toHaveLength(1);
  });
});
