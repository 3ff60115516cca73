/** Verbs for XNAT instances (admin) and users' XNAT accounts. Credentials never leave encrypted. */
import type { z } from 'zod';
import type { XnatCredentialsInput, XnatInstanceInput, XnatInstancePatch } from '../../schemas/xnat.js';
import { isAdmin } from '../policy/index.js';
import { appendAudit } from '../core/audit.js';
import { withTransaction, type ServiceContext } from '../core/context.js';
import { DomainError } from '../core/errors.js';
import { XnatClient, XnatError } from './client.js';
import * as q from './queries.js';
import { requeueGrantsOfUser } from './items.js';
import { clientFor, xnatSettings } from './runtime.js';
import { openCredentials, sealCredentials } from './secrets.js';

export function requireAdmin(ctx: ServiceContext): void {
  if (ctx.actor.kind !== 'user') throw new DomainError('unauthenticated', 'Sign in to do this.');
  if (!isAdmin(ctx.actor)) throw new DomainError('forbidden', 'Only catalogue admins manage XNAT instances and sync.');
}

export const publicInstance = (r: q.InstanceRow) => ({
  id: r.id, name: r.name, url: r.url, key: r.key, authKind: r.authKind as 'token' | 'password',
  createdAt: r.createdAt.toISOString(), modifiedAt: r.modifiedAt.toISOString(),
});

export async function listInstances(ctx: ServiceContext) {
  requireAdmin(ctx);
  return { items: (await q.listInstances(ctx.db)).map(publicInstance) };
}

