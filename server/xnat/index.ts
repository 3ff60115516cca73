/**
 * XNAT role sync: the public surface of the module.
 *
 * For the access workflow (call inside your transaction; the job runs after commit):
 *   requestGrant(ctx, {itemId, userId, instanceId, projectId, role, until})
 *   requestRevoke(ctx, {itemId, reason: 'revoked' | 'expired' | 'withdrawn'})
 *   onGrantStateChange((ctx, {itemId, state: 'active'|'revoked'|'expired'|'failed', at, reason?, note?}) => …)
 * For the app: `jobs` (the job engine runs them), `xnatRoutes`, `configureXnat`.
 */
export { requestGrant, requestRevoke, type GrantRequest, type RevokeReason } from './grants.js';
export { onGrantStateChange, type GrantState, type GrantStateChange, type GrantStateListener } from './events.js';
export { jobs } from './jobs.js';
export { configureXnat, closeClients } from './runtime.js';
export { configureXnatFromConfig, startXnatDemo, DEMO_INSTANCE_ID } from './embedded.js';
export { xnatRoutes } from './routes.js';

import type { AppModule } from '../http/module.js';
import { jobs } from './jobs.js';
import { xnatRoutes } from './routes.js';

/** Routes and jobs of the XNAT module for `createApp({ modules })`. */
export const xnatModule: AppModule = { name: 'xnat', routes: xnatRoutes, jobs };
export type { XnatRole } from './client.js';
export { itemGrants, requeueGrantsOfUser, type ItemGrantView } from './items.js';
