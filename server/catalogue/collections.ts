/**
 * Collection verbs. Each write runs in one transaction (`withTransaction`) that also queues the
 * search-index update, moves the record datestamp when outsiders would see a difference, and
 * appends to the audit log. Reads apply the visibility rule; what the actor may not see is a 404.
 * Import, seed and every other writer call these verbs, so each rule holds on every path.
 */
import {
  type Collection,
  CollectionInput,
  type CollectionTombstone,
  type CollectionFields,
  type CollectionListQuery,
  type CollectionSummary,
  type PublicationState,
} from '../../schemas/collection.js';
import type { FieldError } from '../../schemas/common.js';
import type { Actor } from '../auth/actor.js';
import { can, canAtProvider, collectionChangesAllowed } from '../policy/index.js';
import { appendAudit } from '../core/audit.js';
import { withTransaction, type ServiceContext } from '../core/context.js';
import {
  badRequest,
  conflict,
  DomainError,
  forbidden,
  type Decision,
  notFound,
  preconditionFailed,
  preconditionRequired,
  unauthenticated,
  validationFailed,
} from '../core/errors.js';
import { issuesToFieldErrors } from '../core/validation.js';
import { filterCodes } from '../../schemas/vocab/filter-values.js';
import type { DbOrTx } from '../db/client.js';
import { deriveFacets } from './derive.js';
import * as q from './queries.js';
import { type CollectionAction, collectionIdFor, datestampsFor, decodeCursor, encodeCursor, idNamespaceProblem } from './rules.js';
import { decide, type CollectionCommand, type CollectionEvent } from './lifecycle.js';

/** A refused decision becomes the domain error its code names. */
function orRefuse(d: Decision<CollectionEvent>): CollectionEvent[] {
  if (!d.ok) throw new DomainError(d.code, d.detail, d.errors);
  return d.events;
}

/** What `actor` may do with the collection now: their roles allow it and its publication state does. */
export const actionsFor = (actor: Actor, row: q.CollectionRow) =>
  collectionChangesAllowed(actor, row).filter(
    (a) => a === 'history' || decide(row.publicationState as PublicationState, { type: a } as CollectionCommand).ok,
  );

export function toCollection(row: q.CollectionRow, actor: Actor): Collection {
  return {
    ...(row.doc as CollectionFields),
    id: row.id,
    publicationState: row.publicationState as Collection['publicationState'],
    derived: row.derived as Collection['derived'],
    createdAt: row.createdAt.toISOString(),
    modifiedAt: row.modifiedAt.toISOString(),
    ...(row.publishedAt ? { publishedAt: row.publishedAt.toISOString() } : {}),
    ...(row.withdrawnAt ? { withdrawnAt: row.withdrawnAt.toISOString() } : {}),
    ...(row.withdrawnReason ? { withdrawnReason: row.withdrawnReason } : {}),
    revision: row.revision,
    actions: actionsFor(actor, row),
  };
}

export function toSummary(row: q.CollectionRow, actor: Actor): CollectionSummary {
  const d = row.doc as CollectionFields;
  return {
    id: row.id,
    title: row.title,
    ...(d.acronym ? { acronym: d.acronym } : {}),
    providerId: row.providerId,
    publicationState: row.publicationState as CollectionSummary['publicationState'],
    visibility: row.visibility as CollectionSummary['visibility'],
    modalities: d.modalities,
    bodyParts: d.bodyParts,
    conditions: d.conditions,
    ...(d.subjectsCount !== undefined ? { subjectsCount: d.subjectsCount } : {}),
    ...(d.accessRights ? { accessRights: d.accessRights } : {}),
    modifiedAt: row.modifiedAt.toISOString(),
    actions: actionsFor(actor, row),
  };
}

/** Parse a collection document; zod issues become field errors (422). */
export function parseCollectionInput(raw: unknown): { ok: true; fields: CollectionFields } | { ok: false; errors: FieldError[] } {
  const parsed = CollectionInput.safeParse(raw);
  return parsed.success ? { ok: true, fields: parsed.data } : { ok: false, errors: issuesToFieldErrors(parsed.error.issues) };
}

