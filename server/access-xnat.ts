/**
 * Wires the access workflow to the XNAT role sync, in every process that runs either (API, worker,
 * tests): approvals ask for roles, revocations, withdrawals and expiries for their removal, and
 * the sync's confirmations move the items (approved → active, → revoked / expired once XNAT no
 * longer lists the user). Neither module imports the other; this file is the only place they meet.
 *
 * Expiry has one path: the grant carries `until` and the sync's `xnat.expire` job (queued at that
 * moment) removes the role; its report expires the item. The access module's daily `access.expire`
 * only expires items that never reached XNAT (see expireDue).
 */
import { accessEnds, configureAccess, grantStateChanged, noXnat, type AccessHooks, type GrantStatus } from './access/index.js';
import { appendAudit } from './core/audit.js';
import { DomainError } from './core/errors.js';
import { itemGrants, onGrantStateChange, requestGrant, requestRevoke, type ItemGrantView } from './xnat/index.js';

export const xnatHooks: AccessHooks = {
  async requestGrant(ctx, g) {
    const [view] = await itemGrants(ctx, [{ itemId: g.itemId, userId: g.userId, instanceRef: g.instanceId, projectId: g.projectId }]);
    // The owner's decision is recorded whatever XNAT's state: a missing instance or account shows on
    // the item (grantStatus) and is retried once fixed, never fails the approval.
    if (view!.instanceMissing) {
      await appendAudit(ctx, { action: 'xnat.grant.unroutable', entityType: 'access_item', entityId: g.itemId, data: { instance: g.instanceId, projectId: g.projectId } });
      return;
    }
    try {
      await requestGrant(ctx, { itemId: g.itemId, userId: g.userId, instanceId: view!.instanceId!, projectId: g.projectId, role: g.role, until: accessEnds(g.until) });
    } catch (e) {
      // Refused before anything was written (e.g. a collection's project id XNAT cannot have).
      if (!(e instanceof DomainError) || e.code !== 'validation_failed') throw e;
      await appendAudit(ctx, { action: 'xnat.grant.unroutable', entityType: 'access_item', entityId: g.itemId, data: { instance: g.instanceId, projectId: g.projectId, error: e.message } });
    }
  },

  async requestRevoke(ctx, r) {
    const { grantId } = await requestRevoke(ctx, r);
    if (!grantId) return { pending: false };
    const g = await grantOf(ctx, r.itemId);
    // Pending while XNAT may list the user: the role was confirmed, or the sync knows (or will learn) the username.
    return { pending: Boolean(g && (g.grant?.applied === 'present' || g.grant?.username || g.hasAccount)) };
  },

  async grantStatus(ctx, items) {
    const views = await itemGrants(ctx, items.map((i) => ({ itemId: i.itemId, userId: i.userId, instanceRef: i.instanceId, projectId: i.projectId })));
    return new Map(views.map((v) => [v.itemId, describe(v)]));
  },
};

async function grantOf(ctx: Parameters<AccessHooks['requestGrant']>[0], itemId: string): Promise<ItemGrantView | undefined> {
  const [v] = await itemGrants(ctx, [{ itemId, userId: '', instanceRef: '', projectId: '' }]);
  if (!v?.grant) return undefined;
  return v;
}

/** What the researcher (and owners, admins) read about the role. */
export function describe(v: ItemGrantView): GrantStatus {
  const where = { instanceId: v.instanceId, projectId: v.projectId, ...(v.xnatUrl ? { xnatUrl: v.xnatUrl } : {}) };
  if (v.instanceMissing) {
    return { state: 'no_instance', message: `The collection's XNAT is not registered in this catalogue; an administrator must add it before the role can be granted. The approval stands.`, projectId: v.projectId };
  }
  const g = v.grant;
  if (!g) return { state: 'failed', message: 'No XNAT role has been requested for this approval yet; an administrator can retry it.', ...where };
  if (g.desired === 'absent') {
    return g.applied === 'absent' ? { state: 'removed', message: 'The XNAT role has been removed.', ...where } : { state: 'removing', message: 'The XNAT role is being removed.', ...where };
  }
  if (g.applied === 'present') {
    const at = g.confirmedAt?.toISOString();
    return { state: 'active', message: `Granted in XNAT${at ? ` at ${at}` : ''}.`, ...where, ...(at ? { confirmedAt: at } : {}) };
  }
  if (!v.hasAccount && !g.username) {
    return { state: 'needs_username', message: `Set your XNAT username for ${v.instanceName ?? 'this XNAT'} at /me/xnat; the role is granted as soon as it is set.`, ...where };
  }
  if (g.applied === 'failed') return { state: 'failed', message: `Granting the XNAT role failed: ${g.lastError ?? 'unknown error'}. An administrator can retry it.`, ...where };
  return { state: 'pending', message: `Waiting for XNAT to confirm the role${g.lastError ? ` (retrying: ${g.lastError})` : ''}.`, ...where };
}

let unwire: (() => void) | undefined;

/** Plug the XNAT sync into the access workflow (idempotent); returns the undo (tests). */
export function wireAccessToXnat(): () => void {
  if (!unwire) {
    configureAccess({ hooks: xnatHooks });
    const off = onGrantStateChange(async (ctx, e) => void (await grantStateChanged(ctx, e)));
    unwire = () => {
      off();
      configureAccess({ hooks: noXnat });
      unwire = undefined;
    };
  }
  return unwire;
}
