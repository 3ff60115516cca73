/**
 * Who is asking, and the pure rules of what they may see and do. Visibility mirrors XNAT:
 * public and protected collections are listed for everyone (anonymous too); private ones only
 * for their provider's members and catalogue admins. Drafts are seen by those who may edit them.
 */
export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'user'; id: string; name: string; email?: string; isAdmin: boolean; providerIds: string[] };

export const ANONYMOUS: Actor = { kind: 'anonymous' };

export interface VisibilityFacts {
  providerId: string;
  visibility: string;
  publicationState: string;
}

export const isAdmin = (a: Actor) => a.kind === 'user' && a.isAdmin;

export const isMemberOf = (a: Actor, providerId: string) =>
  a.kind === 'user' && a.providerIds.includes(providerId);

/** May manage the provider's collections (data manager of the provider, or admin). */
export const canEditProvider = (a: Actor, providerId: string) => isAdmin(a) || isMemberOf(a, providerId);

/** May know that this collection exists. */
export function canSeeCollection(a: Actor, c: VisibilityFacts): boolean {
  if (canEditProvider(a, c.providerId)) return true;
  if (c.visibility === 'private') return false;
  return c.publicationState !== 'draft';
}

/**
 * The same rule as a description for queries: `all` for admins, otherwise
 * "not private and not draft, or one of these providers".
 */
export type VisibilityScope = { all: true } | { all: false; providerIds: string[] };

export function visibilityScope(a: Actor): VisibilityScope {
  if (isAdmin(a)) return { all: true };
  return { all: false, providerIds: a.kind === 'user' ? a.providerIds : [] };
}
