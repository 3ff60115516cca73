/** Reading requests: one request as its caller may see it, and the caller's list. */
import { isAdmin } from '../policy/index.js';
import type { ServiceContext } from '../core/context.js';
import type { ItemStatus } from '../../schemas/access.js';
import { canDecideItem, loadRequest, requireUser, type RequestView } from './load.js';
import { currentHooks, type GrantStatus } from './hooks.js';
import * as q from './queries.js';
import { diffForms, type Conflict } from './rules.js';

export async function getRequest(ctx: ServiceContext, id: string) {
  return present(ctx, await loadRequest(ctx, id));
}

export async function listRequests(ctx: ServiceContext) {
  const me = requireUser(ctx);
  const rows = await q.listRequests(ctx.db, me.isAdmin ? { all: true } : { ownerId: me.id });
  const items = await q.itemsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const owners = new Map((await q.getUsers(ctx.db, [...new Set(rows.map((r) => r.ownerId))])).map((u) => [u.id, u.name]));
  return {
    items: rows.map((r) => ({
      ...summary(r, owners.get(r.ownerId)),
      items: items.filter((i) => i.item.requestId === r.id).map((i) => itemOut(i, undefined, [])),
    })),
  };
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

function summary(r: q.RequestRow, ownerName?: string) {
  return {
    id: r.id,
    status: r.status as 'draft' | 'open' | 'concluded',
    ownerId: r.ownerId,
    ownerName,
    renewalOf: r.renewalOf ?? undefined,
    createdAt: r.createdAt.toISOString(),
    submittedAt: iso(r.submittedAt),
    formVersion: r.formVersion,
  };
}

function itemOut(i: { item: q.ItemRow; collectionTitle: string }, d: q.DecisionRow | undefined, actions: ItemAction[]) {
  const it = i.item;
  return {
    id: it.id,
    collectionId: it.collectionId,
    collectionTitle: i.collectionTitle,
    providerId: it.providerId,
    status: it.status as ItemStatus,
    ...(d
      ? {
          decision: {
            outcome: d.outcome as 'approve' | 'reject' | 'return',
            by: d.actorId,
            at: d.at.toISOString(),
            role: (d.role ?? undefined) as 'collaborator' | 'member' | undefined,
            until: d.until ?? undefined,
            reason: d.reason ?? undefined,
            conditions: d.conditions ?? undefined,
            formVersion: d.formVersion,
          },
        }
      : {}),
    conflicts: (it.conflicts as Conflict[]) ?? [],
    role: (it.role ?? undefined) as 'collaborator' | 'member' | undefined,
    until: it.until ?? undefined,
    submittedAt: iso(it.submittedAt),
    assigneeId: it.assigneeId ?? undefined,
    revision: it.revision,
    actions,
  };
}

type ItemAction = 'decide' | 'assign';
/** The item's actions for this caller: never on one's own request (the researcher does not decide). */
function itemActions(ctx: ServiceContext, v: RequestView, item: q.ItemRow): ItemAction[] {
  if (v.relation === 'researcher') return [];
  const out: ItemAction[] = canDecideItem(ctx.actor, item) ? ['decide'] : [];
  if (isAdmin(ctx.actor)) out.push('assign');
  return out;
}

export async function present(ctx: ServiceContext, v: RequestView) {
  const versions = await q.getVersions(ctx.db, v.req.id);
  const submitted = versions.filter((x) => x.submittedAt);
  // Owners read what was submitted, never the researcher's unsent edits.
  const shown = v.relation === 'researcher' ? versions.at(-1) : (submitted.at(-1) ?? versions.at(-1));
  const last = submitted.at(-1);
  const prev = submitted.at(-2);
  const decisions = await q.decisionsOf(
    ctx.db,
    v.visible.map((i) => i.item.id),
  );
  const latest = new Map(decisions.map((d) => [d.itemId, d]));
  const [owner] = await q.getUsers(ctx.db, [v.req.ownerId]);
  const grants = await grantStatuses(ctx, v);
  return {
    ...summary(v.req, owner?.name),
    formVersion: shown?.version ?? v.req.formVersion,
    form: (shown?.form ?? {}) as Record<string, unknown>,
    changes: last && prev ? diffForms(prev.form, last.form) : [],
    items: v.visible.map((i) => ({
      ...itemOut(i, latest.get(i.item.id), itemActions(ctx, v, i.item)),
      ...(grants.has(i.item.id) ? { grant: grants.get(i.item.id) } : {}),
    })),
  };
}

const GRANTED: readonly string[] = ['approved', 'active', 'expired', 'revoked', 'withdrawn'];

/** The XNAT side of the items that were approved (withdrawn ones only if they had been). */
async function grantStatuses(ctx: ServiceContext, v: RequestView): Promise<Map<string, GrantStatus>> {
  const hooks = currentHooks();
  const items = v.visible.filter((i) => GRANTED.includes(i.item.status) && i.item.role);
  if (!hooks.grantStatus || !items.length) return new Map();
  const cols = new Map(
    (
      await q.getCollections(
        ctx.db,
        items.map((i) => i.item.collectionId),
      )
    ).map((c) => [c.id, c]),
  );
  return hooks.grantStatus(
    ctx,
    items.map((i) => ({
      itemId: i.item.id,
      userId: v.req.ownerId,
      instanceId: cols.get(i.item.collectionId)?.xnatInstance ?? '',
      projectId: cols.get(i.item.collectionId)?.xnatProjectId ?? '',
    })),
  );
}
