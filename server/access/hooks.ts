/**
 * The seam to the XNAT role sync (server/xnat, built separately). Approval asks for a grant and
 * revocation for its removal, both inside the caller's transaction (the sync enqueues its own job);
 * the sync reports back through `grantStateChanged` (server/access/decisions.ts), and only then is an
 * item `active`. Until server/xnat is merged, the app runs with `noXnat`: items stay `approved`.
 */
import type { ServiceContext } from '../core/context.js';

export interface GrantRequest {
  itemId: string;
  userId: string;
  instanceId: string;
  projectId: string;
  role: 'collaborator' | 'member';
  /** ISO date: access ends at the end of this day. */
  until: string;
}

export interface AccessHooks {
  requestGrant(ctx: ServiceContext, g: GrantRequest): Promise<void>;
  requestRevoke(ctx: ServiceContext, r: { itemId: string; reason: string }): Promise<void>;
}

export const noXnat: AccessHooks = {
  requestGrant: async () => {},
  requestRevoke: async () => {},
};
