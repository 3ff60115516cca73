/**
 * Access requests wired to the XNAT role sync, end to end: real PostgreSQL, real pg-boss engine,
 * the XNAT emulator in-process. Approve → `active` once the emulator lists the user in the right
 * group; revoke → `revoked` once it no longer does; a short approval → `expired` on time;
 * withdrawal of active access removes the role; no XNAT username or no registered instance never
 * loses the approval and tells the researcher what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessModule, configureAccess, jobs as accessJobs } from '../../server/access/index.js';
import { wireAccessToXnat } from '../../server/access-xnat.js';
import type { JobEngine } from '../../server/jobs/index.js';
import type { XnatEmulator } from '../../server/xnat/emulator/server.js';
import { xnatModule } from '../../server/xnat/index.js';
import { person, REQUEST_FORM as FORM } from '../helpers/access.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestJobs, waitFor } from '../helpers/jobs.js';
import { quickXnatJobs, startXnat } from '../helpers/xnat.js';

let tdb: TestDatabase;
let t: TestApp;
let emu: XnatEmulator;
let engine: JobEngine;
let unwire: () => void;
let xnatUrl: string;
let prov: string, owner: string, rosa: string, rami: string, admin: string;
const KEY = 'https://xnat.central.example.org';
const roleOf = (p: string, u: string) => emu.state.roleOf(p, u) ?? null;

beforeAll(async () => {
  tdb = await createTestDatabase();
  const x = await startXnat();
  emu = x.emu;
  xnatUrl = x.url;
  engine = await startTestJobs(tdb, [...quickXnatJobs(), ...accessJobs]);
  t = await buildTestApp(tdb.database, { jobs: engine, modules: [xnatModule, accessModule()] });
  configureAccess({ mail: { smtpUrl: undefined } });
  unwire = wireAccessToXnat();
  prov = await t.provider();
  owner = await person(tdb.database, 'owner-x');
  await t.user({ id: owner, providerIds: [prov] });
  rosa = await person(tdb.database, 'rosa');
  rami = await person(tdb.database, 'rami');
  admin = await person(tdb.database, 'ada', { admin: true });
  for (const login of ['rosa', 'rami']) emu.state.addUser({ login, password: login });
  for (const id of ['LUNG', 'BRAIN', 'HEAD', 'KNEE']) emu.state.addProject({ id, accessibility: 'protected' });
  const inst = await t.call('POST', '/api/v1/admin/xnat/instances', {
    as: admin,
    body: {
      id: 'central',
      name: 'Central XNAT',
      url: x.url,
      key: KEY,
      credentials: { kind: 'password', username: 'admin', password: 'admin' },
    },
  });
  expect(inst.status).toBe(201);
  // rosa has her XNAT username set; rami has none yet.
  expect((await t.call('PUT', '/api/v1/me/xnat-accounts/central', { as: rosa, body: { username: 'rosa' } })).status).toBe(200);
});
afterAll(async () => {
  unwire?.();
  await engine?.stop();
  await emu?.stop();
  await tdb?.drop();
});

async function collection(projectId: string, instance = KEY) {
  return t.collection(prov, {
    title: `Collection ${projectId}`,
    accessRights: 'RESTRICTED',
    dataUse: [{ term: 'HMB' }],
    accessPolicy: { allowedRoles: ['collaborator', 'member'], maxDurationMonths: 24 },
    xnat: { instance, projectId, visibility: 'protected' },
  } as never);
}

/** A researcher's submitted request for one collection: [requestId, itemId]. */
async function submitted(as: string, collectionId: string): Promise<[string, string]> {
  const res = await t.call('POST', '/api/v1/requests', { as, body: { collectionIds: [collectionId] } });
  expect(res.status).toBe(201);
  expect((await t.call('PUT', `/api/v1/requests/${res.body.id}`, { as, body: FORM })).status).toBe(200);
  expect((await t.call('POST', `/api/v1/requests/${res.body.id}/submit`, { as })).status).toBe(200);
  return [res.body.id, res.body.items[0].id];
}

async function item(as: string, id: string) {
  const res = await t.call('GET', `/api/v1/requests/${id}`, { as });
  expect(res.status).toBe(200);
  return res.body.items[0];
}
const statusBecomes = (as: string, id: string, status: string, ms = 30_000) =>
  waitFor(`item ${status}`, async () => (await item(as, id)).status === status, ms);

describe('approval → XNAT role → active; revoke → revoked', () => {
  let id: string, itemId: string;
  it('approves; the item is active once the emulator lists the user with the decided role', async () => {
    const col = await collection('LUNG');
    [id, itemId] = await submitted(rosa, col.id);
    const res = await t.call('POST', `/api/v1/requests/${id}/items/${itemId}/decision`, {
      as: owner,
      body: { outcome: 'approve', role: 'member' },
    });
    expect(res.status).toBe(200);
    expect(res.body.items[0].status).toBe('approved');
    await statusBecomes(rosa, id, 'active');
    expect(roleOf('LUNG', 'rosa')).toBe('member');
    const it1 = await item(rosa, id);
    expect(it1.grant).toMatchObject({ state: 'active', projectId: 'LUNG' });
    expect(it1.grant.xnatUrl).toMatch(/\/data\/projects\/LUNG$/);
    expect(it1.grant.message).toMatch(/^Granted in XNAT at \d{4}-/);
    const hist = await t.call('GET', `/api/v1/requests/${id}/history`, { as: rosa });
    expect(hist.body.events).toContainEqual(
      expect.objectContaining({ type: 'item.activated', actor: 'system', detail: expect.stringMatching(/^granted in XNAT at /) }),
    );
  });

  it('owner revokes; the item stays active until XNAT no longer lists the user, then revoked', async () => {
    const res = await t.call('POST', `/api/v1/requests/${id}/items/${itemId}/revoke`, { as: owner, body: { reason: 'Project ended' } });
    expect(res.status).toBe(200);
    expect(['active', 'revoked']).toContain(res.body.items[0].status);
    await statusBecomes(rosa, id, 'revoked');
    expect(roleOf('LUNG', 'rosa')).toBeNull();
    expect((await item(rosa, id)).grant.state).toBe('removed');
  });
});

