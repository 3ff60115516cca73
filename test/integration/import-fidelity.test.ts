/**
 * Imports keep what can be kept: repairable fields are repaired, invalid optional fields dropped with a warning,
 * closed-vocabulary wordings nothing understands keep the record a draft, the same dataset catalogued by another
 * provider is reported (never revealing a private collection), re-imports remind of unpublished drafts.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, validCollection, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let t: TestApp;
let site: string;
let other: string;
let manager: string;
let otherManager: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp(tdb.database);
  site = await t.provider();
  other = await t.provider();
  manager = await t.user({ providerIds: [site] });
  otherManager = await t.user({ providerIds: [other] });
});
afterAll(async () => tdb.drop());

const xnat = (projectId: string) => ({ instance: 'https://xnat.a.org', projectId, visibility: 'public' as const });
type Warning = { path: string; code: string; message: string };
const importAs = async (as: string, collections: unknown[]) => (await t.call('POST', '/api/v1/import', { as, body: { collections } })).body;

describe('import repairs', () => {
  it('repairs a protocol-relative DOI link and drops an invalid optional URL with a warning', async () => {
    const report = await importAs(manager, [
      {
        ...validCollection(site, { xnat: xnat('REPAIR_1') }),
        landingPage: '//doi.org/10.7937/K9/TCIA.2017.7hs46erv',
        accessUrl: 'not a url at all',
      },
    ]);
    const [rec] = report.records;
    expect(rec.outcome).toBe('created');
    const warnings = rec.warnings as Warning[];
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'landingPage', code: 'repaired' }),
        expect.objectContaining({ path: 'accessUrl', code: 'dropped_invalid' }),
      ]),
    );
    const got = await t.call('GET', `/api/v1/collections/${encodeURIComponent(rec.id)}`);
    expect(got.body.landingPage).toBe('https://doi.org/10.7937/K9/TCIA.2017.7hs46erv');
    expect(got.body.accessUrl).toBeUndefined();
    expect(got.body.publicationState).toBe('published');
  });

  it('keeps a record without description or with unknown access rights as a draft, saying why', async () => {
    const noDescription = { ...validCollection(site, { xnat: xnat('NODESC') }) } as Record<string, unknown>;
    delete noDescription.description;
    const report = await importAs(manager, [
      noDescription,
      validCollection(site, { xnat: xnat('ODDACCESS'), accessRights: 'Ask the PI nicely' }),
    ]);
    const [a, b] = report.records;
    expect(a.outcome).toBe('created');
    expect(a.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'description', code: 'required_to_publish' })]));
    expect(b.outcome).toBe('created');
    expect(b.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'accessRights', code: 'not_in_vocabulary' })]));
    for (const r of [a, b]) {
      const got = await t.call('GET', `/api/v1/collections/${encodeURIComponent(r.id)}`, { as: manager });
      expect(got.body.publicationState).toBe('draft');
    }
    const stored = await t.call('GET', `/api/v1/collections/${encodeURIComponent(b.id)}`, { as: manager });
    expect(stored.body.accessRights).toBeUndefined();
    // Re-importing the same records reminds the owner that they are still drafts.
    const again = await importAs(manager, [noDescription]);
    expect(again.records[0].warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'still_unpublished' })]));
    expect(again.drafts).toBe(1);
  });

  it('maps access wordings, moves "Clinical" to supporting data and reads a histology at its body part', async () => {
    const report = await importAs(manager, [
      validCollection(site, {
        xnat: xnat('WORDINGS'),
        accessRights: 'Registered access',
        modalities: ['CT scans', 'Clinical'],
        bodyParts: ['Kidney'],
        conditions: ['Clear Cell Carcinoma', 'Colorectal Cancer', 'Zebra syndrome'],
      }),
    ]);
    const [rec] = report.records;
    expect(rec.groupedOnly).toEqual([expect.objectContaining({ value: 'Colorectal Cancer', groups: ['colorectal'] })]);
    expect(rec.notUnderstood).toEqual([expect.objectContaining({ value: 'Zebra syndrome' })]);
    expect(rec.mapped).toBeGreaterThan(3);
    const got = (await t.call('GET', `/api/v1/collections/${encodeURIComponent(rec.id)}`)).body;
    expect(got.accessRights.code).toBe('RESTRICTED');
    expect(got.modalities.map((m: { code?: string }) => m.code)).toEqual(['CT']);
    expect(got.supportingData.map((m: { code?: string }) => m.code)).toEqual(['clinical']);
    expect(got.conditions[0]).toMatchObject({ code: 'C64', text: 'Clear Cell Carcinoma' });
  });
});

describe('same dataset, other provider', () => {
  it('reports a shared DOI to the importer, but never a private collection of another provider', async () => {
    const doi = 'https://doi.org/10.7937/TCIA.SHARED-1';
    await importAs(otherManager, [validCollection(other, { xnat: xnat('SHARED_A'), pid: doi, title: 'Shared at B' })]);
    await importAs(otherManager, [
      validCollection(other, {
        xnat: { ...xnat('SHARED_P'), visibility: 'private' },
        landingPage: '//doi.org/10.7937/tcia.shared-1',
        title: 'Private twin',
      }),
    ]);
    const report = await importAs(manager, [
      validCollection(site, { xnat: xnat('SHARED_MINE'), landingPage: 'doi:10.7937/TCIA.SHARED-1' }),
    ]);
    const titles = report.records[0].sameDataset.map((s: { title: string }) => s.title);
    expect(titles).toEqual(['Shared at B']);

    // Both collection pages say "also catalogued by …"; the private twin only to its own provider.
    const mine = report.records[0].id as string;
    const shared = report.records[0].sameDataset[0].id as string;
    const fromMine = await t.call('GET', `/api/v1/collections/${encodeURIComponent(mine)}/same-dataset`);
    expect(fromMine.body.items.map((i: { id: string }) => i.id)).toEqual([shared]);
    const fromShared = await t.call('GET', `/api/v1/collections/${encodeURIComponent(shared)}/same-dataset`);
    expect(fromShared.body.items.map((i: { id: string }) => i.id)).toEqual([mine]);
    const asOther = await t.call('GET', `/api/v1/collections/${encodeURIComponent(mine)}/same-dataset`, { as: otherManager });
    expect(asOther.body.items.map((i: { title: string }) => i.title).sort()).toEqual(['Private twin', 'Shared at B']);
  });
});

describe('the TCIA table', () => {
  it('imports with no record rejected for a repairable field', async () => {
    const rows = JSON.parse(readFileSync('/work/shared/data/more/tcia_collections.json', 'utf8')) as Record<string, unknown>[];
    const docs = rows.map((r, i) => ({
      providerId: site,
      title: r.collection,
      landingPage: r.link_href,
      pid: r.doi,
      conditions: r.cancer_type_list,
      bodyParts: r.location_list,
      species: [r.species],
      ...(typeof r.subjects === 'number' ? { subjectsCount: r.subjects } : {}),
      modalities: r.image_types_list,
      supportingData: r.supporting_data_list,
      accessRights: r.access,
      status: r.status,
      xnat: xnat(`TCIA_${i}`),
    }));
    const report = (await t.call('POST', '/api/v1/import', { as: manager, body: { collections: docs, dryRun: true } })).body;
    expect(report.rejected).toBe(0);
    expect(report.total).toBe(rows.length);
    const repaired = report.records.filter((r: { warnings: Warning[] }) =>
      r.warnings.some((w) => w.path === 'landingPage' && w.code === 'repaired'),
    );
    expect(repaired.length).toBeGreaterThanOrEqual(57);
  });
});
