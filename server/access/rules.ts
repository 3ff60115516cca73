/**
 * The access workflow as pure rules: (item state, command, who) → events or a refusal. No database,
 * no clock: verbs load the state, ask here, then apply the events. See docs/access-workflow.md.
 */
import type { ItemStatus, RequestStatus } from '../../schemas/access.js';
import { DUO } from '../../schemas/vocab/duo.js';
import type { Decision } from '../core/errors.js';

/** Who issues a command, relative to the item: its researcher, a data manager of its provider, an admin, or the service. */
export type Role = 'researcher' | 'owner' | 'admin' | 'system';

export type CommandType = 'submit' | 'startReview' | 'approve' | 'reject' | 'return' | 'withdraw' | 'confirmGrant' | 'revoke' | 'expire';

export interface ItemEvent {
  type: `item.${'submitted' | 'review_started' | 'approved' | 'rejected' | 'returned' | 'withdrawn' | 'activated' | 'revoked' | 'expired'}`;
  from: ItemStatus;
  to: ItemStatus;
}

interface Rule {
  from: readonly ItemStatus[];
  to: ItemStatus;
  by: readonly Role[];
  event: ItemEvent['type'];
}

const DECIDERS = ['owner', 'admin'] as const;

/** The transition table: the single source of the workflow. */
export const RULES: Record<CommandType, Rule> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', by: ['researcher'], event: 'item.submitted' },
  startReview: { from: ['submitted'], to: 'under_review', by: DECIDERS, event: 'item.review_started' },
  approve: { from: ['submitted', 'under_review'], to: 'approved', by: DECIDERS, event: 'item.approved' },
  reject: { from: ['submitted', 'under_review'], to: 'rejected', by: DECIDERS, event: 'item.rejected' },
  return: { from: ['submitted', 'under_review'], to: 'returned', by: DECIDERS, event: 'item.returned' },
  withdraw: {
    from: ['draft', 'submitted', 'under_review', 'returned', 'approved', 'active'],
    to: 'withdrawn',
    by: ['researcher', 'admin'],
    event: 'item.withdrawn',
  },
  confirmGrant: { from: ['approved'], to: 'active', by: ['system'], event: 'item.activated' },
  revoke: { from: ['approved', 'active'], to: 'revoked', by: ['owner', 'admin', 'system'], event: 'item.revoked' },
  expire: { from: ['approved', 'active'], to: 'expired', by: ['system'], event: 'item.expired' },
};

export const COMMANDS = Object.keys(RULES) as CommandType[];

/** Items in these states will not move on their own any more (approved waits for the XNAT grant). */
export const CONCLUDED: readonly ItemStatus[] = ['rejected', 'withdrawn', 'active', 'expired', 'revoked'];

/**
 * Decide a command on one item. A decision straight from `submitted` first records that review
 * started, so the history always shows submitted → under_review → outcome.
 */
export function decide(state: ItemStatus, command: CommandType, who: Role): Decision<ItemEvent> {
  const rule = RULES[command];
  if (!rule.by.includes(who)) {
    return { ok: false, code: 'forbidden', detail: `A ${who} may not ${command} an item.` };
  }
  if (!rule.from.includes(state)) {
    return { ok: false, code: 'illegal_transition', detail: `An item that is ${state} cannot be ${pastTense(command)}.` };
  }
  const events: ItemEvent[] = [];
  let from = state;
  if (from === 'submitted' && (command === 'approve' || command === 'reject' || command === 'return')) {
    events.push({ type: 'item.review_started', from, to: 'under_review' });
    from = 'under_review';
  }
  events.push({ type: rule.event, from, to: rule.to });
  return { ok: true, events };
}

/** Fold events into the state they lead to. */
export const apply = (state: ItemStatus, events: readonly ItemEvent[]): ItemStatus => events.reduce((_, e) => e.to, state);

/** The request's status from its items: draft until submitted, concluded once every item is. */
export function requestStatus(items: readonly ItemStatus[]): RequestStatus {
  if (items.every((s) => s === 'draft')) return 'draft'; // no items yet: a draft too
  return items.every((s) => CONCLUDED.includes(s)) ? 'concluded' : 'open';
}

function pastTense(c: CommandType): string {
  const words: Record<CommandType, string> = {
    submit: 'submitted',
    startReview: 'taken into review',
    approve: 'approved',
    reject: 'rejected',
    return: 'returned for changes',
    withdraw: 'withdrawn',
    confirmGrant: 'activated',
    revoke: 'revoked',
    expire: 'expired',
  };
  return words[c];
}

/** The researcher may edit the form while the request is a draft or some item was returned to them. */
export const formEditable = (items: readonly ItemStatus[]) => items.some((s) => s === 'draft' || s === 'returned');

