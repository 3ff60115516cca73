/**
 * What the collection verbs (server/catalogue/collections.ts) show and refuse, per caller: the
 * tombstone of a withdrawn collection (whole to its editors, trimmed to everyone else, in reads and in
 * lists), the actions each caller is offered, 404 rather than 401/403 for what a caller may not see, and
 * the fields an update may not change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, uid, validCollection, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let t: TestApp;
let site: string;
let manager: string;
let researcher: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp(tdb.database);
  site = await t.provider();
  manager = await t.user({ providerIds: [site] });
  researcher = await t.user();
});
afterAll(async () => tdb.drop());

const url = (id: string) => `/api/v1/collections/${encodeURIComponent(id)}`;
const xnat = (visibility: 'public' | 'protected' | 'private' = 'public') => ({
  instance: 'https://xnat.verbs.org',
  projectId: uid('P').replace('-', '_'),
  visibility,
});

async function withdrawn(overrides: Record<string, unknown> = {}) {
  const c = await t.collection(site, { xnat: xnat(), acronym: 'LUNGX', pid: 'https://hdl.example/1', ...overrides }, { as: manager });
  const w = await t.call('POST', `${url(c.id)}/withdraw`, { as: manager, body: { reason: 'Consent withdrawn' } });
  expect(w.status).toBe(200);
  return w.body;
}

describe('a withdrawn collection', () => {
  it('is a tombstone to everyone but its editors: who, what, when and why, nothing else', async () => {
    const c = await withdrawn();
    for (const as of [undefined, researcher]) {
      const res = await t.call('GET', url(c.id), { as });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: c.id,
        title: c.title,
        providerId: site,
        publicationState: 'withdrawn',
        withdrawnAt: c.withdrawnAt,
        withdrawnReason: 'Consent withdrawn',
        pid: 'https://hdl.example/1',
        actions: [],
      });
    }
  });

  it('a tombstone without a persistent identifier names none', async () => {
    const c = await withdrawn({ pid: undefined });
    const res = await t.call('GET', url(c.id));
    expect(res.body).not.toHaveProperty('pid');
  });

  it('stays whole to its editors, with what they may do next', async () => {
    const c = await withdrawn();
    const res = await t.call('GET', url(c.id), { as: manager });
    expect(res.body).toMatchObject({ id: c.id, description: c.description, acronym: 'LUNGX', withdrawnReason: 'Consent withdrawn' });
    expect(res.body.actions).toEqual(expect.arrayContaining(['publish', 'history']));
    expect(res.body.actions).not.toContain('withdraw');
  });

  it('is listed (when asked for withdrawn ones) as the same tombstone to outsiders, whole to editors', async () => {
    const c = await withdrawn();
    const list = async (as?: string) =>
      (await t.call('GET', `/api/v1/collections?providerId=${site}&state=withdrawn&limit=200`, { as })).body.items.find(
        (i: { id: string }) => i.id === c.id,
      );
    expect(await list()).toEqual({
      id: c.id,
      title: c.title,
      providerId: site,
      publicationState: 'withdrawn',
      modalities: [],
      bodyParts: [],
      conditions: [],
      modifiedAt: c.withdrawnAt,
      actions: [],
    });
    const whole = await list(manager);
    expect(whole).toMatchObject({ id: c.id, acronym: 'LUNGX', visibility: 'public', subjectsCount: 120 });
    expect(whole.modalities.length).toBeGreaterThan(0);
    expect(whole.actions).toEqual(expect.arrayContaining(['publish', 'history']));
  });
});

describe('actions offered', () => {
  it('outsiders are offered nothing; editors what the state allows, and the history', async () => {
    const published = await t.collection(site, { xnat: xnat() }, { as: manager });
    const draft = await t.collection(site, { xnat: xnat() }, { as: manager, publish: false });
    for (const as of [undefined, researcher]) expect((await t.call('GET', url(published.id), { as })).body.actions).toEqual([]);
    expect((await t.call('GET', url(published.id), { as: manager })).body.actions.sort()).toEqual(['edit', 'history', 'withdraw']);
    expect((await t.call('GET', url(draft.id), { as: manager })).body.actions.sort()).toEqual(['delete', 'edit', 'history', 'publish']);
  });
});

describe('what a caller may not see does not exist for them', () => {
  it('every write on a private collection (or a draft) of another provider is 404, signed in or not', async () => {
    const hidden = [
      await t.collection(site, { xnat: xnat('private') }, { as: manager }),
      await t.collection(site, { xnat: xnat() }, { as: manager, publish: false }),
    ];
    for (const c of hidden) {
      const writes = [
        ['PUT', url(c.id), { ...validCollection(site, { xnat: c.xnat }), title: 'x' }, { 'if-match': `"${c.revision}"` }],
        ['POST', `${url(c.id)}/publish`, undefined, undefined],
        ['POST', `${url(c.id)}/withdraw`, { reason: 'x' }, undefined],
        ['DELETE', url(c.id), undefined, undefined],
        ['GET', url(c.id), undefined, undefined],
      ] as const;
      for (const as of [undefined, researcher]) {
        for (const [method, path, body, headers] of writes) {
          const res = await t.call(method, path, { as, body, headers });
          expect(res.status, `${as ?? 'anonymous'} ${method} ${path}`).toBe(404);
          expect(res.body.detail, `${as ?? 'anonymous'} ${method} ${path}`).toBe('No such collection.');
        }
      }
    }
  });

  it('a parent collection the caller may not see is an unknown reference, like one that does not exist', async () => {
    const other = await t.provider();
    const otherManager = await t.user({ providerIds: [other] });
    const hiddenParent = await t.collection(other, { xnat: xnat('private') }, { as: otherManager });
    const visibleParent = await t.collection(other, { xnat: xnat() }, { as: otherManager });
    const create = (parentCollectionId: string) =>
      t.call('POST', '/api/v1/collections', { as: manager, body: validCollection(site, { xnat: xnat(), parentCollectionId }) });
    for (const parent of [hiddenParent.id, `${other}:collection:nothing`]) {
      const res = await create(parent);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ path: 'parentCollectionId', message: 'no such collection', code: 'unknown_reference' }]);
    }
    expect((await create(visibleParent.id)).status).toBe(201);
  });

  it('creating for a provider one does not manage names the provider as the reason', async () => {
    const res = await t.call('POST', '/api/v1/collections', { as: researcher, body: validCollection(site, { xnat: xnat() }) });
    expect(res.status).toBe(403);
    expect(res.body.errors).toEqual([{ path: 'providerId', message: 'you do not manage this provider', code: 'forbidden' }]);
    expect(res.body.detail).toMatch(/only data managers of this provider or catalogue admins/i);
  });

  it('a researcher changing a collection they can see is told who may', async () => {
    const c = await t.collection(site, { xnat: xnat() }, { as: manager });
    const res = await t.call('POST', `${url(c.id)}/withdraw`, { as: researcher, body: { reason: 'x' } });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/only data managers of this provider or catalogue admins/i);
  });
});

describe('what an update may not change', () => {
  it('the id and the provider stay; the refusal names the field and nothing changes', async () => {
    const c = await t.collection(site, { xnat: xnat() }, { as: manager });
    const other = await t.provider();
    const admin = await t.user({ admin: true });
    const put = (body: unknown) => t.call('PUT', url(c.id), { as: admin, body, headers: { 'if-match': `"${c.revision}"` } });
    const base = { ...validCollection(site, { xnat: c.xnat }), title: 'Changed' };
    const idChange = await put({ ...base, id: `${site}:collection:elsewhere` });
    expect(idChange.status).toBe(422);
    expect(idChange.body.errors).toEqual([expect.objectContaining({ path: 'id', message: 'the id cannot change' })]);
    const move = await put({ ...base, providerId: other });
    expect(move.status).toBe(422);
    expect(move.body.errors).toEqual([
      expect.objectContaining({ path: 'providerId', message: 'a collection cannot move to another provider' }),
    ]);
    expect((await t.call('GET', url(c.id))).body).toMatchObject({ title: c.title, revision: c.revision, providerId: site });
    expect((await put({ ...base, id: c.id })).status).toBe(200);
  });
});