const slug = (s: string) => s.toLowerCase().replace(/^https?:\/\//, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'xnat';
const normUrl = (u: string) => u.replace(/\/+$/, '');

export async function createInstance(ctx: ServiceContext, input: z.output<typeof XnatInstanceInput>) {
  requireAdmin(ctx);
  const id = input.id ?? slug(input.name);
  const key = normUrl(input.key ?? input.url);
  return withTransaction(ctx, async (tx) => {
    if (await q.getInstance(tx.db, id)) throw new DomainError('conflict', `An XNAT instance with id ${id} exists.`, [{ path: 'id', message: 'already used' }]);
    if ((await q.findInstance(tx.db, key))?.key === key) throw new DomainError('conflict', 'Another instance already answers for this key.', [{ path: 'key', message: 'already used' }]);
    const now = tx.now();
    await q.insertInstance(tx.db, { id, name: input.name, url: normUrl(input.url), key, authKind: input.credentials.kind, credentials: seal(input.credentials), createdAt: now, modifiedAt: now });
    await appendAudit(tx, { action: 'xnat.instance.created', entityType: 'xnat_instance', entityId: id, after: { name: input.name, url: input.url, key, authKind: input.credentials.kind } });
    return publicInstance((await q.getInstance(tx.db, id))!);
  });
}

export async function updateInstance(ctx: ServiceContext, id: string, patch: z.output<typeof XnatInstancePatch>) {
  requireAdmin(ctx);
  return withTransaction(ctx, async (tx) => {
    const before = await q.getInstance(tx.db, id);
    if (!before) throw new DomainError('not_found', 'No such XNAT instance.');
    const [row] = await q.updateInstance(tx.db, id, {
      ...(patch.name ? { name: patch.name } : {}),
      ...(patch.url ? { url: normUrl(patch.url) } : {}),
      ...(patch.key ? { key: normUrl(patch.key) } : {}),
      ...(patch.credentials ? { authKind: patch.credentials.kind, credentials: seal(patch.credentials) } : {}),
      modifiedAt: tx.now(),
    });
    await appendAudit(tx, { action: 'xnat.instance.updated', entityType: 'xnat_instance', entityId: id, before: publicInstance(before), after: publicInstance(row!), data: { credentialsChanged: !!patch.credentials } });
    return publicInstance(row!);
  });
}

export async function deleteInstance(ctx: ServiceContext, id: string) {
  requireAdmin(ctx);
  await withTransaction(ctx, async (tx) => {
    if (!(await q.getInstance(tx.db, id))) throw new DomainError('not_found', 'No such XNAT instance.');
    if ((await q.countGrantsOfInstance(tx.db, id)) > 0) throw new DomainError('conflict', 'Grants exist on this instance; revoke them first.');
    await q.deleteInstance(tx.db, id);
    await appendAudit(tx, { action: 'xnat.instance.deleted', entityType: 'xnat_instance', entityId: id });
  });
}

/** Sign in with the stored credentials (`/data/auth`); reports why not without throwing. */
export async function testInstance(ctx: ServiceContext, id: string) {
  requireAdmin(ctx);
  const row = await q.getInstance(ctx.db, id);
  if (!row) throw new DomainError('not_found', 'No such XNAT instance.');
  const started = performance.now();
  const client = new XnatClient({ baseUrl: row.url, credentials: openCredentials(xnatSettings().key, row.credentials), timeoutMs: 5000 });
  try {
    await client.checkLogin();
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (e) {
    const err = e instanceof XnatError ? e : new XnatError('protocol', (e as Error).message);
    return { ok: false, error: err.kind, detail: err.message, ms: Math.round(performance.now() - started) };
  } finally {
    await client.close();
  }
}

// ---- XNAT accounts ----

export async function listAccounts(ctx: ServiceContext, userId: string) {
  if (ctx.actor.kind !== 'user') throw new DomainError('unauthenticated', 'Sign in to do this.');
  if (ctx.actor.id !== userId && !isAdmin(ctx.actor)) throw new DomainError('not_found', 'No such user.');
  return { items: (await q.listAccounts(ctx.db, userId)).map((a) => ({ instanceId: a.instanceId, username: a.username, verifiedAt: a.verifiedAt?.toISOString() ?? null })) };
}

/** Set a user's XNAT username on an instance (the user themself or an admin); it must exist in that XNAT. */
export async function setAccount(ctx: ServiceContext, userId: string, instanceId: string, username: string) {
  if (ctx.actor.kind !== 'user') throw new DomainError('unauthenticated', 'Sign in to do this.');
  if (ctx.actor.id !== userId && !isAdmin(ctx.actor)) throw new DomainError('not_found', 'No such user.');
  const instance = await q.getInstance(ctx.db, instanceId);
  if (!instance) throw new DomainError('not_found', 'No such XNAT instance.');
  let exists: boolean;
  try {
    exists = await clientFor(instance).userExists(username);
  } catch (e) {
    throw new DomainError('service_unavailable', `Could not check the username in XNAT (${e instanceof XnatError ? e.kind : 'error'}); try again later.`);
  }
  if (!exists) throw new DomainError('validation_failed', `XNAT ${instance.name} has no user "${username}".`, [{ path: 'username', message: 'no such user in this XNAT' }]);
  return withTransaction(ctx, async (tx) => {
    const verifiedAt = tx.now();
    await q.upsertAccount(tx.db, { userId, instanceId, username, verifiedAt });
    // Grants that waited for this username (approved while the user had none) are tried again.
    const requeued = await requeueGrantsOfUser(tx, userId, instanceId);
    await appendAudit(tx, { action: 'xnat.account.set', entityType: 'app_user', entityId: userId, data: { instanceId, username, requeued } });
    return { instanceId, username, verifiedAt: verifiedAt.toISOString() };
  });
}

export async function removeAccount(ctx: ServiceContext, userId: string, instanceId: string) {
  if (ctx.actor.kind !== 'user') throw new DomainError('unauthenticated', 'Sign in to do this.');
  if (ctx.actor.id !== userId && !isAdmin(ctx.actor)) throw new DomainError('not_found', 'No such user.');
  await withTransaction(ctx, async (tx) => {
    const [gone] = await q.deleteAccount(tx.db, userId, instanceId);
    if (!gone) throw new DomainError('not_found', 'No XNAT account on this instance.');
    await appendAudit(tx, { action: 'xnat.account.removed', entityType: 'app_user', entityId: userId, data: { instanceId } });
  });
}

const seal = (c: z.output<typeof XnatCredentialsInput>) => sealCredentials(xnatSettings().key, c);
