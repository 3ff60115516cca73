/**
 * Who is looking at a request, and what they may see of it. The researcher and admins see all of
 * it; a provider's data managers see it only once submitted, and only their provider's items (and
 * items reassigned to them). Anyone else gets 404, as if it did not exist.
 */
import type { Actor } from '../auth/actor.js';
import { canReviewRequestsFor, isAdmin, providersWith } from '../policy/index.js';
import { appendAudit } from '../core/audit.js';
import type { ServiceContext } from '../core/context.js';
import { DomainError } from '../core/errors.js';
import type { ItemStatus } from '../../schemas/access.js';
import * as q from './queries.js';
import { apply, decide, requestStatus, type CommandType, type Role } from './rules.js';

export type ItemWithTitle = { item: q.ItemRow; collectionTitle: string };

export interface RequestView {
  req: q.RequestRow;
  /** All items (callers filter with `visible`). */
  items: ItemWithTitle[];
  relation: 'researcher' | 'admin' | 'owner';
  /** Items this viewer may see. */
  visible: ItemWithTitle[];
  /** Provider ids whose items this viewer sees as an owner. */
  providerIds: string[];
}

export const userId = (a: Actor) => (a.kind === 'user' ? a.id : undefined);

export function requireUser(ctx: ServiceContext): Extract<Actor, { kind: 'user' }> {
  if (ctx.actor.kind !== 'user') throw new DomainError('unauthenticated', 'Sign in to do this.');
  return ctx.actor;
}

export const notFound = (what = 'request') => new DomainError('not_found', `No such ${what}.`);

/** May this actor decide this item (data manager of its provider, the assignee, or an admin)? */
export function canDecideItem(a: Actor, item: q.ItemRow): boolean {
  if (a.kind !== 'user') return false;
  return canReviewRequestsFor(a, item.providerId) || item.assigneeId === a.id;
}

export async function loadRequest(ctx: ServiceContext, id: string, opts: { lock?: boolean } = {}): Promise<RequestView> {
  const actor = requireUser(ctx);
  const req = opts.lock ? await q.lockRequest(ctx.db, id) : await q.getRequest(ctx.db, id);
  if (!req) throw notFound();
  const items = await q.itemsOf(ctx.db, [id]);
  if (req.ownerId === actor.id) return { req, items, relation: 'researcher', visible: items, providerIds: [] };
  if (isAdmin(actor))
    return { req, items, relation: 'admin', visible: items, providerIds: [...new Set(items.map((i) => i.item.providerId))] };
  const visible = items.filter((i) => i.item.status !== 'draft' && canDecideItem(actor, i.item));
  if (!visible.length) throw notFound();
  return { req, items, relation: 'owner', visible, providerIds: [...new Set(visible.map((i) => i.item.providerId))] };
}

export function findItem(v: RequestView, itemId: string): q.ItemRow {
  const hit = v.visible.find((i) => i.item.id === itemId);
  if (!hit) throw notFound('item');
  return hit.item;
}

/** The party a command comes from, for the workflow rules. */
export function roleOf(v: RequestView, ctx: ServiceContext, item?: q.ItemRow): Role {
  if (ctx.actor.kind !== 'user') return 'system';
  if (v.relation === 'researcher') return 'researcher';
  if (item && !ctx.actor.isAdmin) return 'owner';
  if (item && providersWith(ctx.actor, 'reviewRequests').includes(item.providerId)) return 'owner';
  return v.relation === 'admin' ? 'admin' : 'owner';
}

/**
 * Run one workflow command on one item: ask the rules, apply the events with a revision check, and
 * append one audit entry per event (same transaction).
 */
export async function transition(
  ctx: ServiceContext,
  req: q.RequestRow,
  item: q.ItemRow,
  command: CommandType,
  who: Role,
  set: Partial<q.ItemRow> = {},
  data: Record<string, unknown> = {},
): Promise<ItemStatus> {
  const d = decide(item.status as ItemStatus, command, who);
  if (!d.ok) throw new DomainError(d.code, d.detail, d.errors);
  const to = apply(item.status as ItemStatus, d.events);
  const ok = await q.updateItem(ctx.db, item.id, item.revision, { ...set, status: to });
  if (!ok) throw new DomainError('conflict', 'The item changed while you acted on it; reload and retry.');
  for (const e of d.events) {
    await appendAudit(ctx, {
      action: `access.${e.type}`,
      entityType: 'access_request',
      entityId: req.id,
      data: {
        itemId: item.id,
        collectionId: item.collectionId,
        providerId: item.providerId,
        from: e.from,
        to: e.to,
        ...(e.to === to ? data : {}),
      },
    });
  }
  item.status = to;
  item.revision += 1;
  return to;
}

export async function requestEvent(ctx: ServiceContext, requestId: string, type: string, data: Record<string, unknown> = {}) {
  await appendAudit(ctx, { action: `access.${type}`, entityType: 'access_request', entityId: requestId, data });
}

/** Recompute and store the request's status from its items. */
export async function refreshStatus(ctx: ServiceContext, requestId: string) {
  const items = await q.itemsOf(ctx.db, [requestId]);
  const status = requestStatus(items.map((i) => i.item.status as ItemStatus));
  await q.updateRequest(ctx.db, requestId, { status, modifiedAt: ctx.now() });
  return status;
}
