/** Admin routes for background jobs: list dead letters, give one another attempt. */
import type { Context, Hono } from 'hono';
import { DeadLetterList, JobRetried } from '../../schemas/jobs.js';
import { isAdmin } from '../policy/index.js';
import { forbidden, notFound, unauthenticated } from '../http/errors.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import type { JobEngine } from './engine.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function jobRoutes(app: Hono<AppEnv>, api: ApiRegistry, engine: JobEngine) {
  const requireAdmin = (c: Context<AppEnv>) => {
    const actor = c.get('actor');
    if (actor.kind !== 'user') throw unauthenticated();
    if (!isAdmin(actor)) throw forbidden('Only catalogue admins can manage background jobs.');
  };

  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/admin/jobs/dead',
      summary: 'Background jobs that failed their last retry (admins)',
      description:
        'Each job is retried with exponential backoff (3 retries from 5 s unless its definition says otherwise); after the last one it is kept here for 30 days. Newest first, at most 100.',
      tags: ['Admin'],
      auth: 'required',
      responses: { 200: { description: 'Dead letters', schema: DeadLetterList } },
    },
    async (c) => {
      requireAdmin(c);
      c.header('Cache-Control', 'no-store');
      return c.json({ items: await engine.deadLetters() });
    },
  );

  api.route(
    app,
    {
      method: 'post',
      path: '/api/v1/admin/jobs/:id/retry',
      summary: 'Run a dead letter again (admins)',
      description: 'Gives the failed job one more attempt, as soon as a worker is free. 404 when no failed job has this id.',
      tags: ['Admin'],
      auth: 'required',
      responses: { 202: { description: 'Queued again', schema: JobRetried }, 404: { description: 'No such failed job' } },
    },
    async (c) => {
      requireAdmin(c);
      const id = c.req.param('id') ?? '';
      if (!UUID.test(id) || !(await engine.retry(id))) throw notFound('failed job');
      return c.json({ id, state: 'retry' as const }, 202);
    },
  );
}
