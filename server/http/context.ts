/** The service context of one HTTP request: the verbs' view of who asks, when, and with what. */
import type { Context } from 'hono';
import type { ContextLog, ServiceContext } from '../core/context.js';
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
    // A pino-style logger binds the request id and actor to each line; others are used as they are.
    log: typeof (s.log as { child?: unknown }).child === 'function'
      ? (s.log as ContextLog & { child(b: object): ContextLog }).child({ requestId, actor: actor.kind === 'user' ? actor.id : actor.kind })
      : s.log,
    jobs: s.jobs,
  };
}
