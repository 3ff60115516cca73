import type { Actor } from '../auth/actor.js';
import type { Logger } from '../log.js';

/** Per-request values set by middleware; `log` carries the request id (and, under /api, the actor). */
export type AppEnv = { Variables: { actor: Actor; requestId: string; log: Logger } };
