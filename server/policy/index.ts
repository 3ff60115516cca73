/**
 * The policy module: who may see and do what, from one definition (./rules.ts) in three forms —
 * a predicate (`can`), a SQL condition for the collection table and a Meilisearch filter — that a
 * generated test proves agree (test/integration/policy-agreement.test.ts).
 */
import type { SQL } from 'drizzle-orm';
import {
  CollectionAction as CollectionActionSchema,
  type CollectionAction,
  type ProviderAction,
  type ProviderRole,
} from '../../schemas/policy.js';
import type { Actor } from '../auth/actor.js';
import { holds, toMeiliFilter, toSql, type Cond, type Facts } from './condition.js';
import { COLLECTION_GRANTS, grantCondition, isAdmin, PROVIDER_GRANTS, type CollectionRule, type ProviderRule } from './rules.js';

export type { Cond, Facts } from './condition.js';
export { quote } from './condition.js';
export { isAdmin } from './rules.js';
export type { CollectionRule, ProviderRule } from './rules.js';

/** The facts about a collection the policy looks at (a collection row has them). */
export type CollectionFacts = Facts;

/** The rule for `action` on collections, as a condition, for this actor. */
export const collectionCondition = (actor: Actor, action: CollectionRule): Cond => grantCondition(actor, COLLECTION_GRANTS[action]);

/** May `actor` do `action` with this collection (by role; the publication state's own rules are the catalogue's)? */
export const can = (actor: Actor, action: CollectionRule, c: CollectionFacts): boolean => holds(collectionCondition(actor, action), c);

/** SQL condition on the `collection` table for the collections `actor` may `action` (default: see); undefined = all. */
export const collectionSql = (actor: Actor, action: CollectionRule = 'view'): SQL | undefined => toSql(collectionCondition(actor, action));

/** Meilisearch filter for the documents `actor` may `action` (default: see); undefined = all. */
export const collectionMeiliFilter = (actor: Actor, action: CollectionRule = 'view'): string | undefined =>
  toMeiliFilter(collectionCondition(actor, action));

const OFFERED: readonly CollectionAction[] = CollectionActionSchema.options;

/** The actions `actor`'s roles allow on this collection (the caller removes those its state forbids). */
export const collectionChangesAllowed = (actor: Actor, c: CollectionFacts): CollectionAction[] => OFFERED.filter((a) => can(actor, a, c));

/** May `actor` do `action` at this provider? */
export function canAtProvider(actor: Actor, action: ProviderRule, providerId: string): boolean {
  // Provider rules look at the provider only: the facts name no collection.
  return holds(grantCondition(actor, PROVIDER_GRANTS[action]), { providerId });
}

export const providerActions = (actor: Actor, providerId: string): ProviderAction[] =>
  (Object.keys(PROVIDER_GRANTS) as ProviderRule[]).filter((a) => canAtProvider(actor, a, providerId));

/** Data managers of the provider (and admins) review access requests for its collections. */
export const canReviewRequestsFor = (actor: Actor, providerId: string) => canAtProvider(actor, 'reviewRequests', providerId);

/** Providers whose collections `actor` may create and change (undefined = every provider: admins). */
export function managedProviders(actor: Actor): string[] | undefined {
  if (isAdmin(actor)) return undefined;
  return actor.kind === 'user' ? actor.memberships.map((m) => m.providerId).filter((p) => canAtProvider(actor, 'createCollection', p)) : [];
}

/** Providers where `actor` may do `rule` through a membership (admins may everywhere: check `isAdmin`). */
export const providersWith = (actor: Actor, rule: ProviderRule): string[] =>
  actor.kind === 'user'
    ? actor.memberships.map((m) => m.providerId).filter((p) => canAtProvider({ ...actor, isAdmin: false }, rule, p))
    : [];

/** The provider roles a provider rule grants to (e.g. who is told about access requests to review). */
export const rolesFor = (rule: ProviderRule): readonly ProviderRole[] => PROVIDER_GRANTS[rule].providerRoles;

/** Account-level actions, for the web's navigation (`GET /api/v1/me`). */
export function accountActions(actor: Actor): ('import' | 'createCollection' | 'reviewRequests' | 'admin')[] {
  if (isAdmin(actor)) return ['import', 'createCollection', 'reviewRequests', 'admin'];
  return [
    ...(managedProviders(actor)!.length ? (['import', 'createCollection'] as const) : []),
    ...(providersWith(actor, 'reviewRequests').length ? (['reviewRequests'] as const) : []),
  ];
}
