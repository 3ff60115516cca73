/**
 * The seam to the XNAT role sync (server/xnat). Approval asks for a grant and revocation for its
 * removal, both inside the caller's transaction (the sync enqueues its own job); the sync reports
 * back through `grantStateChanged` (server/access/system-moves.ts), and only then is an item `active`
 * (or `revoked` / `expired`). server/access-xnat.ts plugs the XNAT module in; without it (`noXnat`)
 * items stay `approved` and revocations take effect at once.
 */
import type { ServiceContext } from '../core/context.js';

export interface GrantRequest {
  itemId: string;
  userId: string;
  /** The collection's `xnat.instance` (an instance key or URL). */
  instanceId: string;
  projectId: string;
  role: 'collaborator' | 'member';
  /** ISO date (access ends at the end of this day) or an ISO date-time. */
  until: string;
}

export type RevokeReason = 'revoked' | 'expired' | 'withdrawn';

/** What the researcher, the owners and admins see about an approved item's XNAT role. */
export interface GrantStatus {
  state: 'pending' | 'active' | 'removing' | 'removed' | 'failed' | 'needs_username' | 'no_instance';
  message: string;
  /** Link into XNAT (the project page). */
  xnatUrl?: string;
  instanceId?: string;
  projectId?: string;
  confirmedAt?: string;
}

export interface AccessHooks {
  /**
   * Ask for the role. Must not throw for a missing XNAT instance or account: the owner's decision
   * is recorded regardless and the item shows why its role is not there yet.
   */
  requestGrant(ctx: ServiceContext, g: GrantRequest): Promise<void>;
  /** `pending: true` when XNAT may still list the user: the item moves once the sync confirms removal. */
  requestRevoke(ctx: ServiceContext, r: { itemId: string; reason: RevokeReason }): Promise<{ pending: boolean }>;
  /** The XNAT side of these items (for the request page). */
  grantStatus?(
    ctx: ServiceContext,
    items: { itemId: string; userId: string; instanceId: string; projectId: string }[],
  ): Promise<Map<string, GrantStatus>>;
}

export const noXnat: AccessHooks = {
  requestGrant: async () => {},
  requestRevoke: async () => ({ pending: false }),
};

let current: AccessHooks = noXnat;
/** The hooks in force (set by `configureAccess`). */
export const currentHooks = (): AccessHooks => current;
export function setHooks(h: AccessHooks) {
  current = h;
}
