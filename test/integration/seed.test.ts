/** The seeded demo catalogue, read through the API as its users would. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase } from '../../seed/seed.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let t: TestApp;
beforeAll(async () => {
  tdb = await createTestDatabase();
  const summary = await seedDatabase(tdb.database.db);
  expect(summary.rejected).toBe(0);
  t = await buildTestApp(tdb.database);
});
afterAll(async () => tdb.drop());

async function pageAll(as?: string) {
  const items: { id: string; providerId: string; visibility: string; modalities: { code?: string; label: string }[] }[] = [];
  let cursor: string | undefined;
  do {
    const res = await t.call('GET', `/api/v1/collections?limit=50${cursor ? `&cursor=${cursor}` : ''}`, { as });
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

describe('seeded catalogue', () => {
  it('pages through all 161 IDC collections and the protected EuCanImage ones, anonymously', async () => {
    const items = await pageAll();
    expect(items.filter((i) => i.providerId === 'nci-idc')).toHaveLength(161);
    expect(items.filter((i) => i.visibility === 'protected')).toHaveLength(30);
    expect(items.some((i) => i.visibility === 'private')).toBe(false);
  });

  it('shows the private pilot collection to its data manager and admins only', async () => {
    expect((await pageAll('eu-curator')).some((i) => i.visibility === 'private')).toBe(true);
    expect((await pageAll('admin')).some((i) => i.visibility === 'private')).toBe(true);
    expect((await pageAll('researcher')).some((i) => i.visibility === 'private')).toBe(false);
    expect((await pageAll('curator')).some((i) => i.visibility === 'private')).toBe(false);
  });

  it('stores real values normalised: TCGA-PRAD is CT/MR/PT/SM with segmentations, prostate, C61', async () => {
    const res = await t.call('GET', '/api/v1/collections/nci-idc:collection:tcga_prad');
    expect(res.status).toBe(200);
    const codes = res.body.modalities.map((m: { code?: string }) => m.code);
    expect(codes).toEqual(expect.arrayContaining(['CT', 'MR', 'PT', 'SM', 'SEG', 'ANN']));
    expect(res.body.bodyParts[0].code).toBe('PROSTATE');
    expect(res.body.conditions[0]).toMatchObject({ system: 'ICD-10', code: 'C61', text: 'Prostate Cancer' });
    expect(res.body.derived).toMatchObject({ hasSegmentation: true, cancerSiteGroups: ['prostate'] });
    expect(res.body.subjectsCount).toBe(500);
    expect(res.body.license?.spdxId).toBe('CC-BY-3.0');
    expect(res.body.networkIds).toEqual(['programme-tcga']);
  });

  it('lets the demo users sign in through the dev token endpoint', async () => {
    const users = await t.call('GET', '/api/v1/dev/users');
    expect(users.body.items.map((u: { id: string }) => u.id)).toEqual(
      expect.arrayContaining(['researcher', 'curator', 'eu-curator', 'admin']),
    );
    const tok = await t.call('POST', '/api/v1/dev/token', { body: { user: 'curator' } });
    expect(tok.status).toBe(200);
    const me = await t.app.request('/api/v1/me', { headers: { authorization: `Bearer ${tok.body.token}` } });
    expect(await me.json()).toMatchObject({ id: 'curator', providerIds: ['nci-idc'] });
    const unknown = await t.call('POST', '/api/v1/dev/token', { body: { user: 'mallory' } });
    expect(unknown.status).toBe(422);
  });
});
