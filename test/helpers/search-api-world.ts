/**
 * The catalogue the search API tests search: three providers, a network, seven published collections
 * of every facet (one private), a draft and a withdrawn one, indexed in a real Meilisearch.
 */
import type { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { pgCounter } from './search-sql.js';
import { searchBed } from './search.js';

const xnat = (visibility: 'public' | 'protected' | 'private') => ({
  instance: 'https://xnat.test.org',
  projectId: `P_${Math.random().toString(36).slice(2, 10)}`,
  visibility,
});

export async function searchApiWorld() {
  const bed = await searchBed();
  const { t, tdb } = bed;
  const ids: Record<string, string> = {};
  const admin = await t.user({ admin: true });
  const pA = await t.provider({ name: 'Amsterdam Imaging Centre' });
  const pB = await t.provider({ name: 'Berlin Neuro Institute' });
  const pC = await t.provider({ name: 'Coimbra Oncology' });
  const researcher = await t.user();
  const memberB = await t.user({ providerIds: [pB] });
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
  return { ...bed, admin, researcher, memberB, pA, pB, pC, ids, search, pgCount };
}
export type SearchApiWorld = Awaited<ReturnType<typeof searchApiWorld>>;
