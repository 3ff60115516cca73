/**
 * The seam the access workflow calls, inside its own transaction: record that a role is wanted
 * (or no longer wanted) and enqueue the job that makes XNAT agree. Plus the admin views: sync
 * status per project, grants, reconcile and retry.
 */
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../core/audit.js';
import { withTransaction, type ServiceContext } from '../core/context.js';
import { DomainError } from '../core/errors.js';
import type { XnatRole } from './client.js';
import { requireAdmin } from './instances.js';
import * as q from './queries.js';

export interface GrantRequest {
  /** The access item this role is for (one grant per item). */
  itemId: string;
  /** The catalogue user; their XNAT username on the instance is looked up when the job runs. */
  userId: string;
  /** An instance id, or the collection's `xnat.instance` value. */
  instanceId: string;
  projectId: string;
  role: XnatRole;
  /** Access ends then (an expiry job is scheduled); null = until revoked. */
  until?: Date | null;
}

export type RevokeReason = 'revoked' | 'expired' | 'withdrawn';

const ROLES = new Set(['owner', 'member', 'collaborator']);

export async function requestGrant(ctx: ServiceContext, r: GrantRequest): Promise<{ grantId: string }> {
  if (!ROLES.has(r.role))
    throw new DomainError('validation_failed', `Unknown XNAT role ${r.role}.`, [
      { path: 'role', message: 'owner, member or collaborator' },
    ]);
  if (!/^[A-Za-z0-9_-]+$/.test(r.projectId))
    throw new DomainError('validation_failed', 'Not an XNAT project id.', [{ path: 'projectId', message: 'letters, digits, _ and -' }]);
  return withTransaction(ctx, async (tx) => {
    const instance = await q.findInstance(tx.db, r.instanceId);
    if (!instance)
      throw new DomainError('validation_failed', `No XNAT instance is registered for ${r.instanceId}.`, [
        { path: 'instanceId', message: 'unknown XNAT instance' },
      ]);
    const now = tx.now();
    const existing = await q.getGrantBySource(tx.db, 'access_item', r.itemId);
    const until = r.until ?? null;
    let grantId: string;
    if (existing) {
      grantId = existing.id;
      await q.updateGrant(tx.db, grantId, {
        instanceId: instance.id,
        projectId: r.projectId,
        userId: r.userId,
        role: r.role,
        until,
        desired: 'present',
        endReason: null,
        applied: existing.applied === 'present' && existing.role === r.role && existing.projectId === r.projectId ? 'present' : 'pending',
        lastError: null,
        modifiedAt: now,
      });
    } else {
      grantId = randomUUID();
      await q.insertGrant(tx.db, {
        id: grantId,
        instanceId: instance.id,
        projectId: r.projectId,
        userId: r.userId,
        role: r.role,
        sourceType: 'access_item',
        sourceId: r.itemId,
        desired: 'present',
        until,
        applied: 'pending',
        createdAt: now,
        modifiedAt: now,
      });
    }
    await appendAudit(tx, {
      action: 'xnat.grant.requested',
      entityType: 'xnat_grant',
      entityId: grantId,
      data: { itemId: r.itemId, userId: r.userId, instanceId: instance.id, projectId: r.projectId, role: r.role, until },
    });
    await tx.jobs.send(tx.db, 'xnat.grant', { grantId });
    if (until) await tx.jobs.send(tx.db, 'xnat.expire', { grantId }, { startAfter: until });
    return { grantId };
  });
}

/** End the role granted for the item. Idempotent; a no-op when nothing was requested for it. */
export async function requestRevoke(ctx: ServiceContext, r: { itemId: string; reason: RevokeReason }): Promise<{ grantId: string | null }> {
  return withTransaction(ctx, async (tx) => {
    const row = await q.getGrantBySource(tx.db, 'access_item', r.itemId);
    if (!row) return { grantId: null };
    if (row.desired === 'absent') return { grantId: row.id };
    await q.updateGrant(tx.db, row.id, { desired: 'absent', endReason: r.reason, lastError: null, modifiedAt: tx.now() });
    await appendAudit(tx, {
      action: 'xnat.revoke.requested',
      entityType: 'xnat_grant',
      entityId: row.id,
      data: { itemId: r.itemId, reason: r.reason },
    });
    await tx.jobs.send(tx.db, 'xnat.revoke', { grantId: row.id });
    return { grantId: row.id };
  });
}

// ---- admin ----

