/**
 * Converge one XNAT project towards the desired grants. One worker at a time per project (a lease
 * row), so several workers never double-apply; every change is decided from XNAT's current list,
 * so a retry after a lost answer finds the change done and does not repeat it. Every change is
 * read back before a grant counts as confirmed. Outcomes are written in one transaction together
 * with the listeners' changes (the access items).
 */
import { randomUUID } from 'node:crypto';
import { withTransaction, type ServiceContext } from '../core/context.js';
import { appendAudit } from '../core/audit.js';
import { xnatApprovalToRole, xnatDrift, xnatFailures, xnatGrants, xnatReports, xnatRevokes } from '../metrics/index.js';
import { XnatError, type ProjectMember, type XnatClient, type XnatRole } from './client.js';
import { emitGrantState, type GrantState } from './events.js';
import * as q from './queries.js';
import { covers, maxRole, planUser, resolveRecord, type Intent, type MembershipRecord, type UserPlan } from './rules.js';
import { clientFor, xnatSettings } from './runtime.js';

export interface SyncOptions {
  /** Check every user of the project (ours and theirs) rather than only unsettled grants. */
  reconcile?: boolean;
  /** Also look at these grants even if they look settled. */
  grantIds?: string[];
  /** The job will not be retried: failures become final (state `failed`). */
  finalAttempt?: boolean;
}

export interface SyncOutcome {
  changed: number;
  drift: string[];
  reports: { username: string; note: string }[];
}

interface UserResult {
  username: string;
  plan?: UserPlan;
  /** The role XNAT shows after we are done. */
  finalRole: XnatRole | null;
  error?: XnatError;
}

const processId = randomUUID().slice(0, 8);

export class ProjectBusy extends Error {
  constructor(project: string) {
    super(`another worker is syncing ${project}; retry later`);
  }
}

export async function syncProject(
  ctx: ServiceContext,
  instanceId: string,
  projectId: string,
  opts: SyncOptions = {},
): Promise<SyncOutcome> {
  const s = xnatSettings();
  const owner = `${processId}:${randomUUID().slice(0, 8)}`;
  const deadline = Date.now() + s.leaseWaitMs;
  while (!(await q.acquireLease(ctx.db, instanceId, projectId, owner, ctx.now(), s.leaseTtlMs))) {
    if (Date.now() > deadline) throw new ProjectBusy(projectId);
    await new Promise((r) => setTimeout(r, 25 + Math.random() * 75));
  }
  try {
    // A long project keeps its lease while it works; a crashed worker's lease simply expires.
    const renew = () => q.acquireLease(ctx.db, instanceId, projectId, owner, ctx.now(), s.leaseTtlMs);
    return await converge(ctx, instanceId, projectId, opts, renew);
  } finally {
    await q.releaseLease(ctx.db, instanceId, projectId, owner);
  }
}