/** Checks against other records: provider, networks, contacts, parent. Field errors, never existence leaks. */
export async function referenceProblems(db: DbOrTx, ctx: Pick<ServiceContext, 'actor'>, f: CollectionFields): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const provider = await q.getProviderRow(db, f.providerId);
  if (!provider) errors.push({ path: 'providerId', message: 'no such provider', code: 'unknown_reference' });
  const networks = await q.existingNetworkIds(db, f.networkIds);
  f.networkIds.forEach((id, i) => {
    if (!networks.has(id)) errors.push({ path: `networkIds[${i}]`, message: 'no such network', code: 'unknown_reference' });
  });
  const contacts = await q.contactsOfProvider(
    db,
    f.providerId,
    f.contacts.map((c) => c.contactId),
  );
  f.contacts.forEach((c, i) => {
    if (!contacts.has(c.contactId))
      errors.push({ path: `contacts[${i}].contactId`, message: 'no such contact at this provider', code: 'unknown_reference' });
  });
  if (f.parentCollectionId) {
    const parent = await q.getCollectionRow(db, f.parentCollectionId);
    if (!parent || !can(ctx.actor, 'view', parent))
      errors.push({ path: 'parentCollectionId', message: 'no such collection', code: 'unknown_reference' });
  }
  return errors;
}

/** May the actor create (and import) collections of this provider? */
export function requireEditor(ctx: ServiceContext, providerId: string) {
  if (ctx.actor.kind !== 'user') throw unauthenticated();
  if (!canAtProvider(ctx.actor, 'createCollection', providerId))
    throw forbidden('Only data managers of this provider or catalogue admins can change its collections.', [
      { path: 'providerId', message: 'you do not manage this provider', code: 'forbidden' },
    ]);
}

/**
 * Load a collection for a state-changing action: 404 unless the actor may see it, 401/403 unless they
 * may edit it, 409 when its publication state does not allow the action.
 */
export async function loadForAction(ctx: ServiceContext, id: string, action: CollectionAction): Promise<q.CollectionRow> {
  const existing = await q.getVisibleCollectionRow(ctx.db, id, ctx.actor);
  if (!existing) throw notFound('collection');
  if (ctx.actor.kind !== 'user') throw unauthenticated();
  if (!can(ctx.actor, action, existing))
    throw forbidden('Only data managers of this provider or catalogue admins can change its collections.');
  orRefuse(decide(existing.publicationState as PublicationState, { type: action } as CollectionCommand));
  return existing;
}

/** The columns of a collection row, derived from its validated fields. */
export function rowFields(f: CollectionFields) {
  return {
    providerId: f.providerId,
    xnatInstance: f.xnat.instance,
    xnatProjectId: f.xnat.projectId,
    visibility: f.xnat.visibility,
    title: f.title,
    doc: { ...f },
    derived: deriveFacets(f),
  };
}

/** What the audit log keeps of a collection version: enough to tell who changed what. */
export const auditSnapshot = (r: q.CollectionRow) => ({
  revision: r.revision,
  publicationState: r.publicationState,
  visibility: r.visibility,
  ...(r.withdrawnReason ? { withdrawnReason: r.withdrawnReason } : {}),
  doc: r.doc,
});

