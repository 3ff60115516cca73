/**
 * The XNAT sync jobs. Each converges a project from the database's desired state, so running one
 * twice, late, or after another is harmless. A job that keeps failing ends as a dead letter after
 * its retries; its grants are then marked `failed` (admins retry them).
 */
import type { ServiceContext } from '../core/context.js';
import { defineJob, type JobDefinition } from '../jobs/types.js';
import { xnatJobDuration, xnatRetries } from '../metrics/index.js';
import * as q from './queries.js';
import { syncProject } from './sync.js';

declare module '../jobs/types.js' {
  interface JobPayloads {
    'xnat.grant': { grantId: string };
    'xnat.revoke': { grantId: string };
    'xnat.expire': { grantId: string };
    'xnat.reconcile': { instanceId: string; projectId: string };
    'xnat.reconcile-all': Record<string, never>;
  }
}

export const RETRY_LIMIT = 5;
const RETRY_DELAY_SECONDS = 5;

async function timed<T>(job: string, retryCount: number, fn: () => Promise<T>): Promise<T> {
  if (retryCount > 0) xnatRetries.inc();
  const end = xnatJobDuration.startTimer({ job });
  try {
    const out = await fn();
    end({ outcome: 'ok' });
    return out;
  } catch (e) {
    end({ outcome: 'error' });
    throw e;
  }
}

async function syncGrant(ctx: ServiceContext, grantId: string, finalAttempt: boolean): Promise<void> {
  const g = await q.getGrant(ctx.db, grantId);
  if (!g) return;
  await syncProject(ctx, g.instanceId, g.projectId, { grantIds: [g.id], finalAttempt });
}

/** The job definitions; tests pass quicker retries. The last attempt marks its grants `failed`. */
export function makeJobs(o: { retryLimit?: number; retryDelaySeconds?: number } = {}): JobDefinition[] {
  const retryLimit = o.retryLimit ?? RETRY_LIMIT;
  const retry = { retryLimit, retryDelaySeconds: o.retryDelaySeconds ?? RETRY_DELAY_SECONDS };
  const last = (job: { retryCount: number }) => job.retryCount >= retryLimit;
  return [
    // Grants and revokes of different projects run side by side (one worker per project at a time: the lease).
    defineJob({
      name: 'xnat.grant',
      ...retry,
      concurrency: 4,
      handler: (ctx, p, job) => timed('grant', job.retryCount, () => syncGrant(ctx, p.grantId, last(job))),
    }),
    defineJob({
      name: 'xnat.revoke',
      ...retry,
      concurrency: 4,
      handler: (ctx, p, job) => timed('revoke', job.retryCount, () => syncGrant(ctx, p.grantId, last(job))),
    }),
    // Runs at `until`. An extended grant (later `until`) is left for its own, later expiry job.
    defineJob({
      name: 'xnat.expire',
      ...retry,
      handler: (ctx, p, job) =>
        timed('expire', job.retryCount, async () => {
          const g = await q.getGrant(ctx.db, p.grantId);
          if (!g || g.desired !== 'present' || !g.until || g.until > ctx.now()) return;
          await syncGrant(ctx, g.id, last(job)); // syncProject ends overdue grants first
        }),
    }),
    defineJob({
      name: 'xnat.reconcile',
      ...retry,
      handler: (ctx, p, job) =>
        timed(
          'reconcile',
          job.retryCount,
          async () => void (await syncProject(ctx, p.instanceId, p.projectId, { reconcile: true, finalAttempt: last(job) })),
        ),
    }),
    // Scheduled: a reconcile of every project we have grants in (also the safety net for expiries).
    defineJob({
      name: 'xnat.reconcile-all',
      schedule: '*/15 * * * *',
      handler: (ctx) =>
        timed('reconcile-all', 0, async () => {
          for (const t of await q.knownProjects(ctx.db)) {
            await ctx.jobs.send(ctx.db, 'xnat.reconcile', t, { singletonKey: `xnat.reconcile:${t.instanceId}:${t.projectId}` });
          }
        }),
    }),
  ] as JobDefinition[];
}

export const jobs: JobDefinition[] = makeJobs();
