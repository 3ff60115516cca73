/**
 * XNAT role sync against the emulator: approval → role confirmed by read-back; revoke and expiry
 * remove it; roles we never granted are left alone and reported; drift is repaired by reconcile;
 * the admin API lists instances without secrets, tests connections, queues reconciles, reports status.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTransaction } from '../../server/core/context.js';
import { onGrantStateChange, requestGrant, requestRevoke, xnatModule, type GrantStateChange } from '../../server/xnat/index.js';
import type { XnatEmulator } from '../../server/xnat/emulator/server.js';
import { metricsModule } from '../../server/metrics/index.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import type { JobEngine } from '../../server/jobs/index.js';
import { startXnat, startXnatWorkers, systemContext, xnatIdle } from '../helpers/xnat.js';

let tdb: TestDatabase;
let t: TestApp;
let emu: XnatEmulator;
let queue: JobEngine;
let stopWorkers: () => Promise<void>;
let admin: string;
const events: GrantStateChange[] = [];
let unlisten: () => void;
const ctx = () => systemContext(tdb.database.db, queue);
const drain = (includeFuture = false) => xnatIdle(tdb.database.db, { includeFuture });
let itemSeq = 0;

beforeAll(async () => {
  tdb = await createTestDatabase();
  const x = await startXnat();
  emu = x.emu;
  ({ queue, stop: stopWorkers } = await startXnatWorkers(tdb));
  t = await buildTestApp(tdb.database, { jobs: queue, modules: [xnatModule, metricsModule] });
  admin = await t.user({ admin: true });
  for (const login of ['rosa', 'rami', 'carl']) emu.state.addUser({ login, password: login });
  emu.state.addProject({ id: 'LUNG', accessibility: 'protected', owner: 'carl' });
  emu.state.addProject({ id: 'BRAIN', accessibility: 'private' });
  const res = await t.call('POST', '/api/v1/admin/xnat/instances', {
    as: admin,
    body: {
      id: 'central',
      name: 'Central XNAT',
      url: x.url,
      key: 'https://xnat.central.example.org',
      credentials: { kind: 'password', username: 'admin', password: 'admin' },
    },
  });
  expect(res.status).toBe(201);
  for (const id of ['rosa', 'rami', 'carl']) {
    await t.user({ id });
    const set = await t.call('PUT', '/api/v1/me/xnat-accounts/central', { as: id, body: { username: id } });
    expect(set.status).toBe(200);
  }
  unlisten = onGrantStateChange(async (_ctx, e) => void events.push(e));
});
afterAll(async () => {
  unlisten?.();
  await stopWorkers?.();
  await emu?.stop();
  await tdb?.drop();
});
beforeEach(() => {
  events.length = 0;
  emu.faults.clear();
});

async function grant(userId: string, projectId: string, role: 'owner' | 'member' | 'collaborator', until?: Date) {
  const itemId = `item-${++itemSeq}`;
  await withTransaction(ctx(), (tx) =>
    requestGrant(tx, { itemId, userId, instanceId: 'https://xnat.central.example.org', projectId, role, until }),
  );
  return itemId;
}

describe('grant and revoke', () => {
  it('an approval becomes a role confirmed by read-back; the access module hears "active"', async () => {
    const before = emu.requests.length;
    const item = await grant('rosa', 'LUNG', 'member');
    await drain();
    expect(emu.state.roleOf('LUNG', 'rosa')).toBe('member');
    expect(events).toEqual([expect.objectContaining({ itemId: item, state: 'active' })]);
    const mine = emu.requests.slice(before);
    const put = mine.filter((r) => r.method === 'PUT');
    expect(put.map((r) => r.path)).toEqual(['/data/projects/LUNG/users/LUNG_member/rosa']);
    expect(put[0]!.query).not.toMatch(/sendemail/);
    expect(mine.every((r) => !/Mozilla|AppleWebKit/.test(r.userAgent))).toBe(true);
    // The user was checked first, and the change read back after.
    const i = mine.findIndex((r) => r.method === 'PUT');
    expect(mine.slice(0, i).some((r) => r.path === '/xapi/users/profile/rosa' && r.status === 200)).toBe(true);
    expect(mine.slice(i + 1).some((r) => r.path === '/data/projects/LUNG/users/true' && r.method === 'GET')).toBe(true);

    // Idempotent: running the job again changes nothing.
    await queue.send(tdb.database.db, 'xnat.grant', { grantId: (await grantOf(item)).id });
    await drain();
    expect(emu.state.mutations.filter((m) => m.login === 'rosa' && m.op === 'add')).toHaveLength(1);

    const mineApi = await t.call('GET', '/api/v1/me/xnat-grants', { as: 'rosa' });
    expect(mineApi.body.items[0]).toMatchObject({
      itemId: item,
      applied: 'present',
      role: 'member',
      xnatUrl: `${emu.url}/data/projects/LUNG`,
    });

    await withTransaction(ctx(), (tx) => requestRevoke(tx, { itemId: item, reason: 'revoked' }));
    await drain();
    expect(emu.state.roleOf('LUNG', 'rosa')).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ itemId: item, state: 'revoked' });
    // Revoke again: nothing to do, no event.
    await withTransaction(ctx(), (tx) => requestRevoke(tx, { itemId: item, reason: 'revoked' }));
    await drain();
    expect(events.filter((e) => e.state === 'revoked')).toHaveLength(1);
  });

  it('reuses one XNAT session for every job of the process', async () => {
    const sessions = emu.state.sessionsCreated;
    const a = await grant('rami', 'LUNG', 'collaborator');
    const b = await grant('rami', 'BRAIN', 'member');
    await drain();
    expect(emu.state.sessionsCreated - sessions).toBeLessThanOrEqual(0);
    for (const item of [a, b]) await withTransaction(ctx(), (tx) => requestRevoke(tx, { itemId: item, reason: 'withdrawn' }));
    await drain();
    expect(emu.state.roleOf('LUNG', 'rami')).toBeUndefined();
    expect(emu.state.roleOf('BRAIN', 'rami')).toBeUndefined();
  });

  it('never invites: a username missing in XNAT fails the grant without a PUT', async () => {
    await t.user({ id: 'ghost' });
    const set = await t.call('PUT', '/api/v1/me/xnat-accounts/central', { as: 'ghost', body: { username: 'ghost' } });
    expect(set.status).toBe(422);
    expect(set.body.errors[0].path).toBe('username');
    // An account that existed and was deleted in XNAT since.
    emu.state.addUser({ login: 'gone', password: 'x' });
    await t.user({ id: 'gone' });
    expect((await t.call('PUT', '/api/v1/me/xnat-accounts/central', { as: 'gone', body: { username: 'gone' } })).status).toBe(200);
    emu.state.users.delete('gone');
    const item = await grant('gone', 'LUNG', 'member');
    await drain();
    expect(events).toEqual([expect.objectContaining({ itemId: item, state: 'failed' })]);
    expect(emu.requestsTo('PUT', /\/gone$/)).toHaveLength(0);
    expect(emu.state.invitations).toHaveLength(0);
    // A user without an XNAT username on the instance fails too (it is their profile to fix).
    await t.user({ id: 'nouser' });
    const item2 = await grant('nouser', 'LUNG', 'member');
    await drain();
    expect(events.at(-1)).toMatchObject({ itemId: item2, state: 'failed' });
    const failing = await t.call('GET', '/api/v1/admin/xnat/grants/failing', { as: admin });
    expect(failing.body.items.map((g: { itemId: string }) => g.itemId)).toEqual(expect.arrayContaining([item, item2]));
  });

  it('expiry with a short duration removes the role on time', async () => {
    const until = new Date(Date.now() + 1500);
    const item = await grant('rosa', 'BRAIN', 'collaborator', until);
    await drain();
    expect(emu.state.roleOf('BRAIN', 'rosa')).toBe('collaborator');
    await drain(true); // waits for the expiry job (startAfter = until)
    const removed = emu.state.mutations.filter((m) => m.login === 'rosa' && m.projectId === 'BRAIN' && m.op === 'remove').at(-1)!;
    expect(emu.state.roleOf('BRAIN', 'rosa')).toBeUndefined();
    expect(removed.at.getTime()).toBeGreaterThanOrEqual(until.getTime());
    expect(removed.at.getTime() - until.getTime()).toBeLessThan(2000);
    expect(events.at(-1)).toMatchObject({ itemId: item, state: 'expired' });
  });
});

describe('roles we did not grant', () => {
  it('an existing higher role is kept on grant and on revoke, and reported', async () => {
    const item = await grant('carl', 'LUNG', 'member'); // carl owns LUNG
    await drain();
    expect(emu.state.roleOf('LUNG', 'carl')).toBe('owner');
    expect(events.at(-1)).toMatchObject({ itemId: item, state: 'active', note: expect.stringContaining('already owner') });
    await withTransaction(ctx(), (tx) => requestRevoke(tx, { itemId: item, reason: 'revoked' }));
    await drain();
    expect(emu.state.roleOf('LUNG', 'carl')).toBe('owner');
    expect(emu.state.mutations.filter((m) => m.login === 'carl' && m.by !== 'by-hand')).toHaveLength(0);
  });

  it('a lower prior role is raised for the grant and restored (not removed) on revoke', async () => {
    emu.state.setRoleByHand('BRAIN', 'rami', 'collaborator');
    const item = await grant('rami', 'BRAIN', 'owner');
    await drain();
    expect(emu.state.roleOf('BRAIN', 'rami')).toBe('owner');
    await withTransaction(ctx(), (tx) => requestRevoke(tx, { itemId: item, reason: 'revoked' }));
    await drain();
    expect(emu.state.roleOf('BRAIN', 'rami')).toBe('collaborator');
    emu.state.setRoleByHand('BRAIN', 'rami', null);
  });

  it('a custom group is never touched; the grant fails with the reason', async () => {
    emu.state.addCustomGroup('LUNG', 'Reviewers');
    emu.state.addToGroup(emu.state.projects.get('LUNG')!, emu.state.projects.get('LUNG')!.groups.get('LUNG_reviewers')!, 'rami', 'by-hand');
    const item = await grant('rami', 'LUNG', 'member');
    await drain();
    expect(emu.state.groupOf(emu.state.projects.get('LUNG')!, 'rami')?.id).toBe('LUNG_reviewers');
    expect(events.at(-1)).toMatchObject({ itemId: item, state: 'failed' });
    emu.state.removeFromGroup(
      emu.state.projects.get('LUNG')!,
      emu.state.projects.get('LUNG')!.groups.get('LUNG_reviewers')!,
      'rami',
      'by-hand',
    );
    await withTransaction(ctx(), (tx) => requestRevoke(tx, { itemId: item, reason: 'withdrawn' }));
    await drain();
  });
});

describe('reconcile', () => {
  it('repairs roles removed or lowered by hand, leaves raised and foreign ones alone, and reports them', async () => {
    emu.state.addProject({ id: 'DRIFT', accessibility: 'protected' });
    emu.state.addUser({ login: 'outsider', password: 'x' });
    emu.state.setRoleByHand('DRIFT', 'outsider', 'member'); // never granted by us
    const a = await grant('rosa', 'DRIFT', 'member');
    const b = await grant('rami', 'DRIFT', 'member');
    await drain();
    const status0 = await t.call('GET', '/api/v1/admin/xnat/status', { as: admin });
    expect(status0.body.items.find((s: { projectId: string }) => s.projectId === 'DRIFT')).toMatchObject({ status: 'in_sync' });

    emu.state.setRoleByHand('DRIFT', 'rosa', null); // removed by hand
    emu.state.setRoleByHand('DRIFT', 'rami', 'owner'); // raised by hand: not ours
    const q = await t.call('POST', '/api/v1/admin/xnat/reconcile', { as: admin, body: { instanceId: 'central', projectId: 'DRIFT' } });
    expect(q.status).toBe(202);
    expect(q.body.queued).toBe(1);
    await drain();
    expect(emu.state.roleOf('DRIFT', 'rosa')).toBe('member');
    expect(emu.state.roleOf('DRIFT', 'rami')).toBe('owner');
    expect(emu.state.roleOf('DRIFT', 'outsider')).toBe('member');
    const st = (await t.call('GET', '/api/v1/admin/xnat/status', { as: admin })).body.items.find(
      (s: { projectId: string }) => s.projectId === 'DRIFT',
    );
    expect(st).toMatchObject({ status: 'in_sync', driftFound: 1, driftRepaired: 1 });
    expect(st.reports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ username: 'outsider', note: expect.stringContaining('not granted by this service') }),
        expect.objectContaining({ username: 'rami', note: expect.stringContaining('raised to owner') }),
      ]),
    );

    // Lowered by hand → raised back.
    emu.state.setRoleByHand('DRIFT', 'rosa', 'collaborator');
    await t.call('POST', '/api/v1/admin/xnat/reconcile', { as: admin, body: {} });
    await drain();
    expect(emu.state.roleOf('DRIFT', 'rosa')).toBe('member');

    // Revoking rami's grant leaves the owner role someone gave by hand.
    await withTransaction(ctx(), (tx) => requestRevoke(tx, { itemId: b, reason: 'revoked' }));
    await drain();
    expect(emu.state.roleOf('DRIFT', 'rami')).toBe('owner');
    await withTransaction(ctx(), (tx) => requestRevoke(tx, { itemId: a, reason: 'revoked' }));
    await drain();
    expect(emu.state.roleOf('DRIFT', 'rosa')).toBeUndefined();
  });
});

describe('admin API', () => {
  it('lists instances without secrets, tests the connection, refuses non-admins', async () => {
    const list = await t.call('GET', '/api/v1/admin/xnat/instances', { as: admin });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: 'central', url: emu.url, key: 'https://xnat.central.example.org', authKind: 'password' }),
    ]);
    expect(JSON.stringify(list.body)).not.toMatch(/"admin"|credentials|secret/);
    const row = (await tdb.database.db.query.xnatInstance.findFirst())!;
    expect(row.credentials).not.toContain('admin');

    expect((await t.call('POST', '/api/v1/admin/xnat/instances/central/test', { as: admin })).body).toMatchObject({ ok: true });
    await t.call('PATCH', '/api/v1/admin/xnat/instances/central', {
      as: admin,
      body: { credentials: { kind: 'password', username: 'admin', password: 'wrong' } },
    });
    expect((await t.call('POST', '/api/v1/admin/xnat/instances/central/test', { as: admin })).body).toMatchObject({
      ok: false,
      error: 'unauthorized',
    });
    // Alias tokens are preferred: issue one in XNAT and switch to it.
    const token = emu.state.issueToken('admin');
    await t.call('PATCH', '/api/v1/admin/xnat/instances/central', {
      as: admin,
      body: { credentials: { kind: 'token', alias: token.alias, secret: token.secret } },
    });
    expect((await t.call('POST', '/api/v1/admin/xnat/instances/central/test', { as: admin })).body).toMatchObject({ ok: true });

    expect((await t.call('GET', '/api/v1/admin/xnat/instances', { as: 'rosa' })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/admin/xnat/instances')).status).toBe(401);
    expect((await t.call('POST', '/api/v1/admin/xnat/reconcile', { as: 'rosa', body: {} })).status).toBe(403);
    const bad = await t.call('POST', '/api/v1/admin/xnat/instances', {
      as: admin,
      body: { name: 'x', url: 'ftp://nope', credentials: { kind: 'token' } },
    });
    expect(bad.status).toBe(422);
  });
});

describe('hostile input', () => {
  const writes: [string, string, string?][] = [
    ['POST', '/api/v1/admin/xnat/instances'],
    ['PATCH', '/api/v1/admin/xnat/instances/central'],
    ['POST', '/api/v1/admin/xnat/reconcile'],
    ['PUT', '/api/v1/admin/xnat/accounts/rosa/central'],
    ['PUT', '/api/v1/me/xnat-accounts/central', 'rosa'],
  ];
  it.each(writes)('%s %s: malformed JSON → 400, not JSON → 415, wrong types → 422, never a 5xx', async (method, path, as) => {
    const who = as ?? admin;
    const bad = await t.call(method, path, { as: who, body: '{"name": "unterminated', headers: { 'content-type': 'application/json' } });
    expect([bad.status, bad.body.code]).toEqual([400, 'malformed_json']);
    const form = await t.call(method, path, { as: who, body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([form.status, form.body.code]).toEqual([415, 'unsupported_media_type']);
    const types = await t.call(method, path, {
      as: who,
      body: { name: 42, url: ['x'], credentials: 'all', username: false, instanceId: 7 },
    });
    expect([types.status, types.body.code]).toEqual([422, 'validation_failed']);
    expect(types.body.errors.length).toBeGreaterThan(0);
  });
});

describe('metrics', () => {
  it('/metrics reports grants, revokes, drift, job latency, XNAT calls and API requests in Prometheus text', async () => {
    const res = await t.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? 'NaN');
    expect(value(/^xnat_grants_total (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^xnat_revokes_total\{reason="revoked"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^xnat_drift_found_total (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^xnat_job_duration_seconds_count\{job="grant",outcome="ok"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^xnat_http_requests_total\{method="PUT",status="200"\} (\d+)/m)).toBeGreaterThan(0);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/api\/v1\/admin\/xnat\/status",status="200"\} \d+/m);
  });
});

async function grantOf(itemId: string) {
  return (await tdb.database.db.query.xnatGrant.findFirst({ where: (g, { eq }) => eq(g.sourceId, itemId) }))!;
}
