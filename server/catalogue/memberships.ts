/** Provider memberships (data managers): admins add and remove them; each change is audited. */
import { addMember, findUser, removeMember } from '../auth/queries.js';
import { appendAudit } from '../core/audit.js';
import { withTransaction, type ServiceContext } from '../core/context.js';
import { notFound, validationFailed } from '../core/errors.js';
import { requireAdmin } from './providers.js';
import * as q from './queries.js';

const entityId = (providerId: string, userId: string) => `${providerId}/${userId}`;

export async function addMembership(ctx: ServiceContext, providerId: string, userId: string): Promise<void> {
  requireAdmin(ctx);
  await withTransaction(ctx, async (tx) => {
    if (!(await q.getProviderRow(tx.db, providerId))) throw notFound('provider');
    if (!(await findUser(tx.db, userId))) throw validationFailed([{ path: 'userId', message: 'no such user (users appear after their first sign-in)' }]);
    const added = await addMember(tx.db, providerId, userId);
    if (added) await appendAudit(tx, { action: 'membership.added', entityType: 'provider_member', entityId: entityId(providerId, userId), after: { providerId, userId, role: added.role } });
  });
}

export async function removeMembership(ctx: ServiceContext, providerId: string, userId: string): Promise<void> {
  requireAdmin(ctx);
  await withTransaction(ctx, async (tx) => {
    const removed = await removeMember(tx.db, providerId, userId);
    if (removed) await appendAudit(tx, { action: 'membership.removed', entityType: 'provider_member', entityId: entityId(providerId, userId), before: { providerId, userId, role: removed.role } });
  });
}
