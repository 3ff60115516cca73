/**
 * Test wiring for the XNAT module: an emulator, the module configured with a fresh key and short
 * timeouts, and the real job engine (pg-boss) running the XNAT jobs, with quick retries.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { ANONYMOUS } from '../../server/auth/actor.js';
import { systemContext as coreSystemContext, type ServiceContext } from '../../server/core/context.js';
import type { Db } from '../../server/db/client.js';
import type { JobDefinition, JobEngine, JobQueue } from '../../server/jobs/index.js';
import { XnatEmulator } from '../../server/xnat/emulator/server.js';
import { configureXnat } from '../../server/xnat/index.js';
import { makeJobs } from '../../server/xnat/jobs.js';
import type { TestDatabase } from './db.js';
import { startTestJobs, waitFor } from './jobs.js';

export function systemContext(db: Db, jobs: JobQueue): ServiceContext {
  return coreSystemContext(db, ANONYMOUS, { jobs });
}

export async function startXnat(opts: { timeoutMs?: number } = {}) {
  const key = randomBytes(32);
  configureXnat({ key, timeoutMs: opts.timeoutMs ?? 1500, leaseWaitMs: 20_000, leaseTtlMs: 30_000 });
  const emu = new XnatEmulator();
  const url = await emu.start();
  return { emu, url, key };
}

/** The XNAT jobs with 4 retries from a 1 s base (pg-boss backs off exponentially from it). */
export const quickXnatJobs = (): JobDefinition[] => makeJobs({ retryLimit: 4, retryDelaySeconds: 1 });

/** `n` workers (job engines) on the test database; the first one is also the queue verbs send to. */
export async function startXnatWorkers(
  tdb: TestDatabase,
  n = 1,
): Promise<{ engines: JobEngine[]; queue: JobEngine; stop(): Promise<void> }> {
  const engines: JobEngine[] = [];
  for (let i = 0; i < n; i++) engines.push(await startTestJobs(tdb, quickXnatJobs()));
  return { engines, queue: engines[0]!, stop: async () => void (await Promise.all(engines.map((e) => e.stop()))) };
}

const rows = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

/**
 * Wait until no XNAT job is queued, retrying or running. Jobs scheduled for later (expiry) count
 * only with `includeFuture`.
 */
export async function xnatIdle(db: Db, opts: { includeFuture?: boolean; timeoutMs?: number } = {}): Promise<void> {
  await waitFor(
    'XNAT jobs to finish',
    async () => {
      const r = await db.execute(sql`select count(*)::int as n from pgboss.job where name like 'xnat.%'
      and (state in ('active', 'retry') or (state = 'created' and (${opts.includeFuture ?? false} or start_after <= now())))`);
      return rows<{ n: number }>(r)[0]!.n === 0;
    },
    opts.timeoutMs ?? 60_000,
  );
}
