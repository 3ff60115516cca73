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

async function syncGrant(ctx: ServiceContext, grantId: string, retryCount: number): Promise<void> {
  const g = await q.getGrant(ctx.db, grantId);
  if (!g) return;
  await syncProject(ctx, g.instanceId, g.projectId, { grantIds: [g.id], finalAttempt: retryCount >= RETRY_LIMIT });
}

export const handlers = {
  grant: (ctx: ServiceContext, p: { grantId: string }, job: { retryCount: number }) => timed('grant', job.retryCount, () => syncGrant(ctx, p.grantId, job.retryCount)),
  revoke: (ctx: ServiceContext, p: { grantId: string }, job: { retryCount: number }) => timed('revoke', job.retryCount, () => syncGrant(ctx, p.grantId, job.retryCount)),
  /** Runs at `until`. An extended grant (later `until`) is left for its own, later expiry job. */
  expire: (ctx: ServiceContext, p: { grantId: string }, job: { retryCount: number }) =>
    timed('expire', job.retryCount, async () => {
      const g = await q.getGrant(ctx.db, p.grantId);
      if (!g || g.desired !== 'present' || !g.until || g.until > ctx.now()) return;
      await syncGrant(ctx, g.id, job.retryCount); // syncProject ends overdue grants first
    }),
  reconcile: (ctx: ServiceContext, p: { instanceId: string; projectId: string }, job: { retryCount: number }) =>
    timed('reconcile', job.retryCount, async () => void (await syncProject(ctx, p.instanceId, p.projectId, { reconcile: true, finalAttempt: job.retryCount >= RETRY_LIMIT }))),
  /** Scheduled: a reconcile of every project we have grants in (and a safety net for expiries). */
  reconcileAll: (ctx: ServiceContext) =>
    timed('reconcile-all', 0, async () => {
      for (const t of await q.knownProjects(ctx.db)) {
        await ctx.jobs.send(ctx.db, 'xnat.reconcile', t, { singletonKey: `xnat.reconcile:${t.instanceId}:${t.projectId}` });
      }
    }),
};

const retry = { retryLimit: RETRY_LIMIT, retryDelaySeconds: RETRY_DELAY_SECONDS };

export const jobs: JobDefinition[] = [
  defineJob({ name: 'xnat.grant', handler: handlers.grant, ...retry }),
  defineJob({ name: 'xnat.revoke', handler: handlers.revoke, ...retry }),
  defineJob({ name: 'xnat.expire', handler: handlers.expire, ...retry }),
  defineJob({ name: 'xnat.reconcile', handler: handlers.reconcile, ...retry }),
  defineJob({ name: 'xnat.reconcile-all', handler: handlers.reconcileAll, schedule: '*/15 * * * *' }),
] as JobDefinition[];
