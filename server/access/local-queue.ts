/**
 * Stop-gap job runner until the pg-boss engine (server/jobs) lands: runs each job in this process
 * shortly after it is sent, with retries and backoff, and scheduled jobs hourly. Not transactional:
 * a job whose transaction rolled back finds nothing to do (every access job checks its row first).
 */
import { ANONYMOUS } from '../auth/actor.js';
import type { ServiceContext } from '../core/context.js';
import type { Db } from '../db/client.js';
import type { JobDefinition, JobQueue } from '../jobs/types.js';

export function createLocalQueue(db: Db, defs: JobDefinition[], log: ServiceContext['log']) {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const timers = new Set<NodeJS.Timeout>();
  let n = 0;
  let stopped = false;
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, ms);
    timers.add(t);
  };
  const run = (def: JobDefinition, payload: unknown, id: string, retryCount: number) => {
    const ctx: ServiceContext = { db, actor: ANONYMOUS, now: () => new Date(), requestId: `job-${id}`, log, jobs: queue };
    def.handler(ctx, payload as never, { id, retryCount }).catch((e: unknown) => {
      const limit = def.retryLimit ?? 3;
      log.warn({ job: def.name, id, retryCount, err: e instanceof Error ? e.message : String(e) }, 'job failed');
      if (retryCount < limit) later((def.retryDelaySeconds ?? 5) * 1000 * 2 ** retryCount, () => run(def, payload, id, retryCount + 1));
    });
  };
  const queue: JobQueue = {
    async send(_db, name, payload, opts) {
      const def = byName.get(name);
      if (!def) throw new Error(`unknown job ${name}`);
      const id = `local-${++n}`;
      // Give the sender's transaction time to commit (this runner cannot see it).
      const delay = Math.max(1000, (opts?.startAfter?.getTime() ?? 0) - Date.now());
      later(delay, () => run(def, payload, id, 0));
      return id;
    },
  };
  const hourly = setInterval(() => {
    for (const def of defs) if (def.schedule) run(def, {}, `sched-${++n}`, 0);
  }, 3_600_000);
  hourly.unref();
  return {
    queue,
    stop() {
      stopped = true;
      clearInterval(hourly);
      for (const t of timers) clearTimeout(t);
    },
  };
}