/** Field-level differences between two form versions, for owners re-checking a resubmission. */
export function diffForms(before: unknown, after: unknown, path = ''): { path: string; before: unknown; after: unknown }[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffForms(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return [{ path: path || '(root)', before: before ?? null, after: after ?? null }];
}

// ---------------------------------------------------------------------------------------------
// Policy check: a request's answers against one collection's conditions (DUO, roles, duration,
// commercial use, ethics). Conflicts are shown, not enforced: the owner decides with them in view.

export interface CollectionPolicy {
  collectionId: string;
  /** DUO terms with their parameters, as stored on the collection. */
  dataUse: { code?: string; disease?: string; months?: number }[];
  commercialUse?: boolean;
  allowedRoles?: readonly string[];
  maxDurationMonths?: number;
}

export interface FormFacts {
  purposes: { code: string; disease?: string }[];
  commercialUse?: boolean;
  ethics?: { reference?: string; expiry?: string };
  role?: string;
  durationMonths?: number;
}

export interface Conflict {
  collectionId: string;
  code: string;
  message: string;
}

/**
 * The data-use permissions a collection may carry, each with the requested purposes it admits
 * (DUO's hierarchy: GRU ⊃ HMB ⊃ DS; POA only itself). Other DUO terms are modifiers, checked below.
 */
type Permit = (permission: { code?: string; disease?: string }, purpose: { code: string; disease?: string }) => boolean;
const PERMITS: Readonly<Record<string, Permit>> = {
  [DUO.NRES]: () => true,
  [DUO.GRU]: () => true,
  [DUO.HMB]: (_, purpose) => purpose.code === DUO.HMB || purpose.code === DUO.DS,
  [DUO.DS]: (permission, purpose) =>
    purpose.code === DUO.DS && (!permission.disease || (!!purpose.disease && purpose.disease.startsWith(permission.disease.slice(0, 3)))),
  [DUO.POA]: (_, purpose) => purpose.code === DUO.POA,
};

/** The longest duration the collection allows, if it caps it. */
export function maxDuration(p: CollectionPolicy): number | undefined {
  const ts = p.dataUse.find((d) => d.code === DUO.TS)?.months;
  const caps = [p.maxDurationMonths, ts].filter((n): n is number => typeof n === 'number');
  return caps.length ? Math.min(...caps) : undefined;
}

export const allowedRoles = (p: CollectionPolicy): readonly string[] => p.allowedRoles ?? ['collaborator'];

export function checkPolicy(p: CollectionPolicy, f: FormFacts, today: string): Conflict[] {
  const out: Conflict[] = [];
  const add = (code: string, message: string) => out.push({ collectionId: p.collectionId, code, message });
  const permissions = p.dataUse.filter((d) => d.code && Object.hasOwn(PERMITS, d.code));
  if (permissions.length) {
    for (const purpose of f.purposes) {
      if (!permissions.some((perm) => PERMITS[perm.code!]!(perm, purpose))) {
        add(
          'duo_purpose',
          `The purpose ${purpose.code}${purpose.disease ? ` (${purpose.disease})` : ''} is not covered by the collection's data-use permission.`,
        );
      }
    }
  }
  const nonCommercial =
    p.commercialUse === false || p.dataUse.some((d) => d.code === DUO.NCU || d.code === DUO.NPUNCU || d.code === DUO.NPU);
  if (f.commercialUse && nonCommercial) add('commercial_use', 'The collection may not be used commercially.');
  const needsEthics = p.dataUse.some((d) => d.code === DUO.IRB);
  if (needsEthics && !f.ethics?.reference) add('ethics_required', 'The collection requires an ethics approval.');
  if (f.ethics?.expiry && f.ethics.expiry < today) add('ethics_expired', 'The ethics approval has expired.');
  const role = f.role ?? 'collaborator';
  if (!allowedRoles(p).includes(role)) add('role_not_allowed', `The collection does not grant the XNAT ${role} role.`);
  const cap = maxDuration(p) ?? Infinity;
  if ((f.durationMonths ?? 12) > cap) add('duration_too_long', `The collection grants access for at most ${cap} months.`);
  return out;
}

/** Access end date: `months` after `from` (ISO dates, UTC). */
export function addMonths(from: Date, months: number): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + months, from.getUTCDate()));
  return d.toISOString().slice(0, 10);
}

/** When access granted `until` ends: a date means the end of that day (UTC), a date-time is exact. */
export function accessEnds(until: string): Date {
  return new Date(until.length === 10 ? `${until}T23:59:59.999Z` : until);
}

/** Median of a list of numbers (undefined when empty). */
export function median(xs: readonly number[]): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1]! + s[m]!) / 2;
}
