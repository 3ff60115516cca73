/** Verbs of the owners' side: review, decide, revoke, reassign; grant feedback from XNAT; the inbox. */
import { can, isAdmin, providersWith } from '../policy/index.js';
import { readAudit } from '../core/audit.js';
import type { ServiceContext } from '../core/context.js';
import { withTransaction } from '../core/context.js';
import { DomainError } from '../core/errors.js';
import type { DecisionInput, ItemStatus } from '../../schemas/access.js';
import type { AccessHooks } from './hooks.js';
import { findItem, loadRequest, notFound, refreshStatus, requestEvent, requireUser, roleOf, transition } from './load.js';
import { notify } from './notify.js';
import * as q from './queries.js';
import { policyOf, getRequest } from './requests.js';
import { accessEnds, addMonths, allowedRoles, decide, maxDuration, median } from './rules.js';

const DAY = 86_400_000;

function assertDecider(v: Awaited<ReturnType<typeof loadRequest>>) {
  if (v.relation === 'researcher') throw new DomainError('forbidden', 'The researcher cannot decide on their own request.');
}

export async function startReview(ctx: ServiceContext, requestId: string, itemId: string) {
  return withTransaction(ctx, async (tx) => {
    const v = await loadRequest(tx, requestId);
    assertDecider(v);
    findItem(v, itemId);
    const item = (await q.lockItem(tx.db, requestId, itemId))!;
    await transition(tx, v.req, item, 'startReview', roleOf(v, tx, item));
    return getRequest(tx, requestId);
  });
}

export async function decideItem(ctx: ServiceContext, hooks: AccessHooks, requestId: string, itemId: string, input: DecisionInput) {
  const actor = requireUser(ctx);
  return withTransaction(ctx, async (tx) => {
    const v = await loadRequest(tx, requestId);
    assertDecider(v);
    findItem(v, itemId);
    // Row lock: two owners deciding at once are serialised; the second sees the new state and gets 409.
    const item = (await q.lockItem(tx.db, requestId, itemId))!;
    const versions = await q.getVersions(tx.db, requestId);
    const submitted = [...versions].reverse().find((x) => x.submittedAt);
    const form = (submitted?.form ?? {}) as { role?: 'collaborator' | 'member'; durationMonths?: number; title?: string };
    const now = tx.now();
    const set: Partial<q.ItemRow> = { decidedAt: now };
    let role: 'collaborator' | 'member' | undefined;
    let until: string | undefined;
    if (input.outcome === 'approve') {
      const collection = (await q.getCollection(tx.db, item.collectionId))!;
      const policy = policyOf(collection);
      role = input.role ?? form.role ?? 'collaborator';
      if (!allowedRoles(policy).includes(role)) {
        throw new DomainError('validation_failed', 'The collection does not grant this role.', [
          { path: 'role', message: `allowed: ${allowedRoles(policy).join(', ')}` },
        ]);
      }
      const cap = maxDuration(policy);
      const latest = cap !== undefined ? addMonths(now, cap) : undefined;
      until = input.until ?? addMonths(now, Math.min(form.durationMonths ?? 12, cap ?? Infinity));
      if (accessEnds(until) <= now)
        throw new DomainError('validation_failed', 'The end date must lie in the future.', [
          { path: 'until', message: 'must be after today' },
        ]);
      if (latest && until > latest)
        throw new DomainError('validation_failed', `The collection grants access until ${latest} at the latest.`, [
          { path: 'until', message: `at most ${latest}` },
        ]);
      Object.assign(set, { role, until });
    }
    const command = input.outcome === 'approve' ? 'approve' : input.outcome === 'reject' ? 'reject' : 'return';
    await transition(tx, v.req, item, command, roleOf(v, tx, item), set, {
      role,
      until,
      reason: input.reason,
      conditions: input.conditions,
      formVersion: submitted?.version,
    });
    await q.insertDecision(tx.db, {
      itemId,
      outcome: input.outcome,
      actorId: actor.id,
      at: now,
      role: role ?? null,
      until: until ?? null,
      reason: input.reason ?? null,
      conditions: input.conditions ?? null,
      formVersion: submitted?.version ?? v.req.formVersion,
      daysToDecision: item.submittedAt ? Math.round((now.getTime() - item.submittedAt.getTime()) / DAY) : null,
    });
    if (input.outcome === 'approve') {
      const collection = (await q.getCollection(tx.db, item.collectionId))!;
      await hooks.requestGrant(tx, {
        itemId,
        userId: v.req.ownerId,
        instanceId: collection.xnatInstance,
        projectId: collection.xnatProjectId,
        role: role!,
        until: until!,
      });
    }
    await refreshStatus(tx, requestId);
    const title = (await q.getCollection(tx.db, item.collectionId))?.title ?? item.collectionId;
    const what =
      input.outcome === 'approve'
        ? `approved: you will get the XNAT ${role} role until ${until}. Access starts once XNAT confirms it; we will tell you.${input.conditions ? `\nConditions: ${input.conditions}` : ''}`
        : input.outcome === 'reject'
          ? `rejected.\nReason: ${input.reason}`
          : `returned to you for changes. Edit the form and submit again.\nWhat to change: ${input.reason}`;
    await notify(tx, {
      userIds: [v.req.ownerId],
      eventClass: 'decision',
      requestId,
      subject: `[Researcher] Your access request for ${title} was ${input.outcome === 'approve' ? 'approved' : input.outcome === 'reject' ? 'rejected' : 'returned for changes'}`,
      body: `Your request for ${title} was ${what}`,
    });
    return getRequest(tx, requestId);
  });
}

