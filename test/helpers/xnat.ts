/**
 * Test wiring for the XNAT module: an emulator, the module configured with a fresh key and short
 * timeouts, and a minimal in-test job queue that records sends and runs the XNAT job handlers
 * (with retries and `startAfter`) until nothing is due. Replace with the pg-boss engine once it is
 * on main.
 */
import { randomBytes } from 'node:crypto';
import { ANONYMOUS } from '../../server/auth/actor.js';
import { systemContext as coreSystemContext, type ServiceContext } from '../../server/core/context.js';
import type { Db } from '../../server/db/client.js';
import type { JobDefinition, JobName, JobPayloads, JobQueue, SendOptions } from '../../server/jobs/types.js';
import { configureXnat, jobs as xnatJobs } from '../../server/xnat/index.js';
import { XnatEmulator } from '../../server/xnat/emulator/server.js';

export interface QueuedJob {
  id: string;
  name: JobName;
  payload: unknown;
  startAfter: number;
  retryCount: number;
}

export class TestQueue implements JobQueue {
  readonly queued: QueuedJob[] = [];
  readonly sent: { name: string; payload: unknown; opts?: SendOptions }[] = [];
  readonly deadLetters: (QueuedJob & { error: string })[] = [];
  private n = 0;
  constructor(private readonly defs: JobDefinition[] = xnatJobs) {}

  async send<N extends JobName>(_db: unknown, name: N, payload: JobPayloads[N], opts?: SendOptions): Promise<string | null> {
    this.sent.push({ name, payload, opts });
    if (opts?.singletonKey && this.queued.some((j) => (j as QueuedJob & { key?: string }).key === opts.singletonKey)) return null;
    const job = { id: String(++this.n), name, payload, startAfter: opts?.startAfter?.getTime() ?? 0, retryCount: 0, key: opts?.singletonKey };
    this.queued.push(job);
    return job.id;
  }

  /** Run due jobs until none is due; with `untilEmpty`, also wait for future ones. Failed jobs retry up to their limit. */
  async drain(ctx: () => ServiceContext, opts: { untilEmpty?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    for (;;) {
      const due = this.queued.filter((j) => j.startAfter <= Date.now()).sort((a, b) => a.startAfter - b.startAfter);
      if (!due.length) {
        if (!opts.untilEmpty || !this.queued.length) return;
        if (Date.now() > deadline) throw new Error('drain timed out');
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      for (const job of due) {
        this.queued.splice(this.queued.indexOf(job), 1);
        const def = this.defs.find((d) => d.name === job.name);
        if (!def) continue;
        try {
          await def.handler(ctx(), job.payload as never, { id: job.id, retryCount: job.retryCount });
        } catch (e) {
          if (job.retryCount >= (def.retryLimit ?? 3)) this.deadLetters.push({ ...job, error: (e as Error).message });
          else this.queued.push({ ...job, retryCount: job.retryCount + 1, startAfter: Date.now() + 10 });
        }
      }
      if (Date.now() > deadline) throw new Error('drain timed out');
    }
  }
}

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
