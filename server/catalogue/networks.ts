/** Networks and projects: public descriptions that admins maintain. */
import { NetworkInput, NetworkPatch, type Network } from '../../schemas/provider.js';
import { appendAudit } from '../core/audit.js';
import { withTransaction, type ServiceContext } from '../core/context.js';
import { conflict, notFound, preconditionFailed, preconditionRequired } from '../core/errors.js';
import { parseOrThrow } from '../core/validation.js';
import { describedUpdated, requireAdmin } from './providers.js';
import * as q from './queries.js';

const toNetwork = (r: q.NetworkRow): Network => ({
  ...(r.doc as Omit<Network, 'createdAt' | 'modifiedAt' | 'revision'>),
  createdAt: r.createdAt.toISOString(),
  modifiedAt: r.modifiedAt.toISOString(),
  revision: r.revision,
});

export async function createNetwork(ctx: ServiceContext, raw: unknown) {
  requireAdmin(ctx);
  const n = parseOrThrow(NetworkInput, raw);
  return withTransaction(ctx, async (tx) => {
    if (await q.getNetworkRow(tx.db, n.id))
      throw conflict(`A network with id "${n.id}" already exists.`, [{ path: 'id', message: 'already exists' }]);
    const now = tx.now();
    const row = await q.insertNetwork(tx.db, { id: n.id, kind: n.kind, name: n.name, doc: n, createdAt: now, modifiedAt: now });
    await appendAudit(tx, {
      action: 'network.created',
      entityType: 'network',
      entityId: n.id,
      after: { revision: row.revision, doc: row.doc },
    });
    return toNetwork(row);
  });
}

export async function getNetwork(ctx: ServiceContext, id: string) {
  const row = await q.getNetworkRow(ctx.db, id);
  if (!row) throw notFound('network');
  return toNetwork(row);
}

export async function listNetworks(ctx: ServiceContext) {
  return { items: (await q.listNetworkRows(ctx.db)).map(toNetwork) };
}

export async function updateNetwork(ctx: ServiceContext, id: string, raw: unknown, ifMatch: number | '*' | undefined) {
  requireAdmin(ctx);
  if (ifMatch === undefined) throw preconditionRequired();
  return withTransaction(ctx, async (tx) => {
    const existing = await q.getNetworkRow(tx.db, id);
    if (!existing) throw notFound('network');
    const n = parseOrThrow(NetworkPatch, raw);
    const row = await q.updateNetworkRow(tx.db, id, ifMatch === '*' ? existing.revision : ifMatch, tx.now(), {
      kind: n.kind,
      name: n.name,
      doc: { ...n, id },
    });
    if (!row) throw preconditionFailed();
    await describedUpdated(tx, 'network', id, await q.collectionIdsOfNetwork(tx.db, id), existing, row);
    return toNetwork(row);
  });
}
