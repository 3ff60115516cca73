/**
 * Authorisation matrix of every access endpoint: anonymous, the researcher, another researcher, a
 * data manager of the item's provider, a data manager of another provider, an admin. What one may
 * not know exists is 404 (never 403); what one may see but not do is 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantStateChanged } from '../../server/access/index.js';
import { buildAccessApp, person, systemCtx, type RecordingQueue } from '../helpers/access.js';
import type { TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let t: TestApp;
let queue: RecordingQueue;
let prov: string, otherProv: string, col: any, otherCol: any;
const P = { researcher: 'mx-researcher', other: 'mx-other', owner: 'mx-owner', otherOwner: 'mx-other-owner', admin: 'mx-admin' } as const;
type Persona = 'anonymous' | keyof typeof P;
const PERSONAS: Persona[] = ['anonymous', 'researcher', 'other', 'owner', 'otherOwner', 'admin'];
const as = (p: Persona) => (p === 'anonymous' ? undefined : P[p]);

const FORM = {
  title: 'Matrix study',
  laySummary: 'A study to test who may do what.',
  abstract: 'An abstract long enough to pass.',
  purposes: [{ code: 'GRU' }],
  commercialUse: false,
};

beforeAll(async () => {
  tdb = await createTestDatabase();
  ({ t, queue } = await buildAccessApp(tdb.database));
  prov = await t.provider();
  otherProv = await t.provider();
  for (const id of Object.values(P)) await person(tdb.database, id, { admin: id === P.admin });
  await t.user({ id: P.owner, providerIds: [prov] });
  await t.user({ id: P.otherOwner, providerIds: [otherProv] });
  col = await t.collection(prov, { title: 'Matrix collection', accessRights: 'RESTRICTED' });
  otherCol = await t.collection(otherProv, { title: 'Other collection', accessRights: 'RESTRICTED' });
});
afterAll(async () => tdb.drop());

/** A request of the researcher in the given stage, with its item. */
async function fresh(stage: 'draft' | 'submitted' | 'approved' | 'active') {
  const r = await t.call('POST', '/api/v1/requests', { as: P.researcher, body: { collectionIds: [col.id] } });
  const id = r.body.id as string;
  const itemId = r.body.items[0].id as string;
  if (stage === 'draft') return { id, itemId };
  await t.call('PUT', `/api/v1/requests/${id}`, { as: P.researcher, body: FORM });
  expect((await t.call('POST', `/api/v1/requests/${id}/submit`, { as: P.researcher })).status).toBe(200);
  if (stage === 'submitted') return { id, itemId };
  expect(
    (await t.call('POST', `/api/v1/requests/${id}/items/${itemId}/decision`, { as: P.owner, body: { outcome: 'approve' } })).status,
  ).toBe(200);
  if (stage === 'active') await grantStateChanged(systemCtx(tdb.database, queue), { itemId, state: 'active' });
  return { id, itemId };
}

type Case = {
  name: string;
  stage?: 'draft' | 'submitted' | 'approved' | 'active';
  call: (r: { id: string; itemId: string }) => [string, string, unknown?];
  expect: Record<Persona, number>;
};