async function converge(
  ctx: ServiceContext,
  instanceId: string,
  projectId: string,
  opts: SyncOptions,
  renew: () => Promise<boolean>,
): Promise<SyncOutcome> {
  const instance = await q.getInstance(ctx.db, instanceId);
  if (!instance) throw new XnatError('not_found', `no XNAT instance ${instanceId}`);
  let rows = await q.grantsOfProject(ctx.db, instanceId, projectId);

  // Expired but still wanted (the expiry job was late or lost): end them now.
  const now = ctx.now();
  for (const r of rows) {
    if (r.desired === 'present' && r.until && r.until <= now)
      await q.updateGrant(ctx.db, r.id, { desired: 'absent', endReason: 'expired', modifiedAt: now });
  }
  // Usernames come from the user's XNAT account on this instance.
  const noAccount: q.GrantRow[] = [];
  for (const r of rows) {
    if (r.username) continue;
    const acc = await q.getAccount(ctx.db, r.userId, instanceId);
    if (acc) await q.updateGrant(ctx.db, r.id, { username: acc.username });
    else if (r.desired === 'present') noAccount.push(r);
  }
  rows = await q.grantsOfProject(ctx.db, instanceId, projectId);
  const records = await q.membershipsOfProject(ctx.db, instanceId, projectId);

  const desiredOf = new Map<string, XnatRole | null>();
  for (const r of rows) {
    if (!r.username) continue;
    desiredOf.set(r.username, maxRole([desiredOf.get(r.username) ?? null, r.desired === 'present' ? (r.role as XnatRole) : null]));
  }
  const wanted = new Set(opts.grantIds ?? []);
  const scope = new Set<string>();
  for (const r of rows) {
    if (!r.username) continue;
    const settled = r.applied === (r.desired === 'present' ? 'present' : 'absent') && !r.lastError;
    if (opts.reconcile || !settled || wanted.has(r.id)) scope.add(r.username);
  }
  if (opts.reconcile) for (const u of records.keys()) scope.add(u);

  const results: UserResult[] = [];
  let fatal: XnatError | undefined;
  let members: ProjectMember[] = [];
  const reports: { username: string; note: string }[] = [];
  if (scope.size > 0) {
    const client = clientFor(instance);
    try {
      members = await client.projectMembers(projectId);
      for (const username of scope) {
        if (!(await renew())) throw new ProjectBusy(projectId); // the lease expired and another worker took over
        const m = records.get(username);
        const res = await convergeUser(
          client,
          projectId,
          username,
          desiredOf.get(username) ?? null,
          members,
          m?.record ?? null,
          m?.intent ?? null,
          (intent) => q.saveIntent(ctx.db, instanceId, projectId, username, intent, ctx.now()),
        );
        results.push(res);
        members = res.members;
        if (res.error?.retryable) {
          fatal = res.error;
          break;
        }
      }
      if (opts.reconcile) {
        const known = new Set([...rows.map((r) => r.username), ...records.keys()]);
        for (const m of members)
          if (!known.has(m.login))
            reports.push({ username: m.login, note: `${m.role ?? m.groupId} not granted by this service; left alone` });
      }
    } catch (e) {
      if (e instanceof ProjectBusy) throw e;
      fatal = e instanceof XnatError ? e : new XnatError('protocol', (e as Error).message);
    }
    // A missing project or a refused account fails every grant in scope and will not heal by
    // retrying soon; neither does anything on the job's last attempt.
    if (fatal && (!fatal.retryable || opts.finalAttempt)) {
      for (const u of scope) if (!results.some((r) => r.username === u)) results.push({ username: u, finalRole: null, error: fatal });
    }
  }
  for (const r of results) if (r.plan?.report) reports.push({ username: r.username, note: r.plan.report });
  const drift = results.filter((r) => r.plan?.drift && !r.error).map((r) => `${r.username}: ${r.plan!.drift}`);

  await withTransaction(ctx, async (tx) => {
    const at = tx.now();
    for (const r of noAccount) await settle(tx, r, 'failed', `no XNAT username on ${instance.name} for this user`, opts);
    for (const res of results) {
      if (res.plan && !res.error) await q.saveMembership(tx.db, instanceId, projectId, res.username, res.plan.record, at);
      for (const row of rows.filter((g) => g.username === res.username)) {
        if (res.error) {
          // A settled grant (e.g. an earlier, finished revoke of the same user) is not failed by today's error.
          if (row.applied === (row.desired === 'present' ? 'present' : 'absent') && !row.lastError) continue;
          const final = !res.error.retryable || opts.finalAttempt;
          await settle(tx, row, final ? 'failed' : 'retry', res.error.message, opts);
        } else if (row.desired === 'present') {
          await settle(
            tx,
            row,
            covers(res.finalRole, row.role as XnatRole) ? 'present' : 'failed',
            covers(res.finalRole, row.role as XnatRole) ? undefined : `XNAT shows ${res.finalRole ?? 'no role'} after the change`,
            opts,
            res.plan?.report,
          );
        } else {
          await settle(tx, row, 'absent', undefined, opts, res.plan?.report);
        }
      }
      if (res.plan?.drift && !res.error) {
        xnatDrift.inc();
        await appendAudit(tx, {
          action: 'xnat.drift.repaired',
          entityType: 'xnat_project',
          entityId: `${instanceId}/${projectId}`,
          data: { username: res.username, drift: res.plan.drift },
        });
      }
    }
    if (reports.length) xnatReports.inc(reports.length);
    const sync = (await q.projectSyncRows(tx.db, instanceId, [projectId]))[0];
    await q.updateProjectSync(tx.db, instanceId, projectId, {
      lastSyncAt: at,
      ...(opts.reconcile
        ? { lastReconcileAt: at, reports }
        : { reports: mergeReports((sync?.reports ?? []) as typeof reports, reports, scope) }),
      lastError: fatal ? fatal.message : (results.find((r) => r.error)?.error?.message ?? null),
      driftFound: (sync?.driftFound ?? 0) + drift.length,
      driftRepaired: (sync?.driftRepaired ?? 0) + drift.length,
    });
  });
  if (fatal) {
    xnatFailures.inc({ kind: fatal.kind });
    if (fatal.retryable) throw fatal;
  }
  return { changed: results.filter((r) => r.plan && r.plan.action.kind !== 'none' && !r.error).length, drift, reports };
}

