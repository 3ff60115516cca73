/**
 * THE definition of who may see and do what. Every check in the server (predicate), every list query
 * (SQL) and every search (Meilisearch filter) is derived from these tables through ./condition.ts.
 *
 * Visibility mirrors XNAT: public and protected collections are listed for everyone (anonymous too);
 * private ones only for their provider's members and catalogue admins. Drafts are seen only by the
 * provider's members (data managers and viewers) and admins; only data managers and admins change them.
 */
import type { ProviderRole } from '../../schemas/policy.js';
import type { Actor } from '../auth/actor.js';
import { and, FALSE, isIn, or, TRUE, type Cond } from './condition.js';

/** Catalogue admins may do everything, on every record; a grant says who else may. */
interface Grant {
  /** Members of the record's provider with one of these roles may, whatever its state. */
  providerRoles: readonly ProviderRole[];
  /** Anyone (anonymous included) may, on records in these states. */
  everyone?: { visibility: readonly string[]; publicationState: readonly string[] };
}

const MEMBERS: readonly ProviderRole[] = ['data_manager', 'viewer'];
const MANAGERS: readonly ProviderRole[] = ['data_manager'];
const LISTED = ['public', 'protected'];

/** Actions on one collection. `view`: know it exists (a tombstone when withdrawn); `read`: its full record. */
export const COLLECTION_GRANTS = {
  view: { providerRoles: MEMBERS, everyone: { visibility: LISTED, publicationState: ['published', 'withdrawn'] } },
  read: { providerRoles: MEMBERS, everyone: { visibility: LISTED, publicationState: ['published'] } },
  edit: { providerRoles: MANAGERS },
  publish: { providerRoles: MANAGERS },
  withdraw: { providerRoles: MANAGERS },
  delete: { providerRoles: MANAGERS },
  /** Its revision history (who changed what): for those who may change it. */
  history: { providerRoles: MANAGERS },
} as const satisfies Record<string, Grant>;

export type CollectionRule = keyof typeof COLLECTION_GRANTS;

/** Actions at a provider (its description, its collections, its access requests, its members). */
export const PROVIDER_GRANTS = {
  edit: { providerRoles: MANAGERS },
  createCollection: { providerRoles: MANAGERS },
  /** Review access requests for the provider's collections (the access workflow). */
  reviewRequests: { providerRoles: MANAGERS },
  manageMembers: { providerRoles: [] },
} as const satisfies Record<string, Grant>;

export type ProviderRule = keyof typeof PROVIDER_GRANTS;

export const isAdmin = (actor: Actor): boolean => actor.kind === 'user' && actor.isAdmin;

/** The grant as a condition on (providerId, visibility, publicationState), for this actor. */
export function grantCondition(actor: Actor, g: Grant): Cond {
  if (isAdmin(actor)) return TRUE;
  const own = actor.kind === 'user' ? actor.memberships.filter((m) => g.providerRoles.includes(m.role)).map((m) => m.providerId) : [];
  return or(
    isIn('providerId', own),
    g.everyone ? and(isIn('visibility', g.everyone.visibility), isIn('publicationState', g.everyone.publicationState)) : FALSE,
  );
}
