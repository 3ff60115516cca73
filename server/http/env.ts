import type { Actor } from '../auth/actor.js';

/** Per-request values set by middleware. */
export type AppEnv = { Variables: { actor: Actor; requestId: string } };
