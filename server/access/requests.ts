/** Verbs of the researcher's side: cart, drafts, submit, withdraw, renew. Reading requests is in read.ts. */
import { randomBytes } from 'node:crypto';
import { can } from '../policy/index.js';
import type { ServiceContext } from '../core/context.js';
import { withTransaction } from '../core/context.js';
import { DomainError } from '../core/errors.js';
import { issuesToFieldErrors } from '../http/validate.js';
import { AccessForm, AccessFormDraft, type ItemStatus } from '../../schemas/access.js';
import { findItem, loadRequest, notFound, refreshStatus, requestEvent, requireUser, transition } from './load.js';
import { notify } from './notify.js';
import type { AccessHooks } from './hooks.js';
import * as q from './queries.js';
import { getRequest } from './read.js';
import { checkPolicy, formEditable, type CollectionPolicy, type Conflict } from './rules.js';

const newId = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`;

/** A collection one may ask for: visible, published, and not open access (that links to the data). */
function assertRequestable(ctx: ServiceContext, row: q.CollectionRow | undefined): q.CollectionRow {
  if (!row || !can(ctx.actor, 'view', row)) throw notFound('collection');
  if (row.publicationState !== 'published') throw new DomainError('not_requestable', 'Only published collections can be requested.');
  const rights = (row.doc as { accessRights?: { code?: string } }).accessRights?.code;
  if (rights === 'PUBLIC')
    throw new DomainError('not_requestable', 'This collection is open access: its data can be fetched without a request.');
  return row;
}

export function policyOf(row: q.CollectionRow): CollectionPolicy {
  const doc = row.doc as {
    dataUse?: { term?: { code?: string }; disease?: { code?: string }; months?: number }[];
    commercialUse?: boolean;
    accessPolicy?: { allowedRoles?: string[]; maxDurationMonths?: number };
  };
  return {
    collectionId: row.id,
    dataUse: (doc.dataUse ?? []).map((d) => ({ code: d.term?.code, disease: d.disease?.code, months: d.months })),
    commercialUse: doc.commercialUse,
    allowedRoles: doc.accessPolicy?.allowedRoles,
    maxDurationMonths: doc.accessPolicy?.maxDurationMonths,
  };
}

// --- cart ---

export async function getCart(ctx: ServiceContext) {
  const me = requireUser(ctx);
  const rows = await q.cartRows(ctx.db, me.id);
  return {
    items: rows.map((r) => ({ collectionId: r.collectionId, title: r.title, providerId: r.providerId, addedAt: r.addedAt.toISOString() })),
  };
}

export async function addToCart(ctx: ServiceContext, collectionId: string) {
  const me = requireUser(ctx);
  assertRequestable(ctx, await q.getVisibleCollection(ctx.db, collectionId, ctx.actor));
  await q.addToCart(ctx.db, me.id, collectionId, ctx.now());
  return getCart(ctx);
}

export async function removeFromCart(ctx: ServiceContext, collectionId: string) {
  const me = requireUser(ctx);
  await q.removeFromCart(ctx.db, me.id, [collectionId]);
}

// --- requests ---

export async function createRequest(ctx: ServiceContext, input: { collectionIds?: string[]; form?: unknown; renewalOf?: string }) {
  const me = requireUser(ctx);
  return withTransaction(ctx, async (tx) => {
    const fromCart = input.collectionIds === undefined;
    const ids = [...new Set(input.collectionIds ?? (await q.cartRows(tx.db, me.id)).map((r) => r.collectionId))];
    if (!ids.length) throw new DomainError('cart_empty', 'The cart is empty: add collections, or name them in collectionIds.');
    const rows = new Map((await q.getCollections(tx.db, ids)).map((r) => [r.id, r]));
    const collections = ids.map((id) => assertRequestable(tx, rows.get(id)));
    const id = newId('req');
    const now = tx.now();
    await q.insertRequest(tx.db, {
      id,
      ownerId: me.id,
      status: 'draft',
      renewalOf: input.renewalOf ?? null,
      formVersion: 1,
      createdAt: now,
      modifiedAt: now,
    });
    await q.insertVersion(tx.db, { requestId: id, version: 1, form: input.form ?? {}, savedAt: now });
    await q.insertItems(
      tx.db,
      collections.map((c) => ({ id: newId('item'), requestId: id, collectionId: c.id, providerId: c.providerId, status: 'draft' })),
    );
    if (fromCart) await q.removeFromCart(tx.db, me.id, ids);
    await requestEvent(tx, id, 'request.created', { collectionIds: ids, renewalOf: input.renewalOf });
    return getRequest(tx, id);
  });
}

/** Save the form as typed (autosave). After a return for changes the first save opens a new version. */
export async function saveForm(ctx: ServiceContext, id: string, raw: unknown) {
  const parsed = AccessFormDraft.safeParse(raw);
  if (!parsed.success)
    throw new DomainError('validation_failed', 'The form has fields of the wrong shape.', issuesToFieldErrors(parsed.error.issues));
  return withTransaction(ctx, async (tx) => {
    const v = await loadRequest(tx, id, { lock: true });
    if (v.relation !== 'researcher') throw new DomainError('forbidden', 'Only the researcher who made the request edits its form.');
    if (!formEditable(v.items.map((i) => i.item.status as ItemStatus))) {
      throw new DomainError(
        'illegal_transition',
        'The form is locked while the owners review it; it opens again if they return it for changes.',
      );
    }
    const now = tx.now();
    let version = v.req.formVersion;
    if (!(await q.saveDraftVersion(tx.db, id, version, parsed.data, now))) {
      version += 1;
      await q.insertVersion(tx.db, { requestId: id, version, form: parsed.data, savedAt: now });
      await q.updateRequest(tx.db, id, { formVersion: version, modifiedAt: now });
      await requestEvent(tx, id, 'request.version_opened', { version });
    }
    await requestEvent(tx, id, 'request.form_saved', { version });
    return getRequest(tx, id);
  });
}

/** Policy conflicts of the current answers with each collection (shown before submitting). */
export async function policyCheck(ctx: ServiceContext, id: string): Promise<{ conflicts: Conflict[] }> {
  const v = await loadRequest(ctx, id);
  const versions = await q.getVersions(ctx.db, id);
  const form = (versions.at(-1)?.form ?? {}) as Record<string, unknown>;
  const parsed = AccessForm.safeParse(form);
  const facts = parsed.success ? parsed.data : (AccessFormDraft.safeParse(form).data ?? {});
  return {
    conflicts: await conflictsFor(
      ctx,
      v.visible.map((i) => i.item.collectionId),
      facts as never,
    ),
  };
}

async function conflictsFor(
  ctx: ServiceContext,
  collectionIds: string[],
  form: {
    purposes?: { code: string; disease?: string }[];
    commercialUse?: boolean;
    ethics?: { reference?: string; expiry?: string };
    role?: string;
    durationMonths?: number;
  },
) {
  const rows = await q.getCollections(ctx.db, collectionIds);
  const today = ctx.now().toISOString().slice(0, 10);
  return rows.flatMap((r) => checkPolicy(policyOf(r), { ...form, purposes: form.purposes ?? [] }, today));
}

export async function submitRequest(ctx: ServiceContext, id: string) {
  return withTransaction(ctx, async (tx) => {
    const v = await loadRequest(tx, id, { lock: true });
    if (v.relation !== 'researcher') throw new DomainError('forbidden', 'Only the researcher who made the request submits it.');
    const open = v.items.filter((i) => i.item.status === 'draft' || i.item.status === 'returned');
    if (!open.length) throw new DomainError('illegal_transition', 'Nothing to submit: no item is a draft or returned for changes.');
    const versions = await q.getVersions(tx.db, id);
    const current = versions.at(-1)!;
    const parsed = AccessForm.safeParse(current.form);
    if (!parsed.success)
      throw new DomainError('form_incomplete', 'The form is not complete; see errors.', issuesToFieldErrors(parsed.error.issues));
    const now = tx.now();
    await q.markVersionSubmitted(tx.db, id, current.version, parsed.data, now);
    const conflicts = await conflictsFor(
      tx,
      open.map((i) => i.item.collectionId),
      parsed.data,
    );
    for (const { item } of open) {
      const mine = conflicts.filter((c) => c.collectionId === item.collectionId);
      await transition(
        tx,
        v.req,
        item,
        'submit',
        'researcher',
        { submittedAt: now, conflicts: mine, decidedAt: null },
        { formVersion: current.version, conflicts: mine },
      );
    }
    await q.updateRequest(tx.db, id, { submittedAt: v.req.submittedAt ?? now });
    await refreshStatus(tx, id);
    const resubmitted = versions.filter((x) => x.submittedAt).length > 0;
    for (const providerId of new Set(open.map((i) => i.item.providerId))) {
      const theirs = open.filter((i) => i.item.providerId === providerId);
      const titles = theirs.map((i) => i.collectionTitle);
      const flagged = conflicts.filter((c) => theirs.some((i) => i.item.collectionId === c.collectionId));
      await notify(tx, {
        userIds: await q.managersOf(tx.db, providerId),
        eventClass: 'request',
        requestId: id,
        subject: `[Data owner] ${resubmitted ? 'Resubmitted' : 'New'} access request awaits your decision: ${parsed.data.title}`,
        body: `${ctx.actor.kind === 'user' ? ctx.actor.name : 'A researcher'} ${resubmitted ? 'resubmitted' : 'asks for'} access to ${titles.join(', ')}. You decide for your collections: approve, reject or return for changes.${flagged.length ? `\nThe policy check found ${flagged.length} conflict${flagged.length > 1 ? 's' : ''} with your collections' conditions; they are shown with the request.` : ''}`,
      });
    }
    return { ...(await getRequest(tx, id)), conflicts };
  });
}

export async function withdrawRequest(ctx: ServiceContext, id: string, reason?: string) {
  return withTransaction(ctx, async (tx) => {
    const v = await loadRequest(tx, id, { lock: true });
    if (v.relation === 'owner') throw new DomainError('forbidden', 'Only the researcher withdraws a request.');
    const open = v.items.filter((i) => ['draft', 'submitted', 'under_review', 'returned'].includes(i.item.status));
    if (!open.length) throw new DomainError('illegal_transition', 'Nothing to withdraw: every item is already decided.');
    const who = v.relation === 'researcher' ? 'researcher' : 'admin';
    for (const { item } of open) await transition(tx, v.req, item, 'withdraw', who, {}, { reason });
    await refreshStatus(tx, id);
    const providers = [...new Set(open.filter((i) => i.item.status !== 'draft' && i.item.submittedAt).map((i) => i.item.providerId))];
    for (const p of providers) {
      await notify(tx, {
        userIds: await q.managersOf(tx.db, p),
        eventClass: 'request',
        requestId: id,
        subject: `[Data owner] Access request withdrawn`,
        body: `The researcher withdrew the request ${id}. Nothing is left for you to do.${reason ? `\nReason: ${reason}` : ''}`,
      });
    }
    return getRequest(tx, id);
  });
}

/**
 * The researcher gives up one collection's access: any item not yet concluded, including approved
 * or active ones (whose XNAT role the sync then removes). The request-wide withdraw above leaves
 * decided items alone.
 */
export async function withdrawItem(ctx: ServiceContext, hooks: AccessHooks, id: string, itemId: string, reason?: string) {
  return withTransaction(ctx, async (tx) => {
    const v = await loadRequest(tx, id, { lock: true });
    if (v.relation === 'owner') throw new DomainError('forbidden', 'Only the researcher withdraws a request.');
    findItem(v, itemId);
    const item = (await q.lockItem(tx.db, id, itemId))!;
    const granted = ['approved', 'active'].includes(item.status);
    await transition(tx, v.req, item, 'withdraw', v.relation === 'researcher' ? 'researcher' : 'admin', {}, { reason });
    if (granted) await hooks.requestRevoke(tx, { itemId, reason: 'withdrawn' });
    await refreshStatus(tx, id);
    if (item.submittedAt) {
      await notify(tx, {
        userIds: await q.managersOf(tx.db, item.providerId),
        eventClass: 'request',
        requestId: id,
        subject: '[Data owner] Access request withdrawn',
        body: `The researcher withdrew their request ${id} for collection ${item.collectionId}.${granted ? ' Their XNAT role is being removed.' : ''}${reason ? `\nReason: ${reason}` : ''}`,
      });
    }
    return getRequest(tx, id);
  });
}

/** Renewal: a new draft for the collections granted before, prefilled with the last submitted answers. */
export async function renewRequest(ctx: ServiceContext, id: string) {
  const v = await loadRequest(ctx, id);
  if (v.relation !== 'researcher') throw new DomainError('forbidden', 'Only the researcher renews a request.');
  const granted = v.items.filter((i) => ['approved', 'active', 'expired'].includes(i.item.status)).map((i) => i.item.collectionId);
  if (!granted.length) throw new DomainError('illegal_transition', 'Only a request with granted (or expired) access can be renewed.');
  const versions = await q.getVersions(ctx.db, id);
  const form = [...versions].reverse().find((x) => x.submittedAt)?.form ?? {};
  return createRequest(ctx, { collectionIds: granted, form, renewalOf: id });
}
