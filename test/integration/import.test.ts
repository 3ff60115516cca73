import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollections } from '../../server/catalogue/import.js';
import { userActor } from '../../server/auth/actor.js';
import { systemContext, withTransaction } from '../../server/core/context.js';
import { buildTestApp, validCollection, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let t: TestApp;
let site: string;
let manager: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp(tdb.database);
  site = await t.provider();
  manager = await t.user({ providerIds: [site] });
});
afterAll(async () => tdb.drop());

const xnat = (projectId: string) => ({ instance: 'https://xnat.a.org', projectId, visibility: 'public' as const });

describe('bulk import', () => {
  it('imports the valid records, rejects the others per field, and normalises vocabularies', async () => {
    const res = await t.call('POST', '/api/v1/import', {
      as: manager,
      body: {
        collections: [
          validCollection(site, { modalities: ['MRI', 'PET', 'Pathology'], xnat: xnat('IMP_1') }),
          { ...validCollection(site, { xnat: xnat('IMP_2') }), subjectsCount: 'many' },
          validCollection(site, { modalities: ['CT', 'High-dimensional CODEX images'], bodyParts: ['Chest', 'Various'], xnat: xnat('IMP_3') }),
          { title: 'no provider' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 4, created: 3, rejected: 1 });
    const [ok, badType, freeText, noProvider] = res.body.records;
    expect(ok.outcome).toBe('created');
    // An invalid optional field is dropped with a warning; without a subject count the record stays a draft.
    expect(badType).toMatchObject({ outcome: 'created', index: 1 });
    expect(badType.warnings).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'subjectsCount', code: 'dropped_invalid' }),
      expect.objectContaining({ path: 'subjectsCount', code: 'required_to_publish' }),
    ]));
    expect(noProvider.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['providerId', 'xnat']));
    expect(freeText.keptAsFreeText).toEqual(
      expect.arrayContaining([
        { path: 'modalities[1]', value: 'High-dimensional CODEX images' },
        { path: 'bodyParts[1]', value: 'Various' },
      ]),
    );
    const stored = await t.call('GET', `/api/v1/collections/${encodeURIComponent(ok.id)}`);
    expect(stored.body.modalities.map((m: { code: string }) => m.code)).toEqual(['MR', 'PT', 'SM']);
    expect(stored.body.publicationState).toBe('published');
  });

  it('is idempotent: the same list again reports unchanged, a changed record updated', async () => {
    const docs = [validCollection(site, { xnat: xnat('IDEM_1') }), validCollection(site, { xnat: xnat('IDEM_2') })];
    expect((await t.call('POST', '/api/v1/import', { as: manager, body: { collections: docs } })).body.created).toBe(2);
    const again = await t.call('POST', '/api/v1/import', { as: manager, body: { collections: [docs[0], { ...docs[1], title: 'New title' }] } });
    expect(again.body).toMatchObject({ unchanged: 1, updated: 1, created: 0 });
  });

  it('keeps incomplete records as drafts with warnings instead of failing them', async () => {
    const res = await t.call('POST', '/api/v1/import', {
      as: manager,
      body: { collections: [{ providerId: site, title: 'Partial', description: 'To be completed', xnat: xnat('PARTIAL') }] },
    });
    expect(res.body.records[0].outcome).toBe('created');
    expect(res.body.records[0].warnings.map((w: { path: string }) => w.path)).toContain('modalities');
    const got = await t.call('GET', `/api/v1/collections/${encodeURIComponent(res.body.records[0].id)}`, { as: manager });
    expect(got.body.publicationState).toBe('draft');
  });

  it('dry run reports without writing', async () => {
    const res = await t.call('POST', '/api/v1/import', { as: manager, body: { dryRun: true, collections: [validCollection(site, { xnat: xnat('DRY') })] } });
    expect(res.body.records[0].outcome).toBe('created');
    expect((await t.call('GET', `/api/v1/collections/${encodeURIComponent(res.body.records[0].id)}`, { as: manager })).status).toBe(404);
  });

  it('streams progress lines and a final report as NDJSON', async () => {
    const docs = Array.from({ length: 5 }, (_, i) => validCollection(site, { xnat: xnat(`STREAM_${i}`) }));
    const res = await t.call('POST', '/api/v1/import', { as: manager, body: { collections: docs }, headers: { accept: 'application/x-ndjson' } });
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (res.body as string).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-2)).toEqual({ progress: { done: 5, total: 5 } });
    expect(lines.at(-1).report.created).toBe(5);
  });

  it('refuses records of providers the user does not manage, per record', async () => {
    const other = await t.provider();
    const res = await t.call('POST', '/api/v1/import', { as: manager, body: { collections: [validCollection(other, { xnat: xnat('FOREIGN') })] } });
    expect(res.body.records[0]).toMatchObject({ outcome: 'rejected', errors: [{ path: 'providerId' }] });
  });

  it('maps a real TCIA list through the same code, keeping what no vocabulary fits', async () => {
    const tcia = JSON.parse(readFileSync(new URL('../../seed/data/tcia_collections.json', import.meta.url), 'utf8')) as {
      collection: string; cancer_type_list: string[]; location_list: string[]; image_types_list: string[]; subjects: number | null; species: string; access: string;
    }[];
    const docs = tcia.slice(0, 40).map((r, i) => ({
      providerId: site,
      title: r.collection,
      description: `TCIA collection ${r.collection}`,
      modalities: r.image_types_list,
      bodyParts: r.location_list,
      conditions: r.cancer_type_list,
      species: [r.species],
      ...(r.subjects !== null ? { subjectsCount: r.subjects } : {}),
      accessRights: r.access,
      xnat: xnat(`TCIA_${i}`),
    }));
    const res = await t.call('POST', '/api/v1/import', { as: manager, body: { collections: docs } });
    expect(res.status).toBe(200);
    expect(res.body.rejected).toBe(0);
    const codes = new Set<string>();
    for (const r of res.body.records) {
      const got = await t.call('GET', `/api/v1/collections/${encodeURIComponent(r.id)}`, { as: manager });
      for (const m of got.body.modalities) codes.add(m.code ?? m.label);
    }
    expect(codes.has('SM')).toBe(true); // "Pathology"
    expect(codes.has('Pathology')).toBe(false);
  });
});

describe('import inside a caller\'s transaction (the seed writes everything in one)', () => {
  const actor = () => userActor({ id: manager, name: manager, memberships: [{ providerId: site, role: 'data_manager' }] });

  it('rolls each record back on its own: a dry run writes nothing, a refused record does not undo the others', async () => {
    const ctx = systemContext(tdb.database.db, actor());
    const dry = await withTransaction(ctx, (tx) => importCollections(tx, [validCollection(site, { xnat: xnat('TX_DRY') })], { publish: true, dryRun: true }));
    expect(dry.records[0]!.outcome).toBe('created');
    expect((await t.call('GET', `/api/v1/collections/${encodeURIComponent(dry.records[0]!.id!)}`, { as: manager })).status).toBe(404);

    const other = await t.provider();
    const report = await withTransaction(ctx, (tx) =>
      importCollections(tx, [validCollection(site, { xnat: xnat('TX_OK') }), validCollection(other, { xnat: xnat('TX_NO') })], { publish: true, dryRun: false }),
    );
    expect(report).toMatchObject({ created: 1, rejected: 1 });
    const ok = await t.call('GET', `/api/v1/collections/${encodeURIComponent(report.records[0]!.id!)}`);
    expect(ok.body.publicationState).toBe('published');
  });
});
