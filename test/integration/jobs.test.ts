/**
 * The job engine on real PostgreSQL and on embedded PGlite: a job sent inside a transaction exists
 * only if that transaction commits; a job that keeps failing is retried with growing delays and
 * then kept as a dead letter, which an admin lists and retries through the API; cron schedules are
 * registered; several workers never run one job twice.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../../server/auth/actor.js';
import { withTransaction, type ServiceContext } from '../../server/core/context.js';
import { openMemoryDatabase, type Database } from '../../server/db/client.js';
import { defineJob, JobEngine, jobsModule, type JobDefinition, type JobFinished } from '../../server/jobs/index.js';
import { drizzleExecutor } from '../../server/jobs/sql.js';
import { createLogger } from '../../server/log.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestJobs, waitFor } from '../helpers/jobs.js';

declare module '../../server/jobs/types.js' {
  interface JobPayloads {
    'test.record': { value: string };
    'test.flaky': { value: string };
    'test.cron': Record<string, never>;
    'test.slow': { n: number };
  }
}

const log = createLogger(process.env.TEST_LOG ? 'debug' : 'silent');
const rows = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Test jobs: what ran, and a job that fails until told otherwise. */
function testJobs() {
  const ran: string[] = [];
  const attempts: { at: number; retryCount: number }[] = [];
  const state = { failing: true };
  const defs = [
    defineJob({ name: 'test.record', handler: async (_ctx, p) => void ran.push(p.value) }),
    defineJob({
      name: 'test.flaky',
      // Fails three times (the first run and two retries), 1 s base delay so the test is quick.
      retryLimit: 2,
      retryDelaySeconds: 1,
      handler: async (_ctx, p, job) => {
        attempts.push({ at: Date.now(), retryCount: job.retryCount });
        if (state.failing) throw new Error(`upstream refused ${p.value} (attempt ${job.retryCount + 1})`);
        ran.push(p.value);
      },
    }),
    defineJob({ name: 'test.cron', schedule: '*/5 * * * *', handler: async () => {} }),
  ] as JobDefinition[];
  return { ran, attempts, state, defs };
}

