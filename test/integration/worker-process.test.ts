/**
 * `npm run worker` as its own process next to an API that runs no workers: it registers the
 * modules' cron schedules, indexes what the API writes (woken by NOTIFY), and stops cleanly on
 * SIGTERM. Without DATABASE_URL it refuses to start and says why.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { documentKey } from '../../server/search/document.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { buildSearchTestApp, startTestMeili, type SearchTestApp, type TestMeili } from '../helpers/search.js';
import { SERVER_NODE_FLAGS } from '../../server/node-flags.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
// One process (no tsx wrapper relaying signals on a timer): SIGTERM reaches our handler directly.
const RUN = [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/worker.ts'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rows = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

let tdb: TestDatabase;
let meili: TestMeili;
let t: SearchTestApp;
let worker: ChildProcess | undefined;
let output = '';
const dataDir = mkdtempSync(path.join(tmpdir(), 'worker-test-'));
const indexName = `t_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  [tdb, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
  t = await buildSearchTestApp(tdb.database, meili, { indexName });
});

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await t?.search.stop();
  await Promise.all([meili?.destroy(), tdb?.drop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

it('runs the jobs and the search outbox in its own process and stops on SIGTERM', async () => {
  worker = spawn(process.execPath, RUN, {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: tdb.url,
      MEILI_URL: meili.url,
      MEILI_API_KEY: meili.apiKey,
      MEILI_INDEX: indexName,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  worker.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('worker: running')) {
    if (worker.exitCode !== null || Date.now() > deadline) throw new Error(`worker did not start:\n${output}`);
    await sleep(100);
  }
  // JSON lines on a pipe.
  expect(JSON.parse(output.split('\n').find((l) => l.includes('worker: running'))!)).toMatchObject({
    level: 30,
    msg: expect.stringContaining('job types and the search outbox'),
  });

  const schedules = rows<{ name: string; cron: string }>(await tdb.database.db.execute(sql`select name, cron from pgboss.schedule`));
  expect(schedules).toContainEqual({ name: 'search.outbox-cleanup', cron: '17 * * * *' });

  // The API process runs no worker: the worker process indexes the new collection.
  const admin = await t.user({ admin: true });
  const c = await t.collection(await t.provider(), { title: 'Indexed by the worker process' }, { as: admin });
  const until = Date.now() + 30_000; // generous for a loaded CI machine
  for (;;) {
    const doc = await t.search.index
      .index()
      .getDocument(documentKey(c.id))
      .catch(() => undefined);
    if (doc?.title === 'Indexed by the worker process') break;
    if (Date.now() > until) throw new Error(`not indexed by the worker:\n${output}`);
    await sleep(100);
  }

  const exited = new Promise<number | null>((resolve) => worker!.once('exit', (code) => resolve(code)));
  worker.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output).toContain('SIGTERM: finishing running jobs and stopping');
});

it('refuses to run on the embedded database', () => {
  const r = spawnSync(process.execPath, RUN, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status).toBe(1);
  expect(r.stdout + r.stderr).toContain('needs DATABASE_URL');
});
