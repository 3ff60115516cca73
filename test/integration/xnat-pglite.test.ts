/**
 * The embedded default: the XNAT jobs on pg-boss on embedded PGlite (one connection), grants for
 * several projects at once (4 concurrent jobs, one per project at a time), then a revoke.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureUser } from '../../server/auth/queries.js';
import { withTransaction } from '../../server/core/context.js';
import { openMemoryDatabase, type Database } from '../../server/db/client.js';
import type { JobEngine } from '../../server/jobs/index.js';
import type { XnatEmulator } from '../../server/xnat/emulator/server.js';
import { onGrantStateChange, requestGrant, requestRevoke, type GrantStateChange } from '../../server/xnat/index.js';
import { insertInstance, upsertAccount } from '../../server/xnat/queries.js';
import { sealCredentials } from '../../server/xnat/secrets.js';
import { startTestJobs, waitFor } from '../helpers/jobs.js';
import { quickXnatJobs, startXnat, systemContext } from '../helpers/xnat.js';

let database: Database;
let engine: JobEngine;
let emu: XnatEmulator;
const events: GrantStateChange[] = [];
let unlisten: () => void;

beforeAll(async () => {
  database = await openMemoryDatabase();
  await database.migrate();
  const x = await startXnat();
  emu = x.emu;
  const now = new Date();
  await insertInstance(database.db, {
    id: 'demo',
    key: 'https://xnat.demo.example.org',
    url: x.url,
    name: 'Demo',
    authKind: 'password',
    credentials: sealCredentials(x.key, { kind: 'password', username: 'admin', password: 'admin' }),
    createdAt: now,
    modifiedAt: now,
  });
  for (let i = 0; i < 6; i++) {
    emu.state.addUser({ login: `r${i}`, password: 'x' });
    await ensureUser(database.db, { id: `r${i}`, name: `r${i}` });
    await upsertAccount(database.db, { userId: `r${i}`, instanceId: 'demo', username: `r${i}`, verifiedAt: now });
  }
  for (const p of ['E1', 'E2', 'E3']) emu.state.addProject({ id: p, accessibility: 'private' });
  engine = await startTestJobs({ database, url: 'pglite' }, quickXnatJobs());
  unlisten = onGrantStateChange(async (_c, e) => void events.push(e));
});
afterAll(async () => {
  unlisten?.();
  await engine?.stop();
  await emu?.stop();
  await database?.close();
});

it('grants and revokes across projects on the embedded database', async () => {
  const ctx = () => systemContext(database.db, engine);
  for (let i = 0; i < 6; i++) {
    await withTransaction(ctx(), (tx) =>
      requestGrant(tx, {
        itemId: `i${i}`,
        userId: `r${i}`,
        instanceId: 'https://xnat.demo.example.org',
        projectId: `E${(i % 3) + 1}`,
        role: 'collaborator',
      }),
    );
  }
  await waitFor('6 grants active', () => events.filter((e) => e.state === 'active').length === 6, 60_000);
  for (let i = 0; i < 6; i++) expect(emu.state.roleOf(`E${(i % 3) + 1}`, `r${i}`)).toBe('collaborator');
  await withTransaction(ctx(), (tx) => requestRevoke(tx, { itemId: 'i0', reason: 'withdrawn' }));
  await waitFor('revoked', () => events.some((e) => e.itemId === 'i0' && e.state === 'revoked'), 60_000);
  expect(emu.state.roleOf('E1', 'r0')).toBeUndefined();
  expect(emu.state.roleOf('E1', 'r3')).toBe('collaborator');
  expect(emu.state.mutations.filter((m) => m.op === 'add')).toHaveLength(6);
});