for (const kind of ['postgres', 'pglite'] as const) {
  describe(`jobs on ${kind}`, () => {
    let tdb: TestDatabase | undefined;
    let database: Database;
    let engine: JobEngine;
    let t: TestApp;
    let admin: string;
    const jobs = testJobs();
    const finished: JobFinished[] = [];

    beforeAll(async () => {
      if (kind === 'postgres') {
        tdb = await createTestDatabase();
        database = tdb.database;
      } else {
        database = await openMemoryDatabase();
        await database.migrate();
      }
      engine = await startTestJobs({ database, url: tdb?.url ?? '' }, jobs.defs, { onFinished: (e) => finished.push(e) });
      t = await buildTestApp(database, { modules: [jobsModule(engine)] });
      admin = await t.user({ admin: true });
    });

    afterAll(async () => {
      await engine?.stop();
      if (tdb) await tdb.drop();
      else await database?.close();
    });

    const context = (): ServiceContext => ({
      db: database.db,
      actor: ANONYMOUS,
      now: () => new Date(),
      requestId: 'test',
      log,
      jobs: engine,
    });

    const jobRows = async (value: string) =>
      rows<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from pgboss.job where data->>'value' = ${value}`))[0]!.n;

    it('runs a job sent in a committed transaction, never one sent in a rolled-back one', async () => {
      let rolledBackId: string | null = null;
      await expect(
        withTransaction(context(), async (tx) => {
          rolledBackId = await tx.jobs.send(tx.db, 'test.record', { value: 'rolled-back' });
          throw new Error('the write failed after the job was queued');
        }),
      ).rejects.toThrow(/write failed/);
      expect(rolledBackId).toMatch(/^[0-9a-f-]{36}$/);

      const id = await withTransaction(context(), (tx) => tx.jobs.send(tx.db, 'test.record', { value: 'committed' }));
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      await waitFor('the committed job to run', () => jobs.ran.includes('committed'));
      // A worker has polled since: the rolled-back job would have run by now if it existed.
      await sleep(1500);
      expect(jobs.ran).not.toContain('rolled-back');
      expect(await jobRows('rolled-back')).toBe(0);
      expect(jobs.ran.filter((v) => v === 'committed')).toHaveLength(1);
    });

    it('passes pg-boss parameters through the driver: uuid arrays, JSON, timestamps, nulls', async () => {
      const ids = ['6f1d3c8e-6a3b-4c5d-8e9f-0a1b2c3d4e5f', '7a2e4d9f-7b4c-4d6e-9fa0-1b2c3d4e5f60'];
      const { rows: r } = await drizzleExecutor(database.db).executeSql(
        `select array_length($1::uuid[], 1) as n, $2::jsonb->>'value' as v, extract(year from $3::timestamptz)::int as y, $4::text is null as nothing, $1::uuid[] @> array[$5::uuid] as has`,
        [ids, { value: 'x' }, new Date('2031-05-06T00:00:00Z'), undefined, ids[1]],
      );
      expect(r[0]).toMatchObject({ n: 2, v: 'x', y: 2031, nothing: true, has: true });
    });

    it('starts a committed job at once (NOTIFY), not at the next poll', async () => {
      const ran: number[] = [];
      const slowPoll = new JobEngine({
        database,
        connectionString: tdb?.url,
        log,
        pollingIntervalSeconds: 600,
        jobs: [defineJob({ name: 'test.slow', handler: async () => void ran.push(Date.now()) })] as JobDefinition[],
      });
      await slowPoll.start();
      try {
        await sleep(500); // past the workers' first fetch
        const sent = Date.now();
        await withTransaction({ ...context(), jobs: slowPoll }, (tx) => tx.jobs.send(tx.db, 'test.slow', { n: 1 }));
        await waitFor('the job to start', () => ran.length > 0, 60_000);
        // Far below the ten-minute poll (generous for a loaded machine).
        expect(ran[0]! - sent).toBeLessThan(30_000);
      } finally {
        await slowPoll.stop();
      }
    });

    it('refuses to send a job no module defines', async () => {
      await expect(engine.send(database.db, 'test.nope' as 'test.record', { value: 'x' })).rejects.toThrow(/unknown job/);
    });

    it('retries a failing job with growing delays, then keeps it as a dead letter that an admin retries', async () => {
      jobs.state.failing = true;
      const id = await engine.send(database.db, 'test.flaky', { value: 'export-42' });
      await waitFor('three failed attempts', async () =>
        (await t.call('GET', '/api/v1/admin/jobs/dead', { as: admin })).body.items.some((j: { id: string }) => j.id === id),
      );
      expect(jobs.attempts.map((a) => a.retryCount)).toEqual([0, 1, 2]);
      // Exponential backoff from 1 s: the first retry waits >= 1 s, the second >= 2 s.
      const [a0, a1, a2] = jobs.attempts.map((a) => a.at);
      expect(a1! - a0!).toBeGreaterThanOrEqual(900);
      expect(a2! - a1!).toBeGreaterThanOrEqual(1900);

      // What metrics see: three failed attempts, the last one a dead letter; one failed job queued nowhere.
      expect(finished.filter((e) => e.name === 'test.flaky').map((e) => [e.ok, e.attempt, e.dead])).toEqual([
        [false, 1, false],
        [false, 2, false],
        [false, 3, true],
      ]);
      expect((await engine.queueDepths()).find((q) => q.name === 'test.flaky')).toEqual({
        name: 'test.flaky',
        queued: 0,
        active: 0,
        failed: 1,
      });

      const dead = await t.call('GET', '/api/v1/admin/jobs/dead', { as: admin });
      expect(dead.status).toBe(200);
      const item = dead.body.items.find((j: { id: string }) => j.id === id);
      expect(item).toMatchObject({
        id,
        name: 'test.flaky',
        data: { value: 'export-42' },
        error: 'upstream refused export-42 (attempt 3)',
        attempts: 3,
      });
      expect(Date.parse(item.failedAt)).toBeGreaterThanOrEqual(Date.parse(item.createdAt));
      expect(JSON.stringify(dead.body)).not.toMatch(/at \w+ \(|node_modules/);

      // Only admins see or retry dead letters.
      const user = await t.user();
      expect((await t.call('GET', '/api/v1/admin/jobs/dead', { as: user })).status).toBe(403);
      expect((await t.call('GET', '/api/v1/admin/jobs/dead')).status).toBe(401);
      expect((await t.call('POST', `/api/v1/admin/jobs/${id}/retry`, { as: user })).status).toBe(403);

      // The upstream is back: the admin retries it and it succeeds.
      jobs.state.failing = false;
      const retry = await t.call('POST', `/api/v1/admin/jobs/${id}/retry`, { as: admin });
      expect(retry.status).toBe(202);
      expect(retry.body).toEqual({ id, state: 'retry' });
      await waitFor('the retried job to succeed', () => jobs.ran.includes('export-42'));
      await waitFor('the success to be reported', () => finished.some((e) => e.name === 'test.flaky' && e.ok));
      expect(finished.filter((e) => e.name === 'test.flaky').at(-1)).toMatchObject({ ok: true, attempt: 4, dead: false });
      await waitFor(
        'the dead letter to leave the list',
        async () => !(await t.call('GET', '/api/v1/admin/jobs/dead', { as: admin })).body.items.some((j: { id: string }) => j.id === id),
      );
      // Not failed any more: nothing to retry; unknown and malformed ids are 404 too.
      expect((await t.call('POST', `/api/v1/admin/jobs/${id}/retry`, { as: admin })).status).toBe(404);
      expect((await t.call('POST', '/api/v1/admin/jobs/00000000-0000-4000-8000-000000000000/retry', { as: admin })).status).toBe(404);
      const bad = await t.call('POST', '/api/v1/admin/jobs/not-a-uuid/retry', { as: admin });
      expect(bad.status).toBe(404);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
    });

    it('registers the cron schedule of a scheduled job, and drops it when the job no longer has one', async () => {
      const schedules = await engine.boss.getSchedules();
      expect(schedules).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'test.cron', cron: '*/5 * * * *' })]));

      const other = new JobEngine({
        database,
        connectionString: tdb?.url,
        jobs: jobs.defs.map((d) => (d.name === 'test.cron' ? { ...d, schedule: undefined } : d)),
        log,
      });
      await other.start();
      try {
        expect((await other.boss.getSchedules()).map((s) => s.name)).not.toContain('test.cron');
      } finally {
        await other.stop();
      }
    });
  });
}

describe('several workers on PostgreSQL', () => {
  let tdb: TestDatabase;
  const engines: JobEngine[] = [];
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.stop()));
    await tdb?.drop();
  });

  it('hand each job to exactly one of several workers', async () => {
    tdb = await createTestDatabase();
    const runs: { n: number; worker: number; start: number; end: number }[] = [];
    const make = (worker: number) =>
      new JobEngine({
        database: tdb.database,
        connectionString: tdb.url,
        log,
        pollingIntervalSeconds: 0.5,
        jobs: [
          defineJob({
            name: 'test.slow',
            handler: async (_ctx, p) => {
              const start = Date.now();
              await sleep(50);
              runs.push({ n: p.n, worker, start, end: Date.now() });
            },
          }),
        ] as JobDefinition[],
      });
    engines.push(make(1), make(2), make(3));
    // Start the first (it creates the schema), then the others together.
    await engines[0]!.start({ work: false });
    for (let n = 0; n < 30; n++) await engines[0]!.send(tdb.database.db, 'test.slow', { n });
    await engines[0]!.stop();
    engines.shift();
    engines.push(make(1));
    await Promise.all(engines.map((e) => e.start()));
    await waitFor('all 30 jobs', () => runs.length >= 30, 60_000);
    await sleep(1500);
    expect(runs).toHaveLength(30);
    expect(new Set(runs.map((r) => r.n)).size).toBe(30);
    // Work was shared.
    expect(new Set(runs.map((r) => r.worker)).size).toBeGreaterThan(1);
  });
});