describe('expiry and withdrawal', () => {
  it('a short approval expires on time and the role is removed', async () => {
    const col = await collection('BRAIN');
    const [id, itemId] = await submitted(rosa, col.id);
    const until = new Date(Date.now() + 4000);
    const res = await t.call('POST', `/api/v1/requests/${id}/items/${itemId}/decision`, {
      as: owner,
      body: { outcome: 'approve', role: 'collaborator', until: until.toISOString() },
    });
    expect(res.status).toBe(200);
    await statusBecomes(rosa, id, 'active');
    expect(roleOf('BRAIN', 'rosa')).toBe('collaborator');
    await statusBecomes(rosa, id, 'expired', 20_000);
    const endedAt = Date.now();
    expect(endedAt).toBeGreaterThanOrEqual(until.getTime());
    expect(endedAt - until.getTime()).toBeLessThan(10_000); // on time (job polling is 0.5 s)
    expect(roleOf('BRAIN', 'rosa')).toBeNull();
  });

  it('withdrawing an active item removes the role', async () => {
    const col = await collection('HEAD');
    const [id, itemId] = await submitted(rosa, col.id);
    await t.call('POST', `/api/v1/requests/${id}/items/${itemId}/decision`, { as: owner, body: { outcome: 'approve', role: 'member' } });
    await statusBecomes(rosa, id, 'active');
    expect(roleOf('HEAD', 'rosa')).toBe('member');
    const res = await t.call('POST', `/api/v1/requests/${id}/items/${itemId}/withdraw`, { as: rosa, body: { reason: 'Done early' } });
    expect(res.status).toBe(200);
    expect(res.body.items[0].status).toBe('withdrawn');
    await waitFor('role removed', () => roleOf('HEAD', 'rosa') === null);
    await waitFor('grant removed', async () => (await item(rosa, id)).grant?.state === 'removed');
  });
});

describe('when XNAT cannot take the grant yet', () => {
  it('no XNAT username: the approval stands, the item says to set it at /me/xnat, and setting it grants the role', async () => {
    const col = await collection('KNEE');
    const [id, itemId] = await submitted(rami, col.id);
    const res = await t.call('POST', `/api/v1/requests/${id}/items/${itemId}/decision`, { as: owner, body: { outcome: 'approve' } });
    expect(res.status).toBe(200);
    await waitFor('grant attempt', async () => (await item(rami, id)).grant?.state === 'needs_username');
    const it1 = await item(rami, id);
    expect(it1.status).toBe('approved');
    expect(it1.grant.message).toMatch(/\/me\/xnat/);
    expect((await item(owner, id)).grant.state).toBe('needs_username');
    expect((await t.call('PUT', '/api/v1/me/xnat-accounts/central', { as: rami, body: { username: 'rami' } })).status).toBe(200);
    await statusBecomes(rami, id, 'active');
    expect(roleOf('KNEE', 'rami')).toBe('collaborator');
  });

  it('an unregistered XNAT instance: the approval is recorded (no 500) and the item says why', async () => {
    const col = await collection('ELSEWHERE', 'https://xnat.unknown.example.org');
    const [id, itemId] = await submitted(rosa, col.id);
    const res = await t.call('POST', `/api/v1/requests/${id}/items/${itemId}/decision`, { as: owner, body: { outcome: 'approve' } });
    expect(res.status).toBe(200);
    const it1 = await item(rosa, id);
    expect(it1.status).toBe('approved');
    expect(it1.grant).toMatchObject({ state: 'no_instance' });
    expect(it1.grant.message).toMatch(/not registered/);
    // Once an admin registers that XNAT, a retry turns the approval into the role.
    emu.state.addProject({ id: 'ELSEWHERE', accessibility: 'protected' });
    const inst = await t.call('POST', '/api/v1/admin/xnat/instances', {
      as: admin,
      body: {
        id: 'other',
        name: 'Other XNAT',
        url: xnatUrl,
        key: 'https://xnat.unknown.example.org',
        credentials: { kind: 'password', username: 'admin', password: 'admin' },
      },
    });
    expect(inst.status).toBe(201);
    expect((await t.call('PUT', '/api/v1/me/xnat-accounts/other', { as: rosa, body: { username: 'rosa' } })).status).toBe(200);
    expect((await t.call('POST', `/api/v1/requests/${id}/items/${itemId}/grant`, { as: rosa })).status).toBe(200);
    await statusBecomes(rosa, id, 'active');
    expect(roleOf('ELSEWHERE', 'rosa')).toBe('collaborator');
  });

  it('an approval nothing in XNAT holds is revoked at once', async () => {
    const col = await collection('NOWHERE', 'https://xnat.nowhere.example.org');
    const [id, itemId] = await submitted(rosa, col.id);
    expect(
      (await t.call('POST', `/api/v1/requests/${id}/items/${itemId}/decision`, { as: owner, body: { outcome: 'approve' } })).status,
    ).toBe(200);
    const rev = await t.call('POST', `/api/v1/requests/${id}/items/${itemId}/revoke`, { as: owner });
    expect(rev.body.items[0].status).toBe('revoked');
  });
});
