/** The only place the catalogue module touches the database. */
import { and, asc, eq, gt, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { collectionSql } from '../policy/index.js';
import { collection, contact, network, provider } from '../db/schema.js';
import { queueIndexUpdate } from '../search/index.js';

export type CollectionRow = typeof collection.$inferSelect;
export type CollectionInsert = typeof collection.$inferInsert;
export type ProviderRow = typeof provider.$inferSelect;
export type NetworkRow = typeof network.$inferSelect;
export type ContactRow = typeof contact.$inferSelect;

export async function getCollectionRow(db: DbOrTx, id: string): Promise<CollectionRow | undefined> {
  const [row] = await db.select().from(collection).where(eq(collection.id, id));
  return row;
}

/**
 * The row only when `viewer` may see it: visibility is decided inside the one query, so a hidden id
 * and an unknown id do the same work (no row read, none sent, none parsed) and answer the same 404.
 */
export async function getVisibleCollectionRow(db: DbOrTx, id: string, viewer: Actor): Promise<CollectionRow | undefined> {
  const [row] = await db
    .select()
    .from(collection)
    .where(and(eq(collection.id, id), collectionSql(viewer, 'view')));
  return row;
}

export async function findCollectionByXnat(
  db: DbOrTx,
  providerId: string,
  instance: string,
  projectId: string,
): Promise<CollectionRow | undefined> {
  const [row] = await db
    .select()
    .from(collection)
    .where(and(eq(collection.providerId, providerId), eq(collection.xnatInstance, instance), eq(collection.xnatProjectId, projectId)));
  return row;
}

/** SQL twin of `datasetKey` (schemas/dataset-key.ts). */
const keyOf = (expr: SQL) =>
  sql`regexp_replace(regexp_replace(regexp_replace(lower(trim(coalesce(${expr}, ''))), '^(https?:)?//', ''), '^(www\.|dx\.doi\.org/|doi\.org/|doi:\s*)', ''), '/+$', '')`;

/**
 * Collections of other providers whose PID or landing page equals one of `keys` (withdrawn ones excluded).
 * The caller filters by what the actor may see.
 */
export async function sameDatasetRows(db: DbOrTx, keys: string[], excludeProviderId: string, viewer: Actor) {
  if (keys.length === 0) return [];
  const list = sql.join(
    keys.map((k) => sql`${k}`),
    sql`, `,
  );
  return db
    .select({ id: collection.id, title: collection.title, providerId: collection.providerId, doc: collection.doc })
    .from(collection)
    .where(
      and(
        sql`${collection.providerId} <> ${excludeProviderId}`,
        sql`${collection.publicationState} <> 'withdrawn'`,
        collectionSql(viewer, 'view'),
        or(sql`${keyOf(sql`${collection.doc}->>'pid'`)} in (${list})`, sql`${keyOf(sql`${collection.doc}->>'landingPage'`)} in (${list})`),
      ),
    )
    .limit(20);
}

export async function insertCollection(db: DbOrTx, row: CollectionInsert): Promise<CollectionRow> {
  const [created] = await db.insert(collection).values(row).returning();
  return created!;
}

/** Conditional update: only applies while the stored revision is still `expectedRevision`. */
export async function updateCollectionRow(
  db: DbOrTx,
  id: string,
  expectedRevision: number,
  now: Date,
  set: Partial<CollectionInsert>,
): Promise<CollectionRow | undefined> {
  const [row] = await db
    .update(collection)
    .set({ ...set, revision: sql`${collection.revision} + 1`, modifiedAt: now })
    .where(and(eq(collection.id, id), eq(collection.revision, expectedRevision)))
    .returning();
  return row;
}

export async function deleteCollectionRow(db: DbOrTx, id: string): Promise<void> {
  await db.delete(collection).where(eq(collection.id, id));
}

export interface ListFilter {
  /** Only collections this actor may see (the policy's SQL form). */
  viewer: Actor;
  afterId?: string;
  limit: number;
  providerId?: string;
  networkId?: string;
  states: string[];
  modality?: string;
  bodyPart?: string;
  q?: string;
}

export async function listCollectionRows(db: DbOrTx, f: ListFilter): Promise<CollectionRow[]> {
  const where = [
    collectionSql(f.viewer, 'view'),
    inArray(collection.publicationState, f.states),
    f.afterId ? gt(collection.id, f.afterId) : undefined,
    f.providerId ? eq(collection.providerId, f.providerId) : undefined,
    f.networkId ? sql`${collection.doc} @> ${JSON.stringify({ networkIds: [f.networkId] })}::jsonb` : undefined,
    f.modality ? sql`${collection.doc} @> ${JSON.stringify({ modalities: [{ code: f.modality }] })}::jsonb` : undefined,
    f.bodyPart ? sql`${collection.doc} @> ${JSON.stringify({ bodyParts: [{ code: f.bodyPart }] })}::jsonb` : undefined,
    f.q ? ilike(collection.title, `%${f.q.replace(/[\\%_]/g, '\\$&')}%`) : undefined,
  ];
  return db
    .select()
    .from(collection)
    .where(and(...where))
    .orderBy(asc(collection.id))
    .limit(f.limit);
}

export async function countCollections(db: DbOrTx): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(collection);
  return r?.n ?? 0;
}