export async function revokeItem(ctx: ServiceContext, hooks: AccessHooks, requestId: string, itemId: string, reason?: string) {
  return withTransaction(ctx, async (tx) => {
    const v = await loadRequest(tx, requestId);
    assertDecider(v);
    findItem(v, itemId);
    const item = (await q.lockItem(tx.db, requestId, itemId))!;
    const who = roleOf(v, tx, item);
    const { pending } = (await hooks.requestRevoke(tx, { itemId, reason: 'revoked' })) ?? { pending: false };
    if (pending) {
      // XNAT still lists the user: the item turns `revoked` once the sync confirms the removal.
      const d = decide(item.status as ItemStatus, 'revoke', who);
      if (!d.ok) throw new DomainError(d.code, d.detail, d.errors);
      await requestEvent(tx, requestId, 'item.revoke_requested', {
        itemId,
        collectionId: item.collectionId,
        providerId: item.providerId,
        reason,
      });
    } else {
      await transition(tx, v.req, item, 'revoke', who, {}, { reason });
    }
    await refreshStatus(tx, requestId);
    await notify(tx, {
      userIds: [v.req.ownerId],
      eventClass: 'decision',
      requestId,
      subject: '[Researcher] Your access was revoked',
      body: `Your access granted through request ${requestId} was revoked.${reason ? `\nReason: ${reason}` : ''}`,
    });
    return getRequest(tx, requestId);
  });
}

/**
 * Ask XNAT for an approved item's role again (researcher, the item's owners, admins): after an
 * admin registered the collection's XNAT, or a failed grant was fixed. Idempotent.
 */
export async function retryGrant(ctx: ServiceContext, hooks: AccessHooks, requestId: string, itemId: string) {
  return withTransaction(ctx, async (tx) => {
    const v = await loadRequest(tx, requestId);
    findItem(v, itemId);
    const item = (await q.lockItem(tx.db, requestId, itemId))!;
    if (item.status !== 'approved' || !item.role || !item.until)
      throw new DomainError('illegal_transition', 'Only an approved item waiting for its XNAT role can be retried.');
    const collection = (await q.getCollection(tx.db, item.collectionId))!;
    await hooks.requestGrant(tx, {
      itemId,
      userId: v.req.ownerId,
      instanceId: collection.xnatInstance,
      projectId: collection.xnatProjectId,
      role: item.role as 'collaborator' | 'member',
      until: item.until,
    });
    await requestEvent(tx, requestId, 'item.grant_retried', { itemId, collectionId: item.collectionId, providerId: item.providerId });
    return getRequest(tx, requestId);
  });
}

