/**
 * Prometheus metrics (prom-client), served at `/metrics`: the API's HTTP requests, the XNAT role
 * sync (grants, revokes, failures, retries, drift, job latency, XNAT calls) and queue depth
 * (reported by whoever owns the queue through `setQueueDepthSource`).
 */
import type { Hono, MiddlewareHandler } from 'hono';
import type { AppModule } from '../http/module.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'API requests',
  labelNames: ['method', 'route', 'status'],
  registers: [registry],
});
export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'API request duration',
  labelNames: ['method', 'route'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const xnatGrants = new Counter({ name: 'xnat_grants_total', help: 'Roles confirmed in XNAT by read-back', registers: [registry] });
export const xnatRevokes = new Counter({
  name: 'xnat_revokes_total',
  help: 'Grants ended (revoked, expired, withdrawn) and confirmed gone',
  labelNames: ['reason'],
  registers: [registry],
});
export const xnatFailures = new Counter({
  name: 'xnat_sync_failures_total',
  help: 'Sync attempts that failed',
  labelNames: ['kind'],
  registers: [registry],
});
export const xnatRetries = new Counter({
  name: 'xnat_sync_retries_total',
  help: 'Sync jobs run again after a failure',
  registers: [registry],
});
export const xnatDrift = new Counter({
  name: 'xnat_drift_found_total',
  help: 'Memberships found changed in XNAT since we set them',
  registers: [registry],
});
export const xnatReports = new Counter({
  name: 'xnat_foreign_roles_reported_total',
  help: 'Roles not granted by this service, left alone and reported',
  registers: [registry],
});
export const xnatJobDuration = new Histogram({
  name: 'xnat_job_duration_seconds',
  help: 'XNAT sync job run time',
  labelNames: ['job', 'outcome'],
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers: [registry],
});
export const xnatApprovalToRole = new Histogram({
  name: 'xnat_grant_latency_seconds',
  help: 'Grant requested → role confirmed by read-back',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
  registers: [registry],
});
export const xnatCalls = new Counter({
  name: 'xnat_http_requests_total',
  help: 'Requests to XNAT servers',
  labelNames: ['method', 'status'],
  registers: [registry],
});

let queueDepth: (() => Promise<Record<string, number>>) | undefined;
/** The job engine reports queued jobs per queue name. */
export function setQueueDepthSource(fn: () => Promise<Record<string, number>>) {
  queueDepth = fn;
}
new Gauge({
  name: 'job_queue_depth',
  help: 'Queued jobs per queue',
  labelNames: ['queue'],
  registers: [registry],
  async collect() {
    if (!queueDepth) return;
    this.reset();
    try {
      for (const [q, n] of Object.entries(await queueDepth())) this.set({ queue: q }, n);
    } catch {
      /* the queue is unavailable: no sample rather than a failed scrape */
    }
  },
});

/** Counts every request by its route pattern (not the raw path: bounded label values). */
export const httpMetrics = (): MiddlewareHandler => async (c, next) => {
  const end = httpDuration.startTimer();
  await next();
  const route = c.req.routePath || 'unmatched';
  end({ method: c.req.method, route });
  httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
};

/** `/metrics` (Prometheus text). Request metrics are counted by `httpMetrics` in the app. */
export const metricsModule: AppModule = {
  name: 'metrics',
  paths: ['/metrics'],
  routes: (app: Hono<any>) => {
    app.get('/metrics', async (c) => {
      c.header('Content-Type', registry.contentType);
      return c.body(await registry.metrics());
    });
  },
};