export async function createCollection(ctx: ServiceContext, raw: unknown, opts: { publish?: boolean } = {}) {
  const parsed = parseCollectionInput(raw);
  if (!parsed.ok) throw validationFailed(parsed.errors);
  const f = parsed.fields;
  requireEditor(ctx, f.providerId);
  const id = f.id ?? collectionIdFor(f.providerId, f.xnat.projectId);
  const ns = idNamespaceProblem(id, f.providerId);
  if (ns) throw validationFailed([ns]);
  orRefuse(decide(undefined, { type: 'create', fields: f, publish: !!opts.publish }));
  return withTransaction(ctx, async (tx) => {
    const refs = await referenceProblems(tx.db, tx, f);
    if (refs.length) throw validationFailed(refs);
    if (await q.getCollectionRow(tx.db, id))
      throw conflict(`A collection with id "${id}" already exists.`, [{ path: 'id', message: 'already exists' }]);
    if (await q.findCollectionByXnat(tx.db, f.providerId, f.xnat.instance, f.xnat.projectId))
      throw conflict('This provider already catalogues that XNAT project.', [
        { path: 'xnat.projectId', message: 'already catalogued by this provider' },
      ]);
    const now = tx.now();
    const fields = rowFields({ ...f, id });
    const publicationState = opts.publish ? 'published' : 'draft';
    const row = await q.insertCollection(tx.db, {
      id,
      ...fields,
      publicationState,
      publishedAt: opts.publish ? now : null,
      createdAt: now,
      modifiedAt: now,
      recordDatestamp: now,
      ...datestampsFor(undefined, { ...fields, publicationState }, now),
    });
    await q.enqueueIndexUpdate(tx.db, [id]);
    await appendAudit(tx, { action: 'collection.created', entityType: 'collection', entityId: id, after: auditSnapshot(row) });
    return toCollection(row, tx.actor);
  });
}

/** Read one collection; tombstones for withdrawn ones are returned whole to editors, trimmed to others. */
export async function getCollection(ctx: ServiceContext, id: string): Promise<Collection | CollectionTombstone> {
  const row = await q.getVisibleCollectionRow(ctx.db, id, ctx.actor);
  if (!row) throw notFound('collection');
  if (!can(ctx.actor, 'read', row)) {
    const d = row.doc as CollectionFields;
    return {
      id: row.id,
      title: row.title,
      providerId: row.providerId,
      publicationState: 'withdrawn',
      withdrawnAt: (row.withdrawnAt ?? row.modifiedAt).toISOString(),
      ...(row.withdrawnReason ? { withdrawnReason: row.withdrawnReason } : {}),
      ...(d.pid ? { pid: d.pid } : {}),
      actions: actionsFor(ctx.actor, row),
    };
  }
  return toCollection(row, ctx.actor);
}

export async function updateCollection(ctx: ServiceContext, id: string, raw: unknown, ifMatch: number | '*' | undefined) {
  if (ifMatch === undefined) throw preconditionRequired();
  return withTransaction(ctx, async (tx) => {
    const existing = await loadForAction(tx, id, 'edit');
    const parsed = parseCollectionInput(raw);
    if (!parsed.ok) throw validationFailed(parsed.errors);
    const f = parsed.fields;
    if (f.id !== undefined && f.id !== id) throw validationFailed([{ path: 'id', message: 'the id cannot change' }]);
    if (f.providerId !== existing.providerId)
      throw validationFailed([{ path: 'providerId', message: 'a collection cannot move to another provider' }]);
    orRefuse(decide(existing.publicationState as PublicationState, { type: 'edit', fields: f }));
    const refs = await referenceProblems(tx.db, tx, f);
    if (refs.length) throw validationFailed(refs);
    const clash = await q.findCollectionByXnat(tx.db, f.providerId, f.xnat.instance, f.xnat.projectId);
    if (clash && clash.id !== id)
      throw conflict('This provider already catalogues that XNAT project.', [
        { path: 'xnat.projectId', message: 'already catalogued by this provider' },
      ]);
    const expected = ifMatch === '*' ? existing.revision : ifMatch;
    const fields = rowFields({ ...f, id });
    const now = tx.now();
    const row = await q.updateCollectionRow(tx.db, id, expected, now, {
      ...fields,
      ...datestampsFor(existing, { ...existing, ...fields }, now),
    });
    if (!row) throw preconditionFailed();
    await q.enqueueIndexUpdate(tx.db, [id]);
    await appendAudit(tx, {
      action: 'collection.updated',
      entityType: 'collection',
      entityId: id,
      before: auditSnapshot(existing),
      after: auditSnapshot(row),
    });
    return toCollection(row, tx.actor);
  });
}