/** Admins hand an item to another decider (e.g. a deputy while the provider's managers are away). */
export async function assignItem(ctx: ServiceContext, requestId: string, itemId: string, assigneeId: string) {
  return withTransaction(ctx, async (tx) => {
    const v = await loadRequest(tx, requestId);
    if (!isAdmin(tx.actor))
      throw v.relation === 'owner'
        ? new DomainError('forbidden', 'Only admins reassign items.')
        : new DomainError('forbidden', 'Only admins reassign items.');
    const item = findItem(v, itemId);
    if (!(await q.getUsers(tx.db, [assigneeId])).length)
      throw new DomainError('validation_failed', 'No such user.', [{ path: 'assigneeId', message: 'unknown user' }]);
    const locked = (await q.lockItem(tx.db, requestId, item.id))!;
    if (!(await q.updateItem(tx.db, item.id, locked.revision, { assigneeId })))
      throw new DomainError('conflict', 'The item changed; retry.');
    await requestEvent(tx, requestId, 'item.assigned', { itemId, assigneeId, from: locked.assigneeId });
    await notify(tx, {
      userIds: [assigneeId],
      eventClass: 'request',
      requestId,
      subject: '[Data owner] An access request was assigned to you',
      body: `Item ${itemId} of request ${requestId} awaits your decision.`,
    });
    return getRequest(tx, requestId);
  });
}

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

export async function inbox(ctx: ServiceContext, f: { collectionId?: string; status?: 'submitted' | 'under_review'; minAgeDays?: number }) {
  const me = requireUser(ctx);
  const now = ctx.now();
  const rows = await q.awaitingItems(ctx.db, {
    all: me.isAdmin,
    providerIds: providersWith(me, 'reviewRequests'),
    userId: me.id,
    collectionId: f.collectionId,
    status: f.status,
    submittedBefore: f.minAgeDays !== undefined ? new Date(now.getTime() - f.minAgeDays * DAY) : undefined,
  });
  const reqIds = [...new Set(rows.map((r) => r.item.requestId))];
  const titles = new Map<string, string | undefined>();
  for (const id of reqIds) {
    const versions = await q.getVersions(ctx.db, id);
    titles.set(id, ([...versions].reverse().find((x) => x.submittedAt)?.form as { title?: string } | undefined)?.title);
  }
  const names = new Map((await q.getUsers(ctx.db, [...new Set(rows.map((r) => r.ownerId))])).map((u) => [u.id, u.name]));
  return {
    items: rows
      .filter((r) => r.ownerId !== me.id)
      .map((r) => ({
        requestId: r.item.requestId,
        itemId: r.item.id,
        collectionId: r.item.collectionId,
        collectionTitle: r.collectionTitle,
        providerId: r.item.providerId,
        status: r.item.status as ItemStatus,
        title: titles.get(r.item.requestId),
        researcher: names.get(r.ownerId) ?? r.ownerId,
        submittedAt: r.item.submittedAt?.toISOString(),
        ageDays: r.item.submittedAt ? Math.floor((now.getTime() - r.item.submittedAt.getTime()) / DAY) : 0,
        conflicts: (r.item.conflicts as { collectionId: string; code: string; message: string }[]) ?? [],
      })),
    unreadNotifications: await q.unreadCount(ctx.db, me.id),
  };
}

/** The request's history from the audit log, limited to what this viewer may see. */
export async function history(ctx: ServiceContext, requestId: string) {
  const v = await loadRequest(ctx, requestId);
  const mine = new Set(v.visible.map((i) => i.item.id));
  const rows = await readAudit(ctx, { entityType: 'access_request', entityId: requestId });
  return {
    events: rows
      .filter((r) => {
        const d = (r.data ?? {}) as { itemId?: string; audience?: string };
        if (v.relation !== 'owner') return true;
        if (d.itemId && !mine.has(d.itemId)) return false;
        if (d.audience && d.audience !== 'all' && !v.providerIds.includes(d.audience)) return false;
        // Owners see the request's own events once submitted, not the researcher's draft edits.
        return !r.action.startsWith('access.request.form_saved');
      })
      .map((r) => ({
        ...((r.data ?? {}) as object),
        at: r.at,
        actor: r.actorId ?? 'system',
        type: r.action.replace(/^access\./, ''),
        seq: r.seq,
      })),
  };
}

/** Time to decision for a collection: shown once there are at least five decisions. */
export async function decisionStats(ctx: ServiceContext, collectionId: string) {
  const row = await q.getCollection(ctx.db, collectionId);
  if (!row || !can(ctx.actor, 'view', row)) throw notFound('collection');
  const rows = await q.collectionDecisions(ctx.db, collectionId);
  const out: { collectionId: string; decisions: number; medianDaysToDecision?: number; approvalRate?: number } = {
    collectionId,
    decisions: rows.length,
  };
  if (rows.length >= 5) {
    out.medianDaysToDecision = median(rows.map((r) => r.days ?? 0));
    out.approvalRate = Math.round((rows.filter((r) => r.outcome === 'approve').length / rows.length) * 100) / 100;
  }
  return out;
}
