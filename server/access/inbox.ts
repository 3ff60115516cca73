/** The owners' read side: the inbox of items awaiting a decision, a request's history, time-to-decision stats. */
import { providersWith } from '../policy/index.js';
import { readAudit } from '../core/audit.js';
import type { ServiceContext } from '../core/context.js';
import type { ItemStatus } from '../../schemas/access.js';
import { loadRequest, notFound, requireUser } from './load.js';
import * as q from './queries.js';
import { median } from './rules.js';

const DAY = 86_400_000;

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
  const row = await q.getVisibleCollection(ctx.db, collectionId, ctx.actor);
  if (!row) throw notFound('collection');
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