export async function queueReconcile(ctx: ServiceContext, r: { instanceId?: string; projectId?: string }): Promise<{ queued: number }> {
  requireAdmin(ctx);
  return withTransaction(ctx, async (tx) => {
    let instanceId = r.instanceId;
    if (instanceId) {
      const inst = await q.findInstance(tx.db, instanceId);
      if (!inst)
        throw new DomainError('validation_failed', 'Unknown XNAT instance.', [{ path: 'instanceId', message: 'unknown XNAT instance' }]);
      instanceId = inst.id;
    }
    let targets = await q.knownProjects(tx.db, instanceId);
    if (r.projectId) {
      targets = targets.filter((t) => t.projectId === r.projectId);
      if (!targets.length && instanceId) targets = [{ instanceId, projectId: r.projectId }];
    }
    for (const t of targets)
      await tx.jobs.send(tx.db, 'xnat.reconcile', t, { singletonKey: `xnat.reconcile:${t.instanceId}:${t.projectId}` });
    await appendAudit(tx, {
      action: 'xnat.reconcile.requested',
      entityType: 'xnat_instance',
      entityId: instanceId ?? '*',
      data: { projectId: r.projectId, queued: targets.length },
    });
    return { queued: targets.length };
  });
}

const settled = (g: q.GrantRow) => g.applied === (g.desired === 'present' ? 'present' : 'absent');

export async function syncStatus(ctx: ServiceContext) {
  requireAdmin(ctx);
  const projects = await q.knownProjects(ctx.db);
  const syncRows = new Map((await q.projectSyncRows(ctx.db)).map((s) => [`${s.instanceId}\u0000${s.projectId}`, s]));
  const unsettled = await q.unsettledGrants(ctx.db);
  const items = projects.map(({ instanceId, projectId }) => {
    const s = syncRows.get(`${instanceId}\u0000${projectId}`);
    const mine = unsettled.filter((g) => g.instanceId === instanceId && g.projectId === projectId);
    const failed = mine.filter((g) => g.applied === 'failed' || g.lastError).length;
    const pending = mine.filter((g) => !settled(g) && g.applied !== 'failed').length;
    const status = failed > 0 || s?.lastError ? 'failing' : pending > 0 ? 'drift' : 'in_sync';
    return {
      instanceId,
      projectId,
      status: status as 'in_sync' | 'drift' | 'failing',
      pending,
      failed,
      lastSyncAt: s?.lastSyncAt?.toISOString() ?? null,
      lastReconcileAt: s?.lastReconcileAt?.toISOString() ?? null,
      lastError: s?.lastError ?? null,
      driftFound: s?.driftFound ?? 0,
      driftRepaired: s?.driftRepaired ?? 0,
      reports: (s?.reports ?? []) as { username: string; note: string }[],
    };
  });
  items.sort((a, b) => a.instanceId.localeCompare(b.instanceId) || a.projectId.localeCompare(b.projectId));
  return { items };
}

export function publicGrant(g: q.GrantRow, instanceUrl?: string) {
  return {
    id: g.id,
    itemId: g.sourceId,
    instanceId: g.instanceId,
    projectId: g.projectId,
    userId: g.userId,
    username: g.username,
    role: g.role as XnatRole,
    desired: g.desired as 'present' | 'absent',
    applied: g.applied as 'pending' | 'present' | 'absent' | 'failed',
    endReason: g.endReason,
    until: g.until?.toISOString() ?? null,
    confirmedAt: g.confirmedAt?.toISOString() ?? null,
    lastError: g.lastError,
    note: g.note,
    attempts: g.attempts,
    ...(instanceUrl ? { xnatUrl: `${instanceUrl}/data/projects/${g.projectId}` } : {}),
  };
}

/** Failed grants (dead letters) and those still failing, for the admin view. */
export async function failingGrants(ctx: ServiceContext) {
  requireAdmin(ctx);
  return { items: (await q.unsettledGrants(ctx.db)).filter((g) => g.applied === 'failed' || g.lastError).map((g) => publicGrant(g)) };
}

/** Admin retry of a failed grant or revoke: clear the failure and queue it again. */
export async function retryGrant(ctx: ServiceContext, grantId: string) {
  requireAdmin(ctx);
  return withTransaction(ctx, async (tx) => {
    const g = await q.getGrant(tx.db, grantId);
    if (!g) throw new DomainError('not_found', 'No such grant.');
    await q.updateGrant(tx.db, g.id, { applied: g.applied === 'failed' ? 'pending' : g.applied, lastError: null, modifiedAt: tx.now() });
    await tx.jobs.send(tx.db, g.desired === 'present' ? 'xnat.grant' : 'xnat.revoke', { grantId: g.id });
    await appendAudit(tx, { action: 'xnat.grant.retry', entityType: 'xnat_grant', entityId: g.id });
    return publicGrant((await q.getGrant(tx.db, g.id))!);
  });
}

/** The signed-in user's grants with their state and a link into XNAT. */
export async function myGrants(ctx: ServiceContext) {
  if (ctx.actor.kind !== 'user') throw new DomainError('unauthenticated', 'Sign in to do this.');
  const urls = new Map((await q.listInstances(ctx.db)).map((i) => [i.id, i.url]));
  return { items: (await q.grantsOfUser(ctx.db, ctx.actor.id)).map((g) => publicGrant(g, urls.get(g.instanceId))) };
}
