/**
 * Providers, networks and contacts. Providers and networks are public descriptions; admins create
 * them, a provider's data managers edit their provider and its contacts.
 */
import type { z } from 'zod';
import {
  ContactInput,
  NetworkInput,
  NetworkPatch,
  ProviderInput,
  ProviderPatch,
  type Contact,
  type Network,
  type Provider,
} from '../../schemas/provider.js';
import type { Actor } from '../auth/actor.js';
import { canAtProvider, isAdmin, providerActions } from '../policy/index.js';
import { conflict, forbidden, notFound, preconditionFailed, preconditionRequired, unauthenticated, validationFailed } from '../http/errors.js';
import { issuesToFieldErrors } from '../http/validate.js';
import type { Ctx } from './context.js';
import * as q from './queries.js';

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw validationFailed(issuesToFieldErrors(r.error.issues));
  return r.data;
}

function requireAdmin(ctx: Ctx) {
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
const toNetwork = (r: q.NetworkRow): Network => ({
  ...(r.doc as Omit<Network, 'createdAt' | 'modifiedAt' | 'revision'>),
  createdAt: r.createdAt.toISOString(),
  modifiedAt: r.modifiedAt.toISOString(),
  revision: r.revision,
});
const toContact = (r: q.ContactRow): Contact => ({ ...(r.doc as Omit<Contact, 'revision'>), revision: r.revision });

export async function createProvider(ctx: Ctx, raw: unknown) {
  requireAdmin(ctx);
  const p = parse(ProviderInput, raw);
  await checkNetworks(ctx, p.networkIds);
  return ctx.db.transaction(async (tx) => {
    if (await q.getProviderRow(tx, p.id)) throw conflict(`A provider with id "${p.id}" already exists.`, [{ path: 'id', message: 'already exists' }]);
    const row = await q.insertProvider(tx, { id: p.id, name: p.name, doc: p });
    await q.recordAudit(tx, { actorId: ctx.actor.kind === 'user' ? ctx.actor.id : undefined, action: 'provider.created', entityType: 'provider', entityId: p.id });
    return toProvider(row, ctx.actor);
  });
}

export async function getProvider(ctx: Ctx, id: string) {
  const row = await q.getProviderRow(ctx.db, id);
  if (!row) throw notFound('provider');
  return toProvider(row, ctx.actor);
}

export async function listProviders(ctx: Ctx) {
  return { items: (await q.listProviderRows(ctx.db)).map((r) => toProvider(r, ctx.actor)) };
}

export async function updateProvider(ctx: Ctx, id: string, raw: unknown, ifMatch: number | '*' | undefined) {
  if (ifMatch === undefined) throw preconditionRequired();
  const existing = await q.getProviderRow(ctx.db, id);
  if (!existing) throw notFound('provider');
  if (ctx.actor.kind !== 'user') throw unauthenticated();
  if (!canAtProvider(ctx.actor, 'edit', id)) throw forbidden('Only data managers of this provider or catalogue admins can edit it.');
  const patch = parse(ProviderPatch, raw);
  await checkNetworks(ctx, patch.networkIds);
  return ctx.db.transaction(async (tx) => {
    const row = await q.updateProviderRow(tx, id, ifMatch === '*' ? existing.revision : ifMatch, {
      name: patch.name,
      doc: { ...patch, id },
    });
    if (!row) throw preconditionFailed();
    // Provider names are part of collection search documents: queue its collections.
    await q.enqueueIndexUpdate(tx, await q.collectionIdsOfProvider(tx, id));
    return toProvider(row, ctx.actor);
  });
}

async function checkNetworks(ctx: Ctx, ids: string[]) {
  const found = await q.existingNetworkIds(ctx.db, ids);
  const errors = ids.flatMap((nid, i) => (found.has(nid) ? [] : [{ path: `networkIds[${i}]`, message: 'no such network' }]));
  if (errors.length) throw validationFailed(errors);
}

export async function createNetwork(ctx: Ctx, raw: unknown) {
  requireAdmin(ctx);
  const n = parse(NetworkInput, raw);
  if (await q.getNetworkRow(ctx.db, n.id)) throw conflict(`A network with id "${n.id}" already exists.`, [{ path: 'id', message: 'already exists' }]);
  return toNetwork(await q.insertNetwork(ctx.db, { id: n.id, kind: n.kind, name: n.name, doc: n }));
}

export async function getNetwork(ctx: Ctx, id: string) {
  const row = await q.getNetworkRow(ctx.db, id);
  if (!row) throw notFound('network');
  return toNetwork(row);
}

export async function listNetworks(ctx: Ctx) {
  return { items: (await q.listNetworkRows(ctx.db)).map(toNetwork) };
}

export async function updateNetwork(ctx: Ctx, id: string, raw: unknown, ifMatch: number | '*' | undefined) {
  requireAdmin(ctx);
  if (ifMatch === undefined) throw preconditionRequired();
  const existing = await q.getNetworkRow(ctx.db, id);
  if (!existing) throw notFound('network');
  const n = parse(NetworkPatch, raw);
  return ctx.db.transaction(async (tx) => {
    const row = await q.updateNetworkRow(tx, id, ifMatch === '*' ? existing.revision : ifMatch, {
      kind: n.kind,
      name: n.name,
      doc: { ...n, id },
    });
    if (!row) throw preconditionFailed();
    // Network names are part of collection search documents too.
    await q.enqueueIndexUpdate(tx, await q.collectionIdsOfNetwork(tx, id));
    return toNetwork(row);
  });
}

export async function listContacts(ctx: Ctx, providerId: string) {
  if (!(await q.getProviderRow(ctx.db, providerId))) throw notFound('provider');
  return { items: (await q.listContactRows(ctx.db, providerId)).map(toContact) };
}

/** Create or replace a contact of a provider (data managers of the provider, admins). */
export async function putContact(ctx: Ctx, raw: unknown) {
  const c = parse(ContactInput, raw);
  if (ctx.actor.kind !== 'user') throw unauthenticated();
  if (!(await q.getProviderRow(ctx.db, c.providerId))) throw validationFailed([{ path: 'providerId', message: 'no such provider' }]);
  if (!canAtProvider(ctx.actor, 'edit', c.providerId)) throw forbidden('Only data managers of this provider or catalogue admins can edit its contacts.');
  const existing = await q.getContactRow(ctx.db, c.id);
  if (existing && existing.providerId !== c.providerId) throw conflict('This contact id belongs to another provider.', [{ path: 'id', message: 'taken' }]);
  return toContact(await q.upsertContact(ctx.db, { id: c.id, providerId: c.providerId, doc: c }));
}
