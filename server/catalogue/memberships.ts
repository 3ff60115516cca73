/** Provider memberships (data managers and viewers): admins add, change and remove them; each change is audited. */
import type { ProviderRole } from '../../schemas/policy.js';
import { addMember, findUser, removeMember } from '../auth/queries.js';
import { appendAudit } from '../core/audit.js';
import { withTransaction, type ServiceContext } from '../core/context.js';
import { forbidden, notFound, unauthenticated, validationFailed } from '../core/errors.js';
import { canAtProvider } from '../policy/index.js';
import * as q from './queries.js';

function requireMemberManager(ctx: ServiceContext, providerId: string) {
  if (ctx.actor.kind !== 'user') throw unauthenticated();
  if (!canAtProvider(ctx.actor, 'manageMembers', providerId)) throw forbidden('Only catalogue admins manage memberships.');
}

const entityId = (providerId: string, userId: string) => `${providerId}/${userId}`;

export async function addMembership(
  ctx: ServiceContext,
  providerId: string,
  userId: string,
  role: ProviderRole = 'data_manager',
): Promise<void> {
  requireMemberManager(ctx, providerId);
  await withTransaction(ctx, async (tx) => {
    if (!(await q.getProviderRow(tx.db, providerId))) throw notFound('provider');
    if (!(await findUser(tx.db, userId)))
      throw validationFailed([{ path: 'userId', message: 'no such user (users appear after their first sign-in)' }]);
    const added = await addMember(tx.db, providerId, userId, role);
    if (added)
      await appendAudit(tx, {
        action: added.before ? 'membership.changed' : 'membership.added',
        entityType: 'provider_member',
        entityId: entityId(providerId, userId),
        ...(added.before ? { before: { providerId, userId, role: added.before } } : {}),
        after: { providerId, userId, role: added.role },
      });
  });
}

export async function removeMembership(ctx: ServiceContext, providerId: string, userId: string): Promise<void> {
  requireMemberManager(ctx, providerId);
  await withTransaction(ctx, async (tx) => {
    const removed = await removeMember(tx.db, providerId, userId);
    if (removed)
      await appendAudit(tx, {
        action: 'membership.removed',
        entityType: 'provider_member',
        entityId: entityId(providerId, userId),
        before: { providerId, userId, role: removed.role },
      });
  });
}
