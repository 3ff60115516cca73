/** Roles and the actions the API offers a caller on a resource (computed by server/policy). */
import { z } from 'zod';

/** A user's role at a provider (`provider_member.role`). Viewers see everything of the provider; only data managers change it. */
export const ProviderRole = z.enum(['data_manager', 'viewer']);
export type ProviderRole = z.infer<typeof ProviderRole>;

/** What the caller may do with a collection now (role and publication state both allow it); `history`: read its revisions. */
export const CollectionAction = z.enum(['edit', 'publish', 'withdraw', 'delete', 'history']);
export type CollectionAction = z.infer<typeof CollectionAction>;

export const CollectionActions = z
  .array(CollectionAction)
  .describe('The actions you may take on this collection now; clients show controls from this list instead of re-deriving the rules.');

/** What the caller may do at a provider. */
export const ProviderAction = z.enum(['edit', 'createCollection', 'reviewRequests', 'manageMembers']);
export type ProviderAction = z.infer<typeof ProviderAction>;

export const Membership = z.object({ providerId: z.string(), role: ProviderRole });
export type Membership = z.infer<typeof Membership>;
