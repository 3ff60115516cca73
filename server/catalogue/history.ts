/** Collection histories, read from the audit log: who changed what, and when. */
import type { CollectionRevision } from '../../schemas/history.js';
import { can } from '../policy/index.js';
import { userNames } from '../auth/queries.js';
import { readAudit } from '../core/audit.js';
import type { ServiceContext } from '../core/context.js';
import { forbidden, notFound, unauthenticated } from '../core/errors.js';
import * as q from './queries.js';
import { changedFields } from './rules.js';

type Snapshot = {
  revision?: number;
  publicationState?: string;
  visibility?: string;
  withdrawnReason?: string;
  doc?: Record<string, unknown>;
} | null;

/** Every revision of a collection, newest first: for those who may edit it (404 for those who may not see it). */
export async function collectionRevisions(ctx: ServiceContext, id: string): Promise<{ items: CollectionRevision[] }> {
  const row = await q.getVisibleCollectionRow(ctx.db, id, ctx.actor);
  if (!row) throw notFound('collection');
  if (ctx.actor.kind !== 'user') throw unauthenticated();
  if (!can(ctx.actor, 'history', row)) throw forbidden('Only data managers of this provider or catalogue admins can read the history.');
  const entries = await readAudit(ctx, { entityType: 'collection', entityId: id });
  // An id can be reused after its draft was deleted: the history starts at the latest creation.
  let start = 0;
  entries.forEach((e, i) => {
    if (e.action === 'collection.created') start = i;
  });
  const mine = entries.slice(start);
  const names = await userNames(ctx.db, [...new Set(mine.flatMap((e) => (e.actorId ? [e.actorId] : [])))]);
  return {
    items: mine
      .map((e): CollectionRevision => {
        const before = e.before as Snapshot;
        const after = e.after as Snapshot;
        const state = ['publicationState', 'visibility'].filter((k) => before?.[k as 'visibility'] !== after?.[k as 'visibility']);
        const changes =
          e.action === 'collection.created' ? Object.keys(after?.doc ?? {}).sort() : [...changedFields(before?.doc, after?.doc), ...state];
        const reason = (e.data as { reason?: string } | null)?.reason;
        return {
          seq: e.seq,
          at: e.at,
          actor: { id: e.actorId, ...(e.actorId && names.has(e.actorId) ? { name: names.get(e.actorId) } : {}) },
          action: e.action,
          ...(after?.revision !== undefined ? { revision: after.revision } : {}),
          ...(after?.publicationState ? { publicationState: after.publicationState as CollectionRevision['publicationState'] } : {}),
          changes: [...new Set(changes)],
          ...(reason ? { reason } : {}),
        };
      })
      .reverse(),
  };
}
