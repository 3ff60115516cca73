/** Verbs of the owners' side: start a review, decide, revoke, retry a grant, reassign. */
import { isAdmin } from '../policy/index.js';
import type { ServiceContext } from '../core/context.js';
import { withTransaction } from '../core/context.js';
import { DomainError } from '../core/errors.js';
import type { DecisionInput, ItemStatus } from '../../schemas/access.js';
import type { AccessHooks } from './hooks.js';
import { findItem, loadRequest, refreshStatus, requestEvent, requireUser, roleOf, transition } from './load.js';
import { notify } from './notify.js';
import * as q from './queries.js';
import { getRequest } from './read.js';
import { policyOf } from './requests.js';
import { accessEnds, addMonths, allowedRoles, decide, maxDuration } from './rules.js';

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