export async function collectionIdsOfProvider(db: DbOrTx, providerId: string): Promise<string[]> {
  const rows = await db.select({ id: collection.id }).from(collection).where(eq(collection.providerId, providerId));
  return rows.map((r) => r.id);
}

export async function collectionIdsOfNetwork(db: DbOrTx, networkId: string): Promise<string[]> {
  const rows = await db
    .select({ id: collection.id })
    .from(collection)
    .where(sql`${collection.doc} @> ${JSON.stringify({ networkIds: [networkId] })}::jsonb`);
  return rows.map((r) => r.id);
}

/**
 * Move the record datestamp of those of `ids` that outsiders can see (published or withdrawn, not
 * private): their records name the provider and networks, so a rename is a change they see.
 */
export async function touchExposedCollections(db: DbOrTx, ids: string[], now: Date): Promise<void> {
  if (!ids.length) return;
  await db
    .update(collection)
    .set({ recordDatestamp: now })
    .where(and(inArray(collection.id, ids), sql`${collection.publicationState} <> 'draft'`, sql`${collection.visibility} <> 'private'`));
}

// providers ---------------------------------------------------------------------------------

export async function getProviderRow(db: DbOrTx, id: string) {
  const [row] = await db.select().from(provider).where(eq(provider.id, id));
  return row;
}
export async function listProviderRows(db: DbOrTx) {
  return db.select().from(provider).orderBy(asc(provider.id));
}
export async function insertProvider(db: DbOrTx, row: typeof provider.$inferInsert) {
  const [r] = await db.insert(provider).values(row).returning();
  return r!;
}
export async function updateProviderRow(
  db: DbOrTx,
  id: string,
  expectedRevision: number,
  now: Date,
  set: Partial<typeof provider.$inferInsert>,
) {
  const [r] = await db
    .update(provider)
    .set({ ...set, revision: sql`${provider.revision} + 1`, modifiedAt: now })
    .where(and(eq(provider.id, id), eq(provider.revision, expectedRevision)))
    .returning();
  return r;
}

// networks ----------------------------------------------------------------------------------

export async function getNetworkRow(db: DbOrTx, id: string) {
  const [row] = await db.select().from(network).where(eq(network.id, id));
  return row;
}
export async function listNetworkRows(db: DbOrTx) {
  return db.select().from(network).orderBy(asc(network.id));
}
export async function existingNetworkIds(db: DbOrTx, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.select({ id: network.id }).from(network).where(inArray(network.id, ids));
  return new Set(rows.map((r) => r.id));
}
export async function insertNetwork(db: DbOrTx, row: typeof network.$inferInsert) {
  const [r] = await db.insert(network).values(row).returning();
  return r!;
}
export async function updateNetworkRow(
  db: DbOrTx,
  id: string,
  expectedRevision: number,
  now: Date,
  set: Partial<typeof network.$inferInsert>,
) {
  const [r] = await db
    .update(network)
    .set({ ...set, revision: sql`${network.revision} + 1`, modifiedAt: now })
    .where(and(eq(network.id, id), eq(network.revision, expectedRevision)))
    .returning();
  return r;
}

// contacts ----------------------------------------------------------------------------------

export async function getContactRow(db: DbOrTx, id: string) {
  const [row] = await db.select().from(contact).where(eq(contact.id, id));
  return row;
}
export async function listContactRows(db: DbOrTx, providerId: string) {
  return db.select().from(contact).where(eq(contact.providerId, providerId)).orderBy(asc(contact.id));
}
export async function contactsOfProvider(db: DbOrTx, providerId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .select({ id: contact.id })
    .from(contact)
    .where(and(eq(contact.providerId, providerId), inArray(contact.id, ids)));
  return new Set(rows.map((r) => r.id));
}
/** Insert a new contact; undefined when the id was taken meanwhile. */
export async function insertContact(db: DbOrTx, row: typeof contact.$inferInsert) {
  const [r] = await db.insert(contact).values(row).onConflictDoNothing({ target: contact.id }).returning();
  return r;
}

/** Replace a contact if it is still at `expectedRevision`; undefined otherwise. */
export async function updateContactRow(db: DbOrTx, id: string, expectedRevision: number, doc: unknown) {
  const [r] = await db
    .update(contact)
    .set({ doc, revision: sql`${contact.revision} + 1` })
    .where(and(eq(contact.id, id), eq(contact.revision, expectedRevision)))
    .returning();
  return r;
}

// side effects recorded in the same transaction ------------------------------------------------

/** Queue a search-index update for the collections (the search module owns its outbox). */
export const enqueueIndexUpdate = (db: DbOrTx, collectionIds: string[]): Promise<void> => queueIndexUpdate(db, collectionIds);