const CASES: Case[] = [
  {
    name: 'GET /cart',
    call: () => ['GET', '/api/v1/cart'],
    expect: { anonymous: 401, researcher: 200, other: 200, owner: 200, otherOwner: 200, admin: 200 },
  },
  {
    name: 'POST /cart/items',
    call: () => ['POST', '/api/v1/cart/items', { collectionId: col.id }],
    expect: { anonymous: 401, researcher: 201, other: 201, owner: 201, otherOwner: 201, admin: 201 },
  },
  {
    name: 'DELETE /cart/items/{id}',
    call: () => ['DELETE', `/api/v1/cart/items/${col.id}`],
    expect: { anonymous: 401, researcher: 204, other: 204, owner: 204, otherOwner: 204, admin: 204 },
  },
  {
    name: 'POST /requests',
    call: () => ['POST', '/api/v1/requests', { collectionIds: [otherCol.id] }],
    expect: { anonymous: 401, researcher: 201, other: 201, owner: 201, otherOwner: 201, admin: 201 },
  },
  {
    name: 'GET /requests',
    call: () => ['GET', '/api/v1/requests'],
    expect: { anonymous: 401, researcher: 200, other: 200, owner: 200, otherOwner: 200, admin: 200 },
  },
  {
    name: 'GET /requests/{id} (submitted)',
    stage: 'submitted',
    call: (r) => ['GET', `/api/v1/requests/${r.id}`],
    expect: { anonymous: 401, researcher: 200, other: 404, owner: 200, otherOwner: 404, admin: 200 },
  },
  {
    name: 'GET /requests/{id} (draft)',
    stage: 'draft',
    call: (r) => ['GET', `/api/v1/requests/${r.id}`],
    expect: { anonymous: 401, researcher: 200, other: 404, owner: 404, otherOwner: 404, admin: 200 },
  },
  {
    name: 'PUT /requests/{id}',
    stage: 'draft',
    call: (r) => ['PUT', `/api/v1/requests/${r.id}`, FORM],
    expect: { anonymous: 401, researcher: 200, other: 404, owner: 404, otherOwner: 404, admin: 403 },
  },
  {
    name: 'GET /requests/{id}/policy-check',
    stage: 'draft',
    call: (r) => ['GET', `/api/v1/requests/${r.id}/policy-check`],
    expect: { anonymous: 401, researcher: 200, other: 404, owner: 404, otherOwner: 404, admin: 200 },
  },
  {
    name: 'POST /requests/{id}/submit',
    stage: 'draft',
    call: (r) => ['POST', `/api/v1/requests/${r.id}/submit`],
    expect: { anonymous: 401, researcher: 422, other: 404, owner: 404, otherOwner: 404, admin: 403 },
  },
  {
    name: 'POST …/items/{itemId}/review',
    stage: 'submitted',
    call: (r) => ['POST', `/api/v1/requests/${r.id}/items/${r.itemId}/review`],
    expect: { anonymous: 401, researcher: 403, other: 404, owner: 200, otherOwner: 404, admin: 200 },
  },
  {
    name: 'POST …/items/{itemId}/decision',
    stage: 'submitted',
    call: (r) => ['POST', `/api/v1/requests/${r.id}/items/${r.itemId}/decision`, { outcome: 'reject', reason: 'matrix' }],
    expect: { anonymous: 401, researcher: 403, other: 404, owner: 200, otherOwner: 404, admin: 200 },
  },
  {
    name: 'POST …/items/{itemId}/assign',
    stage: 'submitted',
    call: (r) => ['POST', `/api/v1/requests/${r.id}/items/${r.itemId}/assign`, { assigneeId: P.otherOwner }],
    expect: { anonymous: 401, researcher: 403, other: 404, owner: 403, otherOwner: 404, admin: 200 },
  },
  {
    name: 'POST …/items/{itemId}/revoke',
    stage: 'active',
    call: (r) => ['POST', `/api/v1/requests/${r.id}/items/${r.itemId}/revoke`, { reason: 'matrix' }],
    expect: { anonymous: 401, researcher: 403, other: 404, owner: 200, otherOwner: 404, admin: 200 },
  },
  {
    name: 'POST /requests/{id}/withdraw',
    stage: 'submitted',
    call: (r) => ['POST', `/api/v1/requests/${r.id}/withdraw`],
    expect: { anonymous: 401, researcher: 200, other: 404, owner: 403, otherOwner: 404, admin: 200 },
  },
  {
    name: 'POST /requests/{id}/renew',
    stage: 'approved',
    call: (r) => ['POST', `/api/v1/requests/${r.id}/renew`],
    expect: { anonymous: 401, researcher: 201, other: 404, owner: 403, otherOwner: 404, admin: 403 },
  },
  {
    name: 'GET /requests/{id}/history',
    stage: 'submitted',
    call: (r) => ['GET', `/api/v1/requests/${r.id}/history`],
    expect: { anonymous: 401, researcher: 200, other: 404, owner: 200, otherOwner: 404, admin: 200 },
  },
  {
    name: 'GET /requests/{id}/messages',
    stage: 'submitted',
    call: (r) => ['GET', `/api/v1/requests/${r.id}/messages`],
    expect: { anonymous: 401, researcher: 200, other: 404, owner: 200, otherOwner: 404, admin: 200 },
  },
  {
    name: 'POST /requests/{id}/messages',
    stage: 'submitted',
    call: (r) => ['POST', `/api/v1/requests/${r.id}/messages`, { body: 'hi' }],
    expect: { anonymous: 401, researcher: 201, other: 404, owner: 201, otherOwner: 404, admin: 201 },
  },
  {
    name: 'GET /inbox',
    call: () => ['GET', '/api/v1/inbox'],
    expect: { anonymous: 401, researcher: 200, other: 200, owner: 200, otherOwner: 200, admin: 200 },
  },
  {
    name: 'GET /notifications',
    call: () => ['GET', '/api/v1/notifications'],
    expect: { anonymous: 401, researcher: 200, other: 200, owner: 200, otherOwner: 200, admin: 200 },
  },
  {
    name: 'POST /notifications/read',
    call: () => ['POST', '/api/v1/notifications/read'],
    expect: { anonymous: 401, researcher: 204, other: 204, owner: 204, otherOwner: 204, admin: 204 },
  },
  {
    name: 'GET /me/notification-preferences',
    call: () => ['GET', '/api/v1/me/notification-preferences'],
    expect: { anonymous: 401, researcher: 200, other: 200, owner: 200, otherOwner: 200, admin: 200 },
  },
  {
    name: 'PUT /me/notification-preferences',
    call: () => ['PUT', '/api/v1/me/notification-preferences', { message: 'daily' }],
    expect: { anonymous: 401, researcher: 200, other: 200, owner: 200, otherOwner: 200, admin: 200 },
  },
  {
    name: 'GET /collections/{id}/access-stats',
    call: () => ['GET', `/api/v1/collections/${col.id}/access-stats`],
    expect: { anonymous: 200, researcher: 200, other: 200, owner: 200, otherOwner: 200, admin: 200 },
  },
];

