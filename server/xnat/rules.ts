/**
 * Pure rules of the role sync: what to do for one user in one project, given the roles our grants
 * want, what XNAT shows, and what we changed before. The one invariant: never remove or demote a
 * role this service did not grant; such roles are kept and reported.
 */
import type { XnatRole } from './client.js';

export const ROLE_RANK: Record<XnatRole, number> = { collaborator: 1, member: 2, owner: 3 };

export function maxRole(roles: (XnatRole | null | undefined)[]): XnatRole | null {
  let best: XnatRole | null = null;
  for (const r of roles) if (r && (!best || ROLE_RANK[r] > ROLE_RANK[best])) best = r;
  return best;
}

/** `a` gives at least the access of `b`. */
export const covers = (a: XnatRole | null, b: XnatRole) => a !== null && ROLE_RANK[a] >= ROLE_RANK[b];

/** What XNAT shows for the user: nothing, a standard role, or a custom group of the project. */
export type Actual = { groupId: string; role: XnatRole | null } | null;

/** What we changed before: the role they had without us (kept) and the role we set. */
export interface MembershipRecord {
  priorRole: XnatRole | null;
  managedRole: XnatRole | null;
}

/** A change sent (or about to be) whose answer may have been lost. */
export interface Intent {
  from: XnatRole | null;
  to: XnatRole | null;
  /** The record to keep once the change is confirmed. */
  next: MembershipRecord | null;
}

/** The record to plan with: the intent's outcome if XNAT shows that it landed. */
export function resolveRecord(record: MembershipRecord | null, intent: Intent | null, actual: Actual): MembershipRecord | null {
  if (!intent || (actual && actual.role === null)) return record;
  return (actual?.role ?? null) === intent.to ? intent.next : record;
}

export type Action = { kind: 'none' } | { kind: 'put'; role: XnatRole } | { kind: 'delete'; groupId: string };

export interface UserPlan {
  action: Action;
  /** The role the user should hold once the action is done (null = none). */
  target: XnatRole | null;
  /** The record to keep afterwards; null = we manage nothing for this user any more. */
  record: MembershipRecord | null;
  /** XNAT differed from what we set (changed or removed by hand): repaired by `action`. */
  drift?: string;
  /** Left alone and reported (a role or group this service did not grant). */
  report?: string;
}

/**
 * `desired`: the highest role wanted by present grants (null: none). `actual`: from XNAT.
 * `record`: what we changed before (null: never touched this user here).
 */
export function planUser(desired: XnatRole | null, actual: Actual, record: MembershipRecord | null): UserPlan {
  const none: Action = { kind: 'none' };
  // A custom group: a PUT would move the user out of it, a DELETE of a standard group would not
  // apply. Either way a group we did not grant would change: leave it, report it.
  if (actual && actual.role === null) {
    return {
      action: none,
      target: null,
      record: null,
      report: `holds custom group ${actual.groupId}; not changed by this service${desired ? ` (wanted ${desired})` : ''}`,
    };
  }
  const a = actual?.role ?? null;
  let prior: XnatRole | null = record ? record.priorRole : a;
  let drift: string | undefined;
  let report: string | undefined;
  if (record && record.managedRole !== a) {
    if (a && (!record.managedRole || ROLE_RANK[a] > ROLE_RANK[record.managedRole])) {
      // Raised by hand above what we set: that role is not ours. Keep it as the user's own.
      report = `role raised to ${a} outside this service (was ${record.managedRole ?? 'none'}); left alone`;
      prior = maxRole([prior, a]);
    } else {
      drift = `expected ${record.managedRole ?? 'none'}, found ${a ?? 'none'}`;
    }
  }
  if (!record && a && desired && covers(a, desired)) report = `already ${a} in XNAT (not granted by this service)`;
  const target = desired === null ? prior : covers(prior, desired) ? prior : desired;
  const action: Action =
    target === a ? none : target === null ? { kind: 'delete', groupId: actual!.groupId } : { kind: 'put', role: target };
  const keep = target !== prior;
  return { action, target, record: keep ? { priorRole: prior, managedRole: target } : null, drift, report };
}