/** Plan, check, apply and read back for one user. */
async function convergeUser(
  client: XnatClient,
  projectId: string,
  username: string,
  desired: XnatRole | null,
  members: ProjectMember[],
  stored: MembershipRecord | null,
  intent: Intent | null,
  writeAhead: (i: Intent) => Promise<unknown>,
): Promise<UserResult & { members: ProjectMember[] }> {
  const mine = members.find((m) => m.login === username) ?? null;
  const actual = mine ? { groupId: mine.groupId, role: mine.role } : null;
  const plan = planUser(desired, actual, resolveRecord(stored, intent, actual));
  if (plan.action.kind === 'none') return { username, plan, finalRole: mine?.role ?? null, members };
  try {
    await writeAhead({ from: mine?.role ?? null, to: plan.target, next: plan.record });
    if (plan.action.kind === 'put') {
      // XNAT answers 200 for an unknown username and e-mails an invitation: check first.
      if (!mine && !(await client.userExists(username))) {
        return { username, finalRole: null, error: new XnatError('rejected', `XNAT has no user "${username}"`), members };
      }
      await client.setRole(projectId, username, plan.action.role);
    } else {
      await client.removeFromGroup(projectId, username, plan.action.groupId);
    }
    const after = await client.projectMembers(projectId);
    const now = after.find((m) => m.login === username)?.role ?? null;
    if (now !== plan.target) {
      return {
        username,
        plan,
        finalRole: now,
        members: after,
        error: new XnatError('protocol', `read-back shows ${now ?? 'no role'} for ${username}, expected ${plan.target ?? 'none'}`),
      };
    }
    return { username, plan, finalRole: now, members: after };
  } catch (e) {
    const err = e instanceof XnatError ? e : new XnatError('protocol', (e as Error).message);
    return { username, plan, finalRole: mine?.role ?? null, error: err, members };
  }
}

type Outcome = 'present' | 'absent' | 'failed' | 'retry';

/** Record a grant row's outcome and tell the listeners when its state changes. */
async function settle(
  ctx: ServiceContext,
  row: q.GrantRow,
  outcome: Outcome,
  error: string | undefined,
  opts: SyncOptions,
  note?: string,
): Promise<void> {
  const at = ctx.now();
  if (outcome === 'retry') {
    await q.updateGrant(ctx.db, row.id, { lastError: error ?? null, attempts: row.attempts + 1, modifiedAt: at });
    return;
  }
  const changed = row.applied !== outcome;
  await q.updateGrant(ctx.db, row.id, {
    applied: outcome,
    lastError: outcome === 'failed' ? (error ?? 'failed') : null,
    note: note ?? (outcome === 'failed' ? row.note : null),
    attempts: row.attempts + 1,
    ...(outcome === 'present' && changed ? { confirmedAt: at } : {}),
    modifiedAt: at,
  });
  if (!changed) return;
  let state: GrantState;
  if (outcome === 'present') {
    state = 'active';
    xnatGrants.inc();
    xnatApprovalToRole.observe((at.getTime() - row.createdAt.getTime()) / 1000);
  } else if (outcome === 'absent') {
    state = row.endReason === 'expired' ? 'expired' : 'revoked';
    xnatRevokes.inc({ reason: row.endReason ?? 'revoked' });
  } else {
    state = 'failed';
  }
  await appendAudit(ctx, {
    action: `xnat.grant.${state}`,
    entityType: 'xnat_grant',
    entityId: row.id,
    data: {
      itemId: row.sourceId,
      username: row.username,
      role: row.role,
      projectId: row.projectId,
      error,
      note,
      finalAttempt: opts.finalAttempt,
    },
  });
  await emitGrantState(ctx, { itemId: row.sourceId, state, at, reason: state === 'failed' ? error : (row.endReason ?? undefined), note });
}

/** Outside a reconcile, keep the reports of users we did not look at. */
function mergeReports<T extends { username: string }>(old: T[], fresh: T[], scope: Set<string>): T[] {
  return [...old.filter((r) => !scope.has(r.username)), ...fresh];
}
