/**
 * With XNAT failing for a while (5xx, connections dropped before and after the change, hung
 * requests), every grant and revoke reaches its final state once it recovers, and none is applied
 * twice, also with several workers running the same jobs at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUser } from '../../server/auth/queries.js';
import { withTransaction } from '../../server/core/context.js';
import { onGrantStateChange, requestGrant, requestRevoke, type GrantStateChange } from '../../server/xnat/index.js';
import type { XnatEmulator } from '../../server/xnat/emulator/server.js';
import { insertInstance, upsertAccount } from '../../server/xnat/queries.js';
import { sealCredentials } from '../../server/xnat/secrets.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import type { JobEngine } from '../../server/jobs/index.js';
import { startXnat, startXnatWorkers, systemContext, xnatIdle } from '../helpers/xnat.js';

let tdb: TestDatabase;
let emu: XnatEmulator;
let queue: JobEngine;
let stopWorkers: () => Promise<void>;
const events: GrantStateChange[] = [];
let unlisten: () => void;
const ctx = () => systemContext(tdb.database.db, queue);
const USERS = Array.from({ length: 8 }, (_, i) => `user${i}`);
const PROJECTS = ['P_A', 'P_B', 'P_C'];
const ROLES = ['member', 'collaborator', 'owner'] as const;

beforeAll(async () => {
  tdb = await createTestDatabase();
  const x = await startXnat({ timeoutMs: 800 });
  emu = x.emu;
  // Three workers (job engines) on the same database, as with three `npm run worker` processes.
  ({ queue, stop: stopWorkers } = await startXnatWorkers(tdb, 3));
  for (const p of PROJECTS) emu.state.addProject({ id: p, accessibility: 'private' });
  const now = new Date();
  await insertInstance(tdb.database.db, {
    id: 'x',
    key: x.url,
    url: x.url,
    name: 'X',
    authKind: 'password',
    credentials: sealCredentials(x.key, { kind: 'password', username: 'admin', password: 'admin' }),
    createdAt: now,
    modifiedAt: now,
  });
  for (const u of USERS) {
    emu.state.addUser({ login: u, password: u });
    await ensureUser(tdb.database.db, { id: u, name: u });
    await upsertAccount(tdb.database.db, { userId: u, instanceId: 'x', username: u, verifiedAt: now });
  }
  unlisten = onGrantStateChange(async (_ctx, e) => void events.push(e));
});
afterAll(async () => {
  unlisten?.();
  await stopWorkers?.();
  await emu?.stop();
  await tdb?.drop();
});

const settled = () => xnatIdle(tdb.database.db, { timeoutMs: 150_000 });

const grantIds = async () => (await tdb.database.db.query.xnatGrant.findMany()).filter((g) => g.sourceId.startsWith('g-')).map((g) => g.id);

describe('XNAT failing for a while', () => {
  const items: { itemId: string; user: string; project: string; role: (typeof ROLES)[number] }[] = [];

  it('every grant is confirmed after recovery, none applied twice', async () => {
    let n = 0;
    for (const project of PROJECTS)
      for (const user of USERS) items.push({ itemId: `g-${project}-${user}`, user, project, role: ROLES[n++ % 3]! });
    // A rough patch: 5xx on every call for a while, answers lost after the change was made,
    // connections dropped before it, and hung requests.
    emu.faults.add({ kind: 'status', status: 503, count: 12 });
    emu.faults.add({ kind: 'drop-after', method: 'PUT', every: 2, count: 8 });
    emu.faults.add({ kind: 'drop', method: 'GET', every: 3, count: 8 });
    emu.faults.add({ kind: 'hang', method: 'PUT', count: 2 });
    emu.faults.add({ kind: 'status', status: 502, path: /^\/xapi\/users\/profile/, count: 4 });
    for (const it of items) {
      await withTransaction(ctx(), (tx) =>
        requestGrant(tx, { itemId: it.itemId, userId: it.user, instanceId: 'x', projectId: it.project, role: it.role }),
      );
    }
    // Every grant job twice, as after a redelivery.
    for (const g of await grantIds()) await queue.send(tdb.database.db, 'xnat.grant', { grantId: g });
    await settled();

    expect(await queue.deadLetters()).toEqual([]);
    for (const it of items) expect(emu.state.roleOf(it.project, it.user), `${it.user} in ${it.project}`).toBe(it.role);
    const active = events
      .filter((e) => e.state === 'active')
      .map((e) => e.itemId)
      .sort();
    expect(active).toEqual(items.map((i) => i.itemId).sort());
    expect(events.filter((e) => e.state === 'failed')).toEqual([]);
    for (const it of items) {
      const adds = emu.state.mutations.filter((m) => m.op === 'add' && m.projectId === it.project && m.login === it.user);
      expect(adds, `${it.user} in ${it.project}`).toHaveLength(1);
    }
    // The faults did hit.
    expect(emu.requests.filter((r) => r.status === 503).length).toBe(12);
  });

  it('every revoke reaches XNAT after recovery, each removal done once', async () => {
    events.length = 0;
    emu.faults.add({ kind: 'status', status: 500, count: 10 });
    emu.faults.add({ kind: 'drop-after', method: 'DELETE', every: 2, count: 8 });
    emu.faults.add({ kind: 'hang', method: 'GET', path: /\/users\/true$/, count: 2 });
    for (const it of items) await withTransaction(ctx(), (tx) => requestRevoke(tx, { itemId: it.itemId, reason: 'revoked' }));
    for (const g of await grantIds()) await queue.send(tdb.database.db, 'xnat.revoke', { grantId: g });
    await settled();
    emu.faults.clear();

    expect(await queue.deadLetters()).toEqual([]);
    for (const it of items) expect(emu.state.roleOf(it.project, it.user)).toBeUndefined();
    expect(
      events
        .filter((e) => e.state === 'revoked')
        .map((e) => e.itemId)
        .sort(),
    ).toEqual(items.map((i) => i.itemId).sort());
    for (const it of items) {
      const removes = emu.state.mutations.filter((m) => m.op === 'remove' && m.projectId === it.project && m.login === it.user);
      expect(removes).toHaveLength(1);
    }
  });

  it('a grant that never gets through ends as failed (dead letter), and an admin retry completes it', async () => {
    events.length = 0;
    emu.faults.add({ kind: 'status', status: 503 });
    await withTransaction(ctx(), (tx) =>
      requestGrant(tx, { itemId: 'doomed', userId: 'user0', instanceId: 'x', projectId: 'P_A', role: 'member' }),
    );
    await settled(); // four retries with backoff from 1 s
    const dead = await queue.deadLetters();
    expect(dead.map((d) => d.name)).toEqual(['xnat.grant']);
    expect(events).toEqual([expect.objectContaining({ itemId: 'doomed', state: 'failed' })]);
    emu.faults.clear();
    const { retryGrant } = await import('../../server/xnat/grants.js');
    const doomed = (await tdb.database.db.query.xnatGrant.findFirst({ where: (g, { eq }) => eq(g.sourceId, 'doomed') }))!;
    await retryGrant({ ...ctx(), actor: { kind: 'user', id: 'admin', name: 'admin', isAdmin: true, memberships: [] } }, doomed.id);
    await settled();
    expect(emu.state.roleOf('P_A', 'user0')).toBe('member');
    expect(events.at(-1)).toMatchObject({ itemId: 'doomed', state: 'active' });
  }, 120_000);
});
