/**
 * A private collection must be invisible to anyone outside its provider on every endpoint:
 * not in reads, lists, filters, counts, import reports or errors (404, never 403).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, validCollection, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let t: TestApp;
let owner: string;
let other: string;
let member: string;
let outsiderManager: string;
let researcher: string;
let admin: string;
let secret: { id: string; title: string };

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp(tdb.database);
  owner = await t.provider();
  other = await t.provider();
  member = await t.user({ providerIds: [owner] });
  outsiderManager = await t.user({ providerIds: [other] });
  researcher = await t.user();
  admin = await t.user({ admin: true });
  secret = await t.collection(
    owner,
    { title: 'Zebrafish secret glioma cohort', xnat: { instance: 'https://xnat.a.org', projectId: 'SECRET_1', visibility: 'private' } },
    { as: member },
  );
  await t.collection(owner, { title: 'Open lung cohort' }, { as: member });
});
afterAll(async () => tdb.drop());

const url = () => `/api/v1/collections/${encodeURIComponent(secret.id)}`;
const outsiders = () => [undefined, researcher, outsiderManager];

describe('private collections', () => {
  it('are readable by provider members and admins', async () => {
    expect((await t.call('GET', url(), { as: member })).status).toBe(200);
    expect((await t.call('GET', url(), { as: admin })).status).toBe(200);
  });

  it('answer 404 with the same body as a missing id for everyone else', async () => {
    const missing = await t.call('GET', '/api/v1/collections/no-such-collection', { as: researcher });
    for (const who of outsiders()) {
      const res = await t.call('GET', url(), { as: who });
      expect(res.status).toBe(404);
      expect({ ...res.body, instance: undefined, requestId: undefined }).toEqual({
        ...missing.body,
        instance: undefined,
        requestId: undefined,
      });
    }
  });

  it('are not listed, filtered or counted for outsiders', async () => {
    for (const who of outsiders()) {
      for (const q of [
        `providerId=${owner}`,
        `providerId=${owner}&q=Zebrafish`,
        `providerId=${owner}&state=published`,
        `providerId=${owner}&modality=CT`,
      ]) {
        const res = await t.call('GET', `/api/v1/collections?${q}&limit=200`, { as: who });
        expect(res.status).toBe(200);
        expect(JSON.stringify(res.body)).not.toContain('Zebrafish');
      }
    }
    const mine = await t.call('GET', `/api/v1/collections?providerId=${owner}&q=Zebrafish`, { as: member });
    expect(mine.body.items).toHaveLength(1);
  });

  it('cannot be changed or probed through writes: 404, never 403', async () => {
    const body = validCollection(owner, { xnat: { instance: 'https://xnat.a.org', projectId: 'SECRET_1', visibility: 'private' } });
    for (const who of [researcher, outsiderManager]) {
      expect((await t.call('PUT', url(), { as: who, body, headers: { 'if-match': '"1"' } })).status).toBe(404);
      expect((await t.call('POST', `${url()}/withdraw`, { as: who, body: { reason: 'probe' } })).status).toBe(404);
      expect((await t.call('POST', `${url()}/publish`, { as: who })).status).toBe(404);
      expect((await t.call('DELETE', url(), { as: who })).status).toBe(404);
    }
  });

  it('are not revealed through parent links or import reports of other providers', async () => {
    const res = await t.call('POST', '/api/v1/collections', {
      as: outsiderManager,
      body: validCollection(other, {
        parentCollectionId: secret.id,
        xnat: { instance: 'https://xnat.a.org', projectId: 'PROBE_PARENT', visibility: 'public' },
      }),
    });
    expect(res.status).toBe(422);
    const missingParent = await t.call('POST', '/api/v1/collections', {
      as: outsiderManager,
      body: validCollection(other, {
        parentCollectionId: `${owner}:collection:nothing`,
        xnat: { instance: 'https://xnat.a.org', projectId: 'PROBE_PARENT2', visibility: 'public' },
      }),
    });
    expect(missingParent.body.errors).toEqual(res.body.errors);

    // The same XNAT project under the outsider's own provider is simply another collection of theirs.
    const imp = await t.call('POST', '/api/v1/import', {
      as: outsiderManager,
      body: {
        collections: [
          validCollection(other, { xnat: { instance: 'https://xnat.a.org', projectId: 'SECRET_1', visibility: 'public' } }),
          { ...validCollection(owner), id: secret.id },
        ],
      },
    });
    expect(imp.status).toBe(200);
    expect(imp.body.records[0].outcome).toBe('created');
    expect(imp.body.records[1].outcome).toBe('rejected');
    expect(JSON.stringify(imp.body.records[1])).not.toMatch(/exists|private|Zebrafish/i);
  });
});

describe('provider viewers', () => {
  it('see their provider’s private collections and drafts, but cannot change them or import', async () => {
    const viewer = await t.user();
    const add = await t.call('POST', `/api/v1/providers/${owner}/members`, { as: admin, body: { userId: viewer, role: 'viewer' } });
    expect(add.status).toBe(204);
    const me = await t.call('GET', '/api/v1/me', { as: viewer });
    expect(me.body).toMatchObject({ memberships: [{ providerId: owner, role: 'viewer' }], actions: [] });
    const draft = await t.collection(
      owner,
      { title: 'Owner draft', xnat: { instance: 'https://xnat.a.org', projectId: 'DRAFT_V', visibility: 'private' } },
      { as: member, publish: false },
    );

    const read = await t.call('GET', url(), { as: viewer });
    expect(read.status).toBe(200);
    expect(read.body.actions).toEqual([]);
    const listed = await t.call('GET', `/api/v1/collections?providerId=${owner}&limit=200`, { as: viewer });
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([secret.id, draft.id]));

    expect((await t.call('POST', `${url()}/withdraw`, { as: viewer, body: { reason: 'no' } })).status).toBe(403);
    expect((await t.call('DELETE', `/api/v1/collections/${encodeURIComponent(draft.id)}`, { as: viewer })).status).toBe(403);
    const imp = await t.call('POST', '/api/v1/import', {
      as: viewer,
      body: {
        collections: [validCollection(owner, { xnat: { instance: 'https://xnat.a.org', projectId: 'VIEWER_IMP', visibility: 'public' } })],
      },
    });
    expect(imp.body.records[0].outcome).toBe('rejected');

    // Promoted to data manager, the same user may change them: the role is read on every request.
    await t.call('POST', `/api/v1/providers/${owner}/members`, { as: admin, body: { userId: viewer, role: 'data_manager' } });
    expect((await t.call('GET', url(), { as: viewer })).body.actions).toEqual(['edit', 'withdraw', 'history']);
  });
});
