/**
 * The audit log: one append-only record of every write of every module. Verbs call `appendAudit`
 * with the context of their transaction, so the entry commits or rolls back with the change.
 * (The hash chain, append serialisation and the database trigger refusing UPDATE/DELETE land with
 * the service-core work; callers keep this signature.)
 */
import { auditEvent } from '../db/schema.js';
import type { ServiceContext } from './context.js';

export interface AuditEntry {
  /** `<entity>.<verb>`, e.g. `collection.published`, `request.submitted`, `xnat.grant.confirmed`. */
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  /** Anything else worth keeping (reason, request id of a related entity, …). */
  data?: unknown;
}

export async function appendAudit(ctx: ServiceContext, e: AuditEntry): Promise<void> {
  const data = e.before === undefined && e.after === undefined ? (e.data ?? null) : { before: e.before ?? null, after: e.after ?? null, data: e.data ?? null };
  await ctx.db.insert(auditEvent).values({
    at: ctx.now(),
    actorId: ctx.actor.kind === 'user' ? ctx.actor.id : null,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    data,
  });
}
