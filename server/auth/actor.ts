/**
 * Who is asking. The rules of what an actor may see and do live in server/policy; this file only
 * says what an actor is.
 */
import type { Membership, ProviderRole } from '../../schemas/policy.js';

export type { Membership, ProviderRole };

export type UserActor = {
  kind: 'user';
  id: string;
  name: string;
  email?: string;
  isAdmin: boolean;
  /** The user's roles at providers (`provider_member`). */
  memberships: readonly Membership[];
};

export type Actor = { kind: 'anonymous' } | UserActor;

export const ANONYMOUS: Actor = { kind: 'anonymous' };

/** A user actor; memberships default to none (e.g. an admin acting from the command line). */
export const userActor = (u: {
  id: string;
  name: string;
  email?: string;
  isAdmin?: boolean;
  memberships?: readonly Membership[];
}): UserActor => ({
  kind: 'user',
  id: u.id,
  name: u.name,
  ...(u.email ? { email: u.email } : {}),
  isAdmin: u.isAdmin ?? false,
  memberships: u.memberships ?? [],
});