export async function publishCollection(ctx: ServiceContext, id: string) {
  return withTransaction(ctx, async (tx) => {
    const existing = await loadForAction(tx, id, 'publish');
    orRefuse(decide(existing.publicationState as PublicationState, { type: 'publish', fields: existing.doc as CollectionFields }));
    const now = tx.now();
    return setState(
      tx,
      existing,
      now,
      { publicationState: 'published', publishedAt: now, withdrawnAt: null, withdrawnReason: null },
      'collection.published',
    );
  });
}

export async function withdrawCollection(ctx: ServiceContext, id: string, reason: string) {
  return withTransaction(ctx, async (tx) => {
    const existing = await loadForAction(tx, id, 'withdraw');
    const now = tx.now();
    return setState(
      tx,
      existing,
      now,
      { publicationState: 'withdrawn', withdrawnAt: now, withdrawnReason: reason },
      'collection.withdrawn',
      { reason },
    );
  });
}

export async function deleteCollection(ctx: ServiceContext, id: string) {
  await withTransaction(ctx, async (tx) => {
    const existing = await loadForAction(tx, id, 'delete');
    await q.deleteCollectionRow(tx.db, id);
    await q.enqueueIndexUpdate(tx.db, [id]);
    await appendAudit(tx, { action: 'collection.deleted', entityType: 'collection', entityId: id, before: auditSnapshot(existing) });
  });
}

/** `now` is the one time of the change: `modifiedAt` and the state's own timestamp must be equal. */
async function setState(
  tx: ServiceContext,
  existing: q.CollectionRow,
  now: Date,
  set: Partial<q.CollectionInsert>,
  action: string,
  data?: unknown,
) {
  const row = await q.updateCollectionRow(tx.db, existing.id, existing.revision, now, {
    ...set,
    ...datestampsFor(existing, { ...existing, ...set } as q.CollectionRow, now),
  });
  if (!row) throw preconditionFailed('The collection changed meanwhile; reload and retry.');
  await q.enqueueIndexUpdate(tx.db, [existing.id]);
  await appendAudit(tx, {
    action,
    entityType: 'collection',
    entityId: existing.id,
    before: auditSnapshot(existing),
    after: auditSnapshot(row),
    data,
  });
  return toCollection(row, tx.actor);
}

export async function listCollections(ctx: ServiceContext, query: CollectionListQuery) {
  let afterId: string | undefined;
  if (query.cursor) {
    const decoded = decodeCursor(query.cursor);
    if (!decoded) throw badRequest('Invalid query parameters.', [{ path: 'query.cursor', message: 'not a cursor this API issued' }]);
    afterId = decoded;
  }
  const rows = await q.listCollectionRows(ctx.db, {
    viewer: ctx.actor,
    afterId,
    limit: query.limit + 1,
    providerId: query.providerId,
    networkId: query.networkId,
    states: query.state ? [query.state] : ['published', 'draft'],
    // The same normaliser as search filters: modality=MRI lists MR collections.
    modality: query.modality ? filterCodes('modality', query.modality)[0] : undefined,
    bodyPart: query.bodyPart ? filterCodes('bodyPart', query.bodyPart)[0] : undefined,
    q: query.q,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => listItem(r, ctx.actor)),
    ...(rows.length > query.limit && last ? { nextCursor: encodeCursor(last.id) } : {}),
  };
}

/**
 * A withdrawn collection shows those who only see its tombstone no more in a list than the tombstone does.
 * Listed rows are ones the actor may `view`; `view` and `read` differ only for withdrawn collections.
 */
function listItem(row: q.CollectionRow, actor: Actor): CollectionSummary {
  if (can(actor, 'read', row)) return toSummary(row, actor);
  return {
    id: row.id,
    title: row.title,
    providerId: row.providerId,
    publicationState: 'withdrawn',
    modalities: [],
    bodyParts: [],
    conditions: [],
    modifiedAt: (row.withdrawnAt ?? row.modifiedAt).toISOString(),
    actions: actionsFor(actor, row),
  };
}
