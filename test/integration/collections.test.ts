import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchOutbox } from '../../server/db/schema.js';
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

describe('collections: create, read, update, publish, withdraw, delete', () => {
  it('creates a draft with normalised codings and an ETag', async () => {
    const res = await t.call('POST', '/api/v1/collections', {
      as: manager,
      body: validCollection(site, {
        modalities: ['MRI', 'PET', 'Pathology', 'mr'],
        xnat: { instance: 'https://xnat.a.org', projectId: 'NORM_1', visibility: 'public' },
      }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('location')).toBe(`/api/v1/collections/${encodeURIComponent(`${site}:collection:norm_1`)}`);
    expect(res.body.publicationState).toBe('draft');
    expect(res.body.modalities.map((m: { code: string }) => m.code)).toEqual(['MR', 'PT', 'SM']);
    expect(res.body.derived.cancerSiteGroups.length).toBeGreaterThan(0);
  });

  it('updates only with the current ETag: a stale one gets 412 and loses nothing', async () => {
    const c = await t.collection(site, {}, { as: manager });
    const url = `/api/v1/collections/${encodeURIComponent(c.id)}`;
    const body = { ...validCollection(site, { xnat: c.xnat }), title: 'Renamed once' };
    const noMatch = await t.call('PUT', url, { as: manager, body });
    expect(noMatch.status).toBe(428);
    const ok = await t.call('PUT', url, { as: manager, body, headers: { 'if-match': `"${c.revision}"` } });
    expect(ok.status).toBe(200);
    expect(ok.body.title).toBe('Renamed once');
    const stale = await t.call('PUT', url, {
      as: manager,
      body: { ...body, title: 'Lost update?' },
      headers: { 'if-match': `"${c.revision}"` },
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect(stale.body.code).toBe('precondition_failed');
    const now = await t.call('GET', url);
    expect(now.body.title).toBe('Renamed once');
  });

  it('refuses to publish an incomplete draft, naming the missing fields', async () => {
    const draft = await t.call('POST', '/api/v1/collections', {
      as: manager,
      body: {
        providerId: site,
        title: 'Sparse',
        description: 'Not much yet',
        xnat: { instance: 'https://xnat.a.org', projectId: 'SPARSE', visibility: 'public' },
      },
    });
    expect(draft.status).toBe(201);
    const pub = await t.call('POST', `/api/v1/collections/${encodeURIComponent(draft.body.id)}/publish`, { as: manager });
    expect(pub.status).toBe(422);
    expect(pub.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['modalities', 'bodyParts', 'subjectsCount', 'accessRights']),
    );
  });

  it('withdraws to a tombstone that anonymous readers still resolve, and deletes only drafts', async () => {
    const c = await t.collection(site, {}, { as: manager });
    const url = `/api/v1/collections/${encodeURIComponent(c.id)}`;
    expect((await t.call('DELETE', url, { as: manager })).status).toBe(409);
    const w = await t.call('POST', `${url}/withdraw`, { as: manager, body: { reason: 'Consent withdrawn for part of the cohort' } });
    expect(w.status).toBe(200);
    const tomb = await t.call('GET', url);
    expect(tomb.status).toBe(200);
    expect(tomb.body).toMatchObject({
      id: c.id,
      publicationState: 'withdrawn',
      withdrawnReason: 'Consent withdrawn for part of the cohort',
    });
    expect(tomb.body.description).toBeUndefined();
    const listed = await t.call('GET', `/api/v1/collections?providerId=${site}&limit=200`);
    expect(listed.body.items.map((i: { id: string }) => i.id)).not.toContain(c.id);

    const d = await t.collection(site, {}, { as: manager, publish: false });
    expect((await t.call('DELETE', `/api/v1/collections/${encodeURIComponent(d.id)}`, { as: manager })).status).toBe(204);
    expect((await t.call('GET', `/api/v1/collections/${encodeURIComponent(d.id)}`, { as: manager })).status).toBe(404);
  });

  it('lets only data managers of the provider (or admins) write', async () => {
    const outsider = await t.user();
    const res = await t.call('POST', '/api/v1/collections', {
      as: outsider,
      body: validCollection(site, { xnat: { instance: 'https://xnat.a.org', projectId: 'NOPE', visibility: 'public' } }),
    });
    expect(res.status).toBe(403);
    const anon = await t.call('POST', '/api/v1/collections', { body: validCollection(site) });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('pages through every visible collection with a cursor, without duplicates', async () => {
    const p = await t.provider();
    for (let i = 0; i < 7; i++) await t.collection(p);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await t.call('GET', `/api/v1/collections?providerId=${p}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it('filters the list by modality and body part codes', async () => {
    const p = await t.provider();
    await t.collection(p, { modalities: ['MR'], bodyParts: ['Brain'] });
    await t.collection(p, { modalities: ['CT'], bodyParts: ['Chest'] });
    const mr = await t.call('GET', `/api/v1/collections?providerId=${p}&modality=MR`);
    expect(mr.body.items).toHaveLength(1);
    expect(mr.body.items[0].modalities[0].code).toBe('MR');
    const chest = await t.call('GET', `/api/v1/collections?providerId=${p}&bodyPart=CHEST`);
    expect(chest.body.items).toHaveLength(1);
  });

  it('records every write in the search outbox in the same transaction', async () => {
    const c = await t.collection(site, {}, { as: manager });
    const [row] = await tdb.database.db.select({ n: count() }).from(searchOutbox).where(eq(searchOutbox.collectionId, c.id));
    expect(row!.n).toBeGreaterThanOrEqual(2); // create + publish
  });
});

describe('providers and networks', () => {
  it('queues the search update of every member collection when a network or provider is renamed', async () => {
    const admin = await t.user({ admin: true });
    const net = await t.call('POST', '/api/v1/networks', {
      as: admin,
      body: { id: `net-${Date.now()}`, kind: 'project', name: 'Old name' },
    });
    expect(net.status).toBe(201);
    const p = await t.provider();
    const c = await t.collection(p, { networkIds: [net.body.id] });
    const before = await t.database.db.select({ n: count() }).from(searchOutbox).where(eq(searchOutbox.collectionId, c.id));
    const renamed = await t.call('PUT', `/api/v1/networks/${net.body.id}`, {
      as: admin,
      body: { kind: 'project', name: 'New name' },
      headers: { 'if-match': net.headers.get('etag')! },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('New name');
    const prov = await t.call('GET', `/api/v1/providers/${p}`);
    const { createdAt: _c, modifiedAt: _m, revision: _r, id: _i, actions: _a, ...provDoc } = prov.body;
    expect(
      (
        await t.call('PUT', `/api/v1/providers/${p}`, {
          as: admin,
          body: { ...provDoc, name: 'Renamed site' },
          headers: { 'if-match': prov.headers.get('etag')! },
        })
      ).status,
    ).toBe(200);
    const after = await t.database.db.select({ n: count() }).from(searchOutbox).where(eq(searchOutbox.collectionId, c.id));
    expect(after[0]!.n - before[0]!.n).toBe(2);
  });

  it('lets a data manager edit their provider but not another one', async () => {
    const mine = await t.provider();
    const theirs = await t.provider();
    const dm = await t.user({ providerIds: [mine] });
    const read = await t.call('GET', `/api/v1/providers/${mine}`);
    const { createdAt: _c, modifiedAt: _m, revision: _r, id: _i, actions: _a, ...doc } = read.body;
    const ok = await t.call('PUT', `/api/v1/providers/${mine}`, {
      as: dm,
      body: { ...doc, city: 'Leiden' },
      headers: { 'if-match': read.headers.get('etag')! },
    });
    expect(ok.status).toBe(200);
    expect((await t.call('PUT', `/api/v1/providers/${theirs}`, { as: dm, body: doc, headers: { 'if-match': '"1"' } })).status).toBe(403);
    expect((await t.call('POST', '/api/v1/providers', { as: dm, body: { ...doc, id: 'new-site' } })).status).toBe(403);
  });
});
