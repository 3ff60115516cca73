/**
 * Providers and their contacts. Providers are public descriptions; admins create them, a
 * provider's data managers edit it and its contacts. Every write is one transaction with its audit entry.
 */
import { ContactInput, ProviderInput, ProviderPatch, type Contact, type Provider } from '../../schemas/provider.js';
import type { Actor } from '../auth/actor.js';
import { canAtProvider, isAdmin, providerActions } from '../policy/index.js';
import { appendAudit } from '../core/audit.js';
import { withTransaction, type ServiceContext } from '../core/context.js';
import {
  conflict,
  forbidden,
  notFound,
  preconditionFailed,
  preconditionRequired,
  unauthenticated,
  validationFailed,
} from '../core/errors.js';
import { parseOrThrow } from '../core/validation.js';
import type { DbOrTx } from '../db/client.js';
import * as q from './queries.js';

export function requireAdmin(ctx: ServiceContext) {
  if (ctx.actor.kind !== 'user') throw unauthenticated();
  if (!isAdmin(ctx.actor)) throw forbidden('Only catalogue admins can do this.');
}

const toProvider = (r: q.ProviderRow, actor: Actor): Provider => ({
  ...(r.doc as Omit<Provider, 'createdAt' | 'modifiedAt' | 'revision' | 'actions'>),
  createdAt: r.createdAt.toISOString(),
  modifiedAt: r.modifiedAt.toISOString(),
  revision: r.revision,
  actions: providerActions(actor, r.id),
});
const toContact = (r: q.ContactRow): Contact => ({ ...(r.doc as Omit<Contact, 'revision'>), revision: r.revision });

/** Network ids a provider or collection names must exist (422 per field). */
export async function checkNetworks(db: DbOrTx, ids: string[]) {
  const found = await q.existingNetworkIds(db, ids);
  const errors = ids.flatMap((nid, i) => (found.has(nid) ? [] : [{ path: `networkIds[${i}]`, message: 'no such network' }]));
  if (errors.length) throw validationFailed(errors);
}

/**
 * After a provider or network is updated at the revision read: its name is part of its collections'
 * search documents and records, so they are queued for the index and re-dated; one audit entry.
 */
export async function describedUpdated(
  tx: ServiceContext,
  entityType: 'provider' | 'network',
  id: string,
  collectionIds: string[],
  before: { revision: number; doc: unknown },
  after: { revision: number; doc: unknown },
) {
  await q.enqueueIndexUpdate(tx.db, collectionIds);
  await q.touchExposedCollections(tx.db, collectionIds, tx.now());
  await appendAudit(tx, {
    action: `${entityType}.updated`,
    entityType,
    entityId: id,
    before: { revision: before.revision, doc: before.doc },
    after: { revision: after.revision, doc: after.doc },
  });
}

export async function createProvider(ctx: ServiceContext, raw: unknown) {
  requireAdmin(ctx);
  const p = parseOrThrow(ProviderInput, raw);
  return withTransaction(ctx, async (tx) => {
    await checkNetworks(tx.db, p.networkIds);
    if (await q.getProviderRow(tx.db, p.id))
      throw conflict(`A provider with id "${p.id}" already exists.`, [{ path: 'id', message: 'already exists' }]);
    const now = tx.now();
    const row = await q.insertProvider(tx.db, { id: p.id, name: p.name, doc: p, createdAt: now, modifiedAt: now });
    await appendAudit(tx, {
      action: 'provider.created',
      entityType: 'provider',
      entityId: p.id,
      after: { revision: row.revision, doc: row.doc },
    });
    return toProvider(row, tx.actor);
  });
}

export async function getProvider(ctx: ServiceContext, id: string) {
  const row = await q.getProviderRow(ctx.db, id);
  if (!row) throw notFound('provider');
  return toProvider(row, ctx.actor);
}

export async function listProviders(ctx: ServiceContext) {
  return { items: (await q.listProviderRows(ctx.db)).map((r) => toProvider(r, ctx.actor)) };
}

export async function updateProvider(ctx: ServiceContext, id: string, raw: unknown, ifMatch: number | '*' | undefined) {
  if (ifMatch === undefined) throw preconditionRequired();
  return withTransaction(ctx, async (tx) => {
    const existing = await q.getProviderRow(tx.db, id);
    if (!existing) throw notFound('provider');
    if (tx.actor.kind !== 'user') throw unauthenticated();
    if (!canAtProvider(tx.actor, 'edit', id)) throw forbidden('Only data managers of this provider or catalogue admins can edit it.');
    const patch = parseOrThrow(ProviderPatch, raw);
    await checkNetworks(tx.db, patch.networkIds);
    const row = await q.updateProviderRow(tx.db, id, ifMatch === '*' ? existing.revision : ifMatch, tx.now(), {
      name: patch.name,
      doc: { ...patch, id },
    });
    if (!row) throw preconditionFailed();
    await describedUpdated(tx, 'provider', id, await q.collectionIdsOfProvider(tx.db, id), existing, row);
    return toProvider(row, tx.actor);
  });
}

export async function listContacts(ctx: ServiceContext, providerId: string) {
  if (!(await q.getProviderRow(ctx.db, providerId))) throw notFound('provider');
  return { items: (await q.listContactRows(ctx.db, providerId)).map(toContact) };
}

/**
 * Create or replace a contact of a provider (data managers of the provider, admins). Replacing needs
 * the revision last read (`ifMatch`; 428 without it, 412 when stale) like every versioned resource.
 */
export async function putContact(ctx: ServiceContext, raw: unknown, ifMatch: number | '*' | undefined) {
  const c = parseOrThrow(ContactInput, raw);
  if (ctx.actor.kind !== 'user') throw unauthenticated();
  return withTransaction(ctx, async (tx) => {
    if (!(await q.getProviderRow(tx.db, c.providerId))) throw validationFailed([{ path: 'providerId', message: 'no such provider' }]);
    if (!canAtProvider(tx.actor, 'edit', c.providerId))
      throw forbidden('Only data managers of this provider or catalogue admins can edit its contacts.');
    const existing = await q.getContactRow(tx.db, c.id);
    if (existing && existing.providerId !== c.providerId)
      throw conflict('This contact id belongs to another provider.', [{ path: 'id', message: 'taken' }]);
    if (existing && ifMatch === undefined) throw preconditionRequired();
    const row = existing
      ? await q.updateContactRow(tx.db, c.id, ifMatch === '*' || ifMatch === undefined ? existing.revision : ifMatch, c)
      : await q.insertContact(tx.db, { id: c.id, providerId: c.providerId, doc: c });
    if (!row) throw preconditionFailed();
    await appendAudit(tx, {
      action: existing ? 'contact.updated' : 'contact.created',
      entityType: 'contact',
      entityId: c.id,
      ...(existing ? { before: { revision: existing.revision, doc: existing.doc } } : {}),
      after: { revision: row.revision, doc: row.doc },
    });
    return toContact(row);
  });
}
