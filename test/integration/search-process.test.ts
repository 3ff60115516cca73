/**
 * Getting a Meilisearch: the embedded process (key kept in its data dir, loopback, stopped with the
 * app, shared with a second user of the same dir, a stale one from a crashed app replaced) and the
 * external one (clear one-sentence errors when unusable); startSearch end to end.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { connectExternal, EmbeddedMeili, freePort } from '../../server/search/meili-process.js';
import { startSearch } from '../../server/search/runtime.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let dir: string;
let tdb: TestDatabase;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'meili-proc-'));
  tdb = await createTestDatabase();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await tdb?.drop();
});

const pidOf = (d: string) => JSON.parse(readFileSync(path.join(d, 'instance.json'), 'utf8')).pid as number;
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

it('runs on loopback with a master key generated once and kept', async () => {
  const d = path.join(dir, 'a');
  const m = new EmbeddedMeili({ dir: d });
  const conn = await m.start();
  expect(conn.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(m.masterKey.length).toBeGreaterThanOrEqual(16);
  const unauth = await fetch(`${conn.url}/indexes`);
  expect(unauth.status).toBe(401);
  expect((await conn.client.getVersion()).pkgVersion).toMatch(/^1\.(2[1-9]|[3-9]\d)/);
  const pid = pidOf(d);
  await m.stop();
  expect(alive(pid)).toBe(false);
  const again = new EmbeddedMeili({ dir: d });
  expect(again.masterKey).toBe(m.masterKey);
  await again.start();
  await again.stop();
});

it('shares a running instance on the same dir and replaces one left by a dead app', async () => {
  const d = path.join(dir, 'b');
  const first = new EmbeddedMeili({ dir: d });
  await first.start();
  const second = new EmbeddedMeili({ dir: d });
  await second.start();
  expect(second.attachedTo).toBe(process.pid);
  expect(second.url).toBe(first.url);
  await second.stop(); // not its process: stays up
  expect(await first.connection().client.isHealthy()).toBe(true);

  // Pretend the owner died: the next start ends the orphan and starts its own.
  const orphan = pidOf(d);
  const inst = JSON.parse(readFileSync(path.join(d, 'instance.json'), 'utf8'));
  writeFileSync(path.join(d, 'instance.json'), JSON.stringify({ ...inst, ownerPid: 2 ** 22 - 1 }));
  const third = new EmbeddedMeili({ dir: d });
  await third.start();
  expect(third.attachedTo).toBeUndefined();
  expect(alive(orphan)).toBe(false);
  expect(await third.connection().client.isHealthy()).toBe(true);
  await third.stop();
});

it('says what to set when the binary is missing', async () => {
  const m = new EmbeddedMeili({ dir: path.join(dir, 'c'), binary: path.join(dir, 'no-such-meilisearch') });
  await expect(m.start()).rejects.toThrow(/set MEILI_URL and MEILI_API_KEY/);
});

it('checks an external Meilisearch and says what to set when it is unusable', async () => {
  const port = await freePort();
  await expect(connectExternal(`http://127.0.0.1:${port}`, 'x'.repeat(16))).rejects.toThrow(/not reachable: set MEILI_URL/);
  const m = new EmbeddedMeili({ dir: path.join(dir, 'd') });
  await m.start();
  try {
    await expect(connectExternal(m.url, 'wrong-key-wrong-key')).rejects.toThrow(/rejected MEILI_API_KEY/);
    const ok = await connectExternal(m.url, m.masterKey);
    expect(await ok.client.isHealthy()).toBe(true);
  } finally {
    await m.stop();
  }
});

it('startSearch brings up the embedded engine, reports readiness and stops it', async () => {
  const dataDir = path.join(dir, 'app');
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: tdb.url, MEILI_INDEX: 'collections', LOG_LEVEL: 'silent' });
  const runtime = await startSearch(config, tdb.database, createLogger('silent'));
  try {
    expect(runtime.module.name).toBe('search');
    const [check] = runtime.readiness;
    expect(check!.name).toBe('search');
    await check!.check();
  } finally {
    await runtime.stop();
  }
  const pid = pidOf(path.join(dataDir, 'meili'));
  expect(alive(pid)).toBe(false);
  await expect(runtime.readiness[0]!.check()).rejects.toThrow();
});