describe('authorisation matrix', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const got: Record<string, number> = {};
      for (const p of PERSONAS) {
        const r = c.stage ? await fresh(c.stage) : { id: '', itemId: '' };
        const [method, path, body] = c.call(r);
        const res = await t.call(method, path, { as: as(p), body });
        got[p] = res.status;
        if (res.status >= 400) expect(res.headers.get('content-type'), `${c.name} as ${p}`).toContain('application/problem+json');
      }
      expect(got).toEqual(c.expect);
    });
  }

  it('attachments: upload and download', async () => {
    const r = await fresh('submitted');
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    const up = async (p: Persona) => {
      const headers: Record<string, string> = { 'content-type': 'application/pdf' };
      if (p !== 'anonymous') headers.authorization = `Bearer ${await t.issuer.sign({ sub: P[p], name: P[p] })}`;
      return t.app.request(`/api/v1/requests/${r.id}/attachments?filename=a.pdf`, { method: 'POST', body: pdf, headers });
    };
    const statuses = Object.fromEntries(await Promise.all(PERSONAS.map(async (p) => [p, (await up(p)).status])));
    expect(statuses).toEqual({ anonymous: 401, researcher: 201, other: 404, owner: 201, otherOwner: 404, admin: 201 });
    const att = (await (await up('researcher')).json()) as { id: string };
    await t.call('POST', `/api/v1/requests/${r.id}/messages`, { as: P.researcher, body: { body: 'file', attachmentIds: [att.id] } });
    const get = async (p: Persona) => (await t.call('GET', `/api/v1/requests/${r.id}/attachments/${att.id}`, { as: as(p) })).status;
    const got = Object.fromEntries(await Promise.all(PERSONAS.map(async (p) => [p, await get(p)])));
    expect(got).toEqual({ anonymous: 401, researcher: 200, other: 404, owner: 200, otherOwner: 404, admin: 200 });
  });

  it('refuses the researcher a decision on their own request before looking at it (403, not what is wrong with it)', async () => {
    const r = await fresh('submitted');
    const bad = { outcome: 'approve', until: '2000-01-01' };
    const own = await t.call('POST', `/api/v1/requests/${r.id}/items/${r.itemId}/decision`, { as: P.researcher, body: bad });
    expect(own.status).toBe(403);
    // The same body from the provider's data manager is refused for what it says.
    const owner = await t.call('POST', `/api/v1/requests/${r.id}/items/${r.itemId}/decision`, { as: P.owner, body: bad });
    expect(owner.status).toBe(422);
  });

  it("lists only one's own requests; owners see submitted ones in their inbox only", async () => {
    const r = await fresh('submitted');
    const mine = await t.call('GET', '/api/v1/requests', { as: P.researcher });
    expect(mine.body.items.some((x: any) => x.id === r.id)).toBe(true);
    const other = await t.call('GET', '/api/v1/requests', { as: P.other });
    expect(other.body.items.some((x: any) => x.id === r.id)).toBe(false);
    expect((await t.call('GET', '/api/v1/inbox', { as: P.owner })).body.items.some((x: any) => x.requestId === r.id)).toBe(true);
    expect((await t.call('GET', '/api/v1/inbox', { as: P.otherOwner })).body.items.some((x: any) => x.requestId === r.id)).toBe(false);
    expect((await t.call('GET', '/api/v1/inbox', { as: P.other })).body.items).toEqual([]);
  });

  it('every access endpoint is in the OpenAPI document', async () => {
    const doc = t.openapi() as { paths: Record<string, Record<string, unknown>> };
    for (const [path, method] of [
      ['/api/v1/cart', 'get'],
      ['/api/v1/cart/items', 'post'],
      ['/api/v1/cart/items/{collectionId}', 'delete'],
      ['/api/v1/requests', 'post'],
      ['/api/v1/requests', 'get'],
      ['/api/v1/requests/{id}', 'get'],
      ['/api/v1/requests/{id}', 'put'],
      ['/api/v1/requests/{id}/submit', 'post'],
      ['/api/v1/requests/{id}/items/{itemId}/decision', 'post'],
      ['/api/v1/requests/{id}/withdraw', 'post'],
      ['/api/v1/requests/{id}/items/{itemId}/revoke', 'post'],
      ['/api/v1/requests/{id}/renew', 'post'],
      ['/api/v1/inbox', 'get'],
      ['/api/v1/requests/{id}/history', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});

describe('attachment size', () => {
  it('accepts a 2 MB PDF (above the general body limit) and refuses one over 5 MB with 413', async () => {
    const r = await fresh('submitted');
    const auth = `Bearer ${await t.issuer.sign({ sub: P.researcher, name: P.researcher })}`;
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2 * 1024 * 1024, 32)]);
    const ok = await t.app.request(`/api/v1/requests/${r.id}/attachments?filename=big.pdf`, {
      method: 'POST',
      body: big,
      headers: { authorization: auth, 'content-type': 'application/pdf' },
    });
    expect(ok.status).toBe(201);
    const huge = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(6 * 1024 * 1024, 32)]);
    const tooBig = await t.app.request(`/api/v1/requests/${r.id}/attachments?filename=huge.pdf`, {
      method: 'POST',
      body: huge,
      headers: { authorization: auth, 'content-type': 'application/pdf' },
    });
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { code: string }).code).toBe('payload_too_large');
  });
});
