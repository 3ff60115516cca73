import type { Actor } from '../auth/actor.js';
import type { ContextLog } from '../core/context.js';
import type { Logger } from '../log.js';
import type { Db } from '../db/client.js';
import type { JobQueue } from '../jobs/types.js';

/** What every request's service context is built from (set once by createApp). */
export interface RequestServices {
  db: Db;
  now: () => Date;
  log: ContextLog;
  jobs: JobQueue;
}

/** Per-request values set by middleware; `log` carries the request id (and, under /api, the actor). */
export type AppEnv = { Variables: { actor: Actor; requestId: string; services: RequestServices; log: Logger } };
