/**
 * What moves items without a person deciding: the XNAT sync's reports on grants, and the scheduled
 * jobs (expiry, reminders). Each runs as the system, in its own transaction.
 */
import { withTransaction, type ServiceContext } from '../core/context.js';
import type { ItemStatus } from '../../schemas/access.js';
import type { AccessHooks } from './hooks.js';
import { refreshStatus, requestEvent, transition } from './load.js';
import { notify } from './notify.js';
import * as q from './queries.js';
import { accessEnds, decide } from './rules.js';

const DAY = 86_400_000;

/**
 * The XNAT sync's report on a grant (`onGrantStateChange`), inside the sync's transaction, as the
 * system: confirmed → active ("granted in XNAT at …"); removed → revoked or expired; failed → the
 * item stays approved and the failure is recorded (the request page shows it). Never throws for
 * an item that cannot move (unknown, withdrawn meanwhile): that would undo the sync's own record.
 */
export async function grantStateChanged(
  ctx: ServiceContext,
  e: { itemId: string; state: 'active' | 'revoked' | 'expired' | 'failed'; at?: Date; reason?: string; note?: string; detail?: string },
) {
  return withTransaction(ctx, async (tx) => {
    const item = await q.getItem(tx.db, e.itemId);
    if (!item) return undefined; // a grant not made for an access item
    const req = (await q.lockRequest(tx.db, item.requestId))!;
    const locked = (await q.lockItem(tx.db, req.id, item.id))!;
    const at = (e.at ?? tx.now()).toISOString();
    const info = {
      itemId: item.id,
      collectionId: item.collectionId,
      providerId: item.providerId,
      at,
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.note ? { note: e.note } : {}),
    };
    const title = (await q.getCollection(tx.db, item.collectionId))?.title ?? item.collectionId;
    if (e.state === 'failed') {
      await requestEvent(tx, req.id, 'item.grant_failed', {
        ...info,
        detail: e.detail ?? `XNAT role not granted: ${e.reason ?? 'failed'}`,
      });
      return locked.status as ItemStatus;
    }
    if (locked.status === e.state) return e.state; // already applied (the sync may report twice)
    const command = e.state === 'active' ? 'confirmGrant' : e.state === 'revoked' ? 'revoke' : 'expire';
    if (!decide(locked.status as ItemStatus, command, 'system').ok) {
      // e.g. the removal after a withdrawal: the item is already final; keep the fact on record.
      await requestEvent(tx, req.id, e.state === 'active' ? 'item.grant_confirmed' : 'item.grant_removed', {
        ...info,
        status: locked.status,
      });
      return locked.status as ItemStatus;
    }
    const detail = e.detail ?? (e.state === 'active' ? `granted in XNAT at ${at}` : `removed from XNAT at ${at}`);
    const to = await transition(tx, req, locked, command, 'system', {}, { ...info, detail });
    await refreshStatus(tx, req.id);
    const body =
      e.state === 'active'
        ? `Your access to ${title} is live in XNAT (role ${locked.role}, until ${locked.until}).`
        : `Your access to ${title} has ${e.state === 'expired' ? 'expired' : 'been removed'}.`;
    await notify(tx, {
      userIds: [req.ownerId],
      eventClass: 'decision',
      requestId: req.id,
      subject: `[Researcher] ${e.state === 'active' ? 'Access is live' : 'Access ended'}: ${title}`,
      body,
    });
    return to;
  });
}

/**
 * Scheduled: items past their end date expire. With XNAT wired in, the sync's own `xnat.expire` job
 * (queued at `until` by the grant) ends the role on time and its report expires the item; here
 * `requestRevoke` is then a no-op that answers `pending` and the item is left to that report. This
 * job only expires items that never reached XNAT (no grant: missing instance or username).
 */
export async function expireDue(ctx: ServiceContext, hooks: AccessHooks): Promise<number> {
  const now = ctx.now();
  let n = 0;
  for (const { item } of await q.grantedItems(ctx.db)) {
    if (!item.until || accessEnds(item.until) > now) continue;
    await withTransaction(ctx, async (tx) => {
      const req = (await q.lockRequest(tx.db, item.requestId))!;
      const locked = (await q.lockItem(tx.db, req.id, item.id))!;
      if (!['approved', 'active'].includes(locked.status)) return;
      const { pending } = (await hooks.requestRevoke(tx, { itemId: item.id, reason: 'expired' })) ?? { pending: false };
      if (pending) return; // the XNAT sync expires the item once the role is gone
      await transition(tx, req, locked, 'expire', 'system', {}, { until: locked.until });
      await refreshStatus(tx, req.id);
      await notify(tx, {
        userIds: [req.ownerId],
        eventClass: 'reminder',
        requestId: req.id,
        subject: '[Researcher] Your access has ended',
        body: `Your access through request ${req.id} ended on ${locked.until}. Renew the request to continue.`,
      });
      n++;
    });
  }
  return n;
}

/** Scheduled: owners after `ownerDays` without a decision; researchers 30 and 7 days before access ends. */
export async function sendReminders(ctx: ServiceContext, opts: { ownerDays: number }): Promise<number> {
  const now = ctx.now();
  let n = 0;
  await withTransaction(ctx, async (tx) => {
    for (const item of await q.staleItems(tx.db, new Date(now.getTime() - opts.ownerDays * DAY))) {
      const days = Math.floor((now.getTime() - item.submittedAt!.getTime()) / DAY);
      const who = item.assigneeId ? [item.assigneeId] : await q.managersOf(tx.db, item.providerId);
      await notify(tx, {
        userIds: who,
        eventClass: 'reminder',
        requestId: item.requestId,
        subject: `[Data owner] Reminder: an access request has waited ${days} days for your decision`,
        body: `Item ${item.id} (collection ${item.collectionId}) was submitted ${days} days ago and still awaits a decision.`,
      });
      await q.setItemBookkeeping(tx.db, item.id, { remindedAt: now });
      n++;
    }
    for (const { item, ownerId, collectionTitle } of await q.grantedItems(tx.db)) {
      if (!item.until) continue;
      const left = Math.ceil((accessEnds(item.until).getTime() - now.getTime()) / DAY);
      const due = left <= 7 ? 2 : left <= 30 ? 1 : 0;
      if (due > item.expiryNotices) {
        await notify(tx, {
          userIds: [ownerId],
          eventClass: 'reminder',
          requestId: item.requestId,
          subject: `[Researcher] Your access to ${collectionTitle} ends in ${left} days`,
          body: `Access ends on ${item.until}. Renew the request to keep it.`,
        });
        await q.setItemBookkeeping(tx.db, item.id, { expiryNotices: due });
        n++;
      }
    }
  });
  return n;
}
