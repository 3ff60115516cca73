/**
 * The XNAT side of access items, for the access workflow's request page: where each item's role
 * stands, and a re-queue of grants that waited for the user's XNAT username.
 */
import type { ServiceContext } from '../core/context.js';
import * as q from './queries.js';

export interface ItemGrantView {
  itemId: string;
  /** The instance is not registered here: nothing can be granted until an admin adds it. */
  instanceMissing: boolean;
  instanceId?: string;
  instanceName?: string;
  projectId: string;
  xnatUrl?: string;
  /** The user has an XNAT username on the instance. */
  hasAccount: boolean;
  grant?: { id: string; desired: string; applied: string; username: string | null; lastError: string | null; confirmedAt: Date | null };
}

/** One view per item; `instanceRef` is the collection's `xnat.instance` (key, URL or id). */
export async function itemGrants(ctx: ServiceContext, items: { itemId: string; userId: string; instanceRef: string; projectId: string }[]): Promise<ItemGrantView[]> {
  const out: ItemGrantView[] = [];
  for (const it of items) {
    const g = await q.getGrantBySource(ctx.db, 'access_item', it.itemId);
    const inst = g ? await q.getInstance(ctx.db, g.instanceId) : await q.findInstance(ctx.db, it.instanceRef);
    const projectId = g?.projectId ?? it.projectId;
    out.push({
      itemId: it.itemId,
      instanceMissing: !inst,
      instanceId: inst?.id,
      instanceName: inst?.name,
      projectId,
      xnatUrl: inst ? `${inst.url.replace(/\/+$/, '')}/data/projects/${encodeURIComponent(projectId)}` : undefined,
      hasAccount: inst ? Boolean(await q.getAccount(ctx.db, g?.userId ?? it.userId, inst.id)) : false,
      grant: g ? { id: g.id, desired: g.desired, applied: g.applied, username: g.username, lastError: g.lastError, confirmedAt: g.confirmedAt } : undefined,
    });
  }
  return out;
}

/**
 * After a user set their XNAT username on an instance: their wanted but unconfirmed grants there
 * (typically failed for want of a username) are queued again. Inside the caller's transaction.
 */
export async function requeueGrantsOfUser(ctx: ServiceContext, userId: string, instanceId: string): Promise<number> {
  let n = 0;
  for (const g of await q.grantsOfUser(ctx.db, userId)) {
    if (g.instanceId !== instanceId || g.desired !== 'present' || g.applied === 'present') continue;
    await q.updateGrant(ctx.db, g.id, { applied: 'pending', lastError: null, username: null, modifiedAt: ctx.now() });
    await ctx.jobs.send(ctx.db, 'xnat.grant', { grantId: g.id });
    n++;
  }
  return n;
}
