/**
 * What the collection verbs (server/catalogue/collections.ts) return beyond who may do what: the full
 * record and the list summary field by field, the times of publication and withdrawal as the record
 * moves through its states, and the list's cursor, page size, state filter and vocabulary filters.
 * What a write checks and leaves behind is in collection-writes.test.ts.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collection } from '../../server/db/schema.js';
import { buildTestApp, collectionUrl, validCollection, xnatRef, type TestApp } from '../helpers/app.js';
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

const url = collectionUrl;
const xnat = xnatRef;
const create = (body: unknown, as = manager) => t.call('POST', '/api/v1/collections', { as, body });

describe('the full record', () => {
  it('is the document plus id, state, derived facets, times, revision and actions; no publication or withdrawal time before they happen', async () => {
    const doc = validCollection(site, { xnat: xnat(), acronym: 'SHAPE' });
    const res = await create(doc);
    expect(res.status).toBe(201);
    const body = res.body;
    for (const k of Object.keys(doc)) expect(body).toHaveProperty(k);
    for (const k of ['publishedAt', 'withdrawnAt', 'withdrawnReason']) expect(body).not.toHaveProperty(k);
    expect(body).toMatchObject({
      id: `${site}:collection:${doc.xnat.projectId.toLowerCase()}`,
      title: doc.title,
      acronym: 'SHAPE',
      description: doc.description,
      xnat: doc.xnat,
      subjectsCount: 120,
      publicationState: 'draft',
      revision: 1,
    });
    expect([...body.actions].sort()).toEqual(['delete', 'edit', 'history', 'publish']);
    expect(body.modalities.map((m: { code: string }) => m.code)).toEqual(['CT', 'SEG']);
    expect(body.derived.cancerSiteGroups.length).toBeGreaterThan(0);
    expect(body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(body.modifiedAt).toBe(body.createdAt);
    // The same record on a read.
    expect((await t.call('GET', url(res.body.id), { as: manager })).body).toEqual(res.body);
  });

  it('shows when it was published and withdrawn, and forgets the withdrawal when published again', async () => {
    const draft = (await create(validCollection(site, { xnat: xnat() }))).body;
    const published = (await t.call('POST', `${url(draft.id)}/publish`, { as: manager })).body;
    expect(published).toMatchObject({ publicationState: 'published', revision: 2, publishedAt: published.modifiedAt });
    expect(published.createdAt).toBe(draft.createdAt);
    expect(published).not.toHaveProperty('withdrawnAt');
    expect(published).not.toHaveProperty('withdrawnReason');

    const withdrawn = (await t.call('POST', `${url(draft.id)}/withdraw`, { as: manager, body: { reason: 'Consent withdrawn' } })).body;
    expect(withdrawn).toMatchObject({
      publicationState: 'withdrawn',
      revision: 3,
      withdrawnAt: withdrawn.modifiedAt,
      withdrawnReason: 'Consent withdrawn',
      publishedAt: published.publishedAt,
    });

    const again = await t.call('POST', `${url(draft.id)}/publish`, { as: manager });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ publicationState: 'published', revision: 4, publishedAt: again.body.modifiedAt });
    expect(again.body.publishedAt > published.publishedAt).toBe(true);
    expect(again.body).not.toHaveProperty('withdrawnAt');
    expect(again.body).not.toHaveProperty('withdrawnReason');
    expect((await t.call('GET', url(draft.id))).body).not.toHaveProperty('withdrawnReason');
  });

  it('created and published at once (import with publish) carries its publication time', async () => {
    const record = validCollection(site, { xnat: xnat() });
    const res = await t.call('POST', '/api/v1/import', { as: manager, body: { publish: true, collections: [record] } });
    expect(res.body.created).toBe(1);
    const c = (await t.call('GET', url(res.body.records[0].id))).body;
    expect(c).toMatchObject({ publicationState: 'published', revision: 1, publishedAt: c.createdAt, modifiedAt: c.createdAt });
    // Outsiders see it from its creation: first exposed then, and its record datestamp is that time.
    const [r] = await tdb.database.db
      .select({ d: collection.recordDatestamp, e: collection.exposedAt })
      .from(collection)
      .where(eq(collection.id, c.id));
    expect(r!.e?.toISOString()).toBe(c.createdAt);
    expect(r!.d.toISOString()).toBe(c.createdAt);
  });

  it('an imported record with an invalid required field is rejected naming that field', async () => {
    const record = { ...validCollection(site, { xnat: xnat() }), xnat: { ...xnat(), visibility: 'secret' } };
    const res = await t.call('POST', '/api/v1/import', { as: manager, body: { collections: [record] } });
    expect(res.body.records[0]).toMatchObject({ outcome: 'rejected', code: 'validation_failed' });
    expect(res.body.records[0].errors.map((e: { path: string }) => e.path)).toEqual(['xnat.visibility']);
  });
});

describe('the list summary', () => {
  it('names what a list needs and nothing of the document beyond it', async () => {
    const p = await t.provider();
    const dm = await t.user({ providerIds: [p] });
    const withAll = await t.collection(p, { xnat: xnat('protected'), acronym: 'ALL' }, { as: dm });
    const { acronym: _a, subjectsCount: _s, accessRights: _r, ...bare } = validCollection(p, { xnat: xnat() });
    void _a;
    void _s;
    void _r;
    const sparse = (await create(bare, dm)).body;
    const items = (await t.call('GET', `/api/v1/collections?providerId=${p}&limit=10`, { as: dm })).body.items;
    const byId = (id: string) => items.find((i: { id: string }) => i.id === id);
    expect(byId(withAll.id)).toEqual({
      id: withAll.id,
      title: withAll.title,
      acronym: 'ALL',
      providerId: p,
      publicationState: 'published',
      visibility: 'protected',
      modalities: withAll.modalities,
      bodyParts: withAll.bodyParts,
      conditions: withAll.conditions,
      subjectsCount: 120,
      accessRights: withAll.accessRights,
      modifiedAt: withAll.modifiedAt,
      actions: expect.arrayContaining(['edit', 'withdraw', 'history']),
    });
    const s = byId(sparse.id);
    expect(s).toMatchObject({ id: sparse.id, publicationState: 'draft', visibility: 'public' });
    for (const k of ['acronym', 'subjectsCount', 'accessRights', 'description', 'keywords', 'xnat']) expect(s).not.toHaveProperty(k);
  });
});

describe('the list', () => {
  it('refuses a cursor it did not issue, naming the parameter', async () => {
    const res = await t.call('GET', '/api/v1/collections?cursor=not-a-cursor');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'query.cursor', message: 'not a cursor this API issued' }]);
    expect(res.body.detail).toBe('Invalid query parameters.');
  });

  it('lists drafts and published ones by default, one state when asked, and offers no cursor after the last page', async () => {
    const p = await t.provider();
    const dm = await t.user({ providerIds: [p] });
    const pub = await t.collection(p, { xnat: xnat() }, { as: dm });
    const draft = await t.collection(p, { xnat: xnat() }, { as: dm, publish: false });
    const gone = await t.collection(p, { xnat: xnat() }, { as: dm });
    expect((await t.call('POST', `${url(gone.id)}/withdraw`, { as: dm, body: { reason: 'r' } })).status).toBe(200);
    const ids = async (query: string) => {
      const res = await t.call('GET', `/api/v1/collections?providerId=${p}${query}`, { as: dm });
      expect(res.status).toBe(200);
      return { ids: res.body.items.map((i: { id: string }) => i.id).sort(), next: res.body.nextCursor };
    };
    expect(await ids('&limit=3')).toEqual({ ids: [pub.id, draft.id].sort(), next: undefined });
    expect(await ids('&limit=2')).toEqual({ ids: [pub.id, draft.id].sort(), next: undefined });
    const first = await ids('&limit=1');
    expect(first.ids).toHaveLength(1);
    expect(first.next).toEqual(expect.any(String));
    const second = await ids(`&limit=1&cursor=${first.next}`);
    expect(second).toEqual({ ids: [[pub.id, draft.id].find((i) => i !== first.ids[0])], next: undefined });
    expect(await ids('&state=draft')).toEqual({ ids: [draft.id], next: undefined });
    expect(await ids('&state=withdrawn')).toEqual({ ids: [gone.id], next: undefined });
  });

  it('normalises modality and body-part filters like search does', async () => {
    const p = await t.provider();
    const mr = await t.collection(p, { xnat: xnat(), modalities: ['MR'], bodyParts: ['Brain'] });
    await t.collection(p, { xnat: xnat(), modalities: ['CT'], bodyParts: ['Chest'] });
    const list = async (q: string) =>
      (await t.call('GET', `/api/v1/collections?providerId=${p}&${q}`)).body.items.map((i: { id: string }) => i.id);
    expect(await list('modality=MRI')).toEqual([mr.id]);
    expect(await list('bodyPart=brain')).toEqual([mr.id]);
  });
});
