/** The service context of one HTTP request: the verbs' view of who asks, when, and with what. */
import type { Context } from 'hono';
import type { ServiceContext } from '../core/context.js';
import type { AppEnv } from './env.js';

export function serviceContext(c: Context<AppEnv>): ServiceContext {
  const s = c.get('services');
  const requestId = c.get('requestId');
  const actor = c.get('actor');
  return {
    db: s.db,
    actor,
    now: s.now,
    requestId,
    // The request's logger already carries the request id and actor.
    log: c.get('log') ?? s.log,
    jobs: s.jobs,
  };
}
