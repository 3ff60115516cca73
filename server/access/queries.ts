/** The only place the access module touches the database. */
import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { collectionSql, rolesFor } from '../policy/index.js';
import type { DbOrTx } from '../db/client.js';
import {
  accessAttachment,
  accessCartItem,
  accessDecision,
  accessFormVersion,
  accessItem,
  accessMessage,
  accessRequest,
  appUser,
  collection,
  mailMessage,
  notification,
  notificationPreference,
  providerMember,
} from '../db/schema.js';

export type RequestRow = typeof accessRequest.$inferSelect;
export type ItemRow = typeof accessItem.$inferSelect;
export type DecisionRow = typeof accessDecision.$inferSelect;
export type MessageRow = typeof accessMessage.$inferSelect;
export type AttachmentRow = typeof accessAttachment.$inferSelect;
export type MailRow = typeof mailMessage.$inferSelect;
export type NotificationRow = typeof notification.$inferSelect;
export type CollectionRow = typeof collection.$inferSelect;

// --- collections and users (read only) ---

export async function getCollection(db: DbOrTx, id: string): Promise<CollectionRow | undefined> {
  const [row] = await db.select().from(collection).where(eq(collection.id, id));
  return row;
}

/** The collection only when `viewer` may see it, decided in the same query: a hidden id costs what an unknown one does. */
export async function getVisibleCollection(db: DbOrTx, id: string, viewer: Actor): Promise<CollectionRow | undefined> {
  const [row] = await db
    .select()
    .from(collection)
    .where(and(eq(collection.id, id), collectionSql(viewer, 'view')));
  return row;
}

export async function getCollections(db: DbOrTx, ids: string[]): Promise<CollectionRow[]> {
  if (!ids.length) return [];
  return db.select().from(collection).where(inArray(collection.id, ids));
}

export async function getUsers(db: DbOrTx, ids: string[]) {
  if (!ids.length) return [];
  return db.select({ id: appUser.id, name: appUser.name, email: appUser.email }).from(appUser).where(inArray(appUser.id, ids));
}

/** Who reviews the provider's access requests (by role, from the policy; viewers are not told). */
export async function managersOf(db: DbOrTx, providerId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: providerMember.userId })
    .from(providerMember)
    .where(and(eq(providerMember.providerId, providerId), inArray(providerMember.role, [...rolesFor('reviewRequests')])));
  return rows.map((r) => r.userId);
}

// --- cart ---

export async function cartRows(db: DbOrTx, userId: string) {
  return db
    .select({
      collectionId: accessCartItem.collectionId,
      addedAt: accessCartItem.addedAt,
      title: collection.title,
      providerId: collection.providerId,
    })
    .from(accessCartItem)
    .innerJoin(collection, eq(collection.id, accessCartItem.collectionId))
    .where(eq(accessCartItem.userId, userId))
    .orderBy(asc(accessCartItem.addedAt), asc(accessCartItem.collectionId));
}

export async function addToCart(db: DbOrTx, userId: string, collectionId: string, at: Date) {
  await db.insert(accessCartItem).values({ userId, collectionId, addedAt: at }).onConflictDoNothing();
}

export async function removeFromCart(db: DbOrTx, userId: string, collectionIds: string[]) {
  if (!collectionIds.length) return;
  await db.delete(accessCartItem).where(and(eq(accessCartItem.userId, userId), inArray(accessCartItem.collectionId, collectionIds)));
}

// --- requests, versions, items ---

export async function insertRequest(db: DbOrTx, row: typeof accessRequest.$inferInsert) {
  await db.insert(accessRequest).values(row);
}

export async function getRequest(db: DbOrTx, id: string): Promise<RequestRow | undefined> {
  const [row] = await db.select().from(accessRequest).where(eq(accessRequest.id, id));
  return row;
}

/** Lock the request row for the rest of the transaction (serialises commands on one request). */
export async function lockRequest(db: DbOrTx, id: string): Promise<RequestRow | undefined> {
  const [row] = await db.select().from(accessRequest).where(eq(accessRequest.id, id)).for('update');
  return row;
}

export async function updateRequest(db: DbOrTx, id: string, set: Partial<typeof accessRequest.$inferInsert>) {
  await db.update(accessRequest).set(set).where(eq(accessRequest.id, id));
}

export async function listRequests(db: DbOrTx, filter: { ownerId?: string; providerIds?: string[]; all?: boolean }): Promise<RequestRow[]> {
  const q = db.select().from(accessRequest);
  if (filter.all) return q.orderBy(desc(accessRequest.createdAt)).limit(500);
  const conds = [];
  if (filter.ownerId) conds.push(eq(accessRequest.ownerId, filter.ownerId));
  if (filter.providerIds?.length) {
    conds.push(
      and(
        sql`${accessRequest.status} <> 'draft'`,
        inArray(
          accessRequest.id,
          db.select({ id: accessItem.requestId }).from(accessItem).where(inArray(accessItem.providerId, filter.providerIds)),
        ),
      ),
    );
  }
  if (!conds.length) return [];
  return q
    .where(or(...conds))
    .orderBy(desc(accessRequest.createdAt))
    .limit(500);
}

export async function insertVersion(db: DbOrTx, row: typeof accessFormVersion.$inferInsert) {
  await db.insert(accessFormVersion).values(row);
}

export async function getVersions(db: DbOrTx, requestId: string) {
  return db.select().from(accessFormVersion).where(eq(accessFormVersion.requestId, requestId)).orderBy(asc(accessFormVersion.version));
}

/** Only a version not yet submitted may change: submitted versions are immutable. */
export async function saveDraftVersion(db: DbOrTx, requestId: string, version: number, form: unknown, at: Date): Promise<boolean> {
  const rows = await db
    .update(accessFormVersion)
    .set({ form, savedAt: at })
    .where(and(eq(accessFormVersion.requestId, requestId), eq(accessFormVersion.version, version), isNull(accessFormVersion.submittedAt)))
    .returning({ v: accessFormVersion.version });
  return rows.length === 1;
}

export async function markVersionSubmitted(db: DbOrTx, requestId: string, version: number, form: unknown, at: Date) {
  await db
    .update(accessFormVersion)
    .set({ form, submittedAt: at })
    .where(and(eq(accessFormVersion.requestId, requestId), eq(accessFormVersion.version, version), isNull(accessFormVersion.submittedAt)));
}

export async function insertItems(db: DbOrTx, rows: (typeof accessItem.$inferInsert)[]) {
  if (rows.length) await db.insert(accessItem).values(rows);
}

export async function itemsOf(db: DbOrTx, requestIds: string[]) {
  if (!requestIds.length) return [];
  return db
    .select({ item: accessItem, collectionTitle: collection.title })
    .from(accessItem)
    .innerJoin(collection, eq(collection.id, accessItem.collectionId))
    .where(inArray(accessItem.requestId, requestIds))
    .orderBy(asc(accessItem.id));
}

export async function lockItem(db: DbOrTx, requestId: string, itemId: string): Promise<ItemRow | undefined> {
  const [row] = await db
    .select()
    .from(accessItem)
    .where(and(eq(accessItem.id, itemId), eq(accessItem.requestId, requestId)))
    .for('update');
  return row;
}

/** Conditional on the revision read under lock: a lost update is impossible even without the lock. */
export async function updateItem(
  db: DbOrTx,
  itemId: string,
  revision: number,
  set: Partial<typeof accessItem.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(accessItem)
    .set({ ...set, revision: revision + 1 })
    .where(and(eq(accessItem.id, itemId), eq(accessItem.revision, revision)))
    .returning({ id: accessItem.id });
  return rows.length === 1;
}

export async function getItem(db: DbOrTx, itemId: string): Promise<ItemRow | undefined> {
  const [row] = await db.select().from(accessItem).where(eq(accessItem.id, itemId));
  return row;
}

export async function insertDecision(db: DbOrTx, row: typeof accessDecision.$inferInsert) {
  await db.insert(accessDecision).values(row);
}

export async function decisionsOf(db: DbOrTx, itemIds: string[]): Promise<DecisionRow[]> {
  if (!itemIds.length) return [];
  return db.select().from(accessDecision).where(inArray(accessDecision.itemId, itemIds)).orderBy(asc(accessDecision.id));
}

/** Items awaiting a decision from these providers (or assigned to this user). */
export async function awaitingItems(
  db: DbOrTx,
  f: { all: boolean; providerIds: string[]; userId?: string; collectionId?: string; status?: string; submittedBefore?: Date },
) {
  const scope = f.all
    ? undefined
    : or(
        f.providerIds.length ? inArray(accessItem.providerId, f.providerIds) : sql`false`,
        f.userId ? eq(accessItem.assigneeId, f.userId) : sql`false`,
      );
  return db
    .select({ item: accessItem, collectionTitle: collection.title, ownerId: accessRequest.ownerId })
    .from(accessItem)
    .innerJoin(collection, eq(collection.id, accessItem.collectionId))
    .innerJoin(accessRequest, eq(accessRequest.id, accessItem.requestId))
    .where(
      and(
        inArray(accessItem.status, f.status ? [f.status] : ['submitted', 'under_review']),
        scope,
        f.collectionId ? eq(accessItem.collectionId, f.collectionId) : undefined,
        f.submittedBefore ? lte(accessItem.submittedAt, f.submittedBefore) : undefined,
      ),
    )
    .orderBy(asc(accessItem.submittedAt))
    .limit(1000);
}

/** Items a reminder is due for: awaiting longer than `before`, not reminded since. */
export async function staleItems(db: DbOrTx, before: Date) {
  return db
    .select()
    .from(accessItem)
    .where(
      and(
        inArray(accessItem.status, ['submitted', 'under_review']),
        lte(accessItem.submittedAt, before),
        or(isNull(accessItem.remindedAt), lte(accessItem.remindedAt, before)),
      ),
    );
}

export async function grantedItems(db: DbOrTx) {
  return db
    .select({ item: accessItem, ownerId: accessRequest.ownerId, collectionTitle: collection.title })
    .from(accessItem)
    .innerJoin(accessRequest, eq(accessRequest.id, accessItem.requestId))
    .innerJoin(collection, eq(collection.id, accessItem.collectionId))
    .where(inArray(accessItem.status, ['approved', 'active']));
}

export async function setItemBookkeeping(db: DbOrTx, itemId: string, set: { remindedAt?: Date; expiryNotices?: number }) {
  await db.update(accessItem).set(set).where(eq(accessItem.id, itemId));
}

/** Decisions of a collection (time-to-decision statistics). */
export async function collectionDecisions(db: DbOrTx, collectionId: string) {
  return db
    .select({ outcome: accessDecision.outcome, days: accessDecision.daysToDecision })
    .from(accessDecision)
    .innerJoin(accessItem, eq(accessItem.id, accessDecision.itemId))
    .where(and(eq(accessItem.collectionId, collectionId), inArray(accessDecision.outcome, ['approve', 'reject'])));
}

// --- messages and attachments ---

export async function insertMessage(db: DbOrTx, row: typeof accessMessage.$inferInsert) {
  await db.insert(accessMessage).values(row);
}

export async function messagesOf(db: DbOrTx, requestId: string): Promise<MessageRow[]> {
  return db
    .select()
    .from(accessMessage)
    .where(eq(accessMessage.requestId, requestId))
    .orderBy(asc(accessMessage.at), asc(accessMessage.id));
}

export async function insertAttachment(db: DbOrTx, row: typeof accessAttachment.$inferInsert) {
  await db.insert(accessAttachment).values(row);
}

export async function attachmentMeta(db: DbOrTx, requestId: string) {
  return db
    .select({
      id: accessAttachment.id,
      messageId: accessAttachment.messageId,
      uploaderId: accessAttachment.uploaderId,
      audience: accessAttachment.audience,
      filename: accessAttachment.filename,
      contentType: accessAttachment.contentType,
      size: accessAttachment.size,
    })
    .from(accessAttachment)
    .where(eq(accessAttachment.requestId, requestId));
}

export async function getAttachment(db: DbOrTx, requestId: string, id: string): Promise<AttachmentRow | undefined> {
  const [row] = await db
    .select()
    .from(accessAttachment)
    .where(and(eq(accessAttachment.requestId, requestId), eq(accessAttachment.id, id)));
  return row;
}

export async function linkAttachments(db: DbOrTx, requestId: string, ids: string[], messageId: string, audience: string) {
  if (!ids.length) return;
  await db
    .update(accessAttachment)
    .set({ messageId, audience })
    .where(and(eq(accessAttachment.requestId, requestId), inArray(accessAttachment.id, ids), isNull(accessAttachment.messageId)));
}

// --- notifications and mail ---

export async function preferencesOf(db: DbOrTx, userId: string) {
  return db.select().from(notificationPreference).where(eq(notificationPreference.userId, userId));
}

export async function setPreference(db: DbOrTx, userId: string, eventClass: string, mode: string) {
  await db
    .insert(notificationPreference)
    .values({ userId, eventClass, mode })
    .onConflictDoUpdate({ target: [notificationPreference.userId, notificationPreference.eventClass], set: { mode } });
}

export async function insertNotification(db: DbOrTx, row: typeof notification.$inferInsert) {
  await db.insert(notification).values(row);
}

export async function notificationsOf(db: DbOrTx, userId: string, limit = 100): Promise<NotificationRow[]> {
  return db.select().from(notification).where(eq(notification.userId, userId)).orderBy(desc(notification.id)).limit(limit);
}

export async function unreadCount(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notification)
    .where(and(eq(notification.userId, userId), isNull(notification.readAt)));
  return row?.n ?? 0;
}

export async function markRead(db: DbOrTx, userId: string, at: Date) {
  await db
    .update(notification)
    .set({ readAt: at })
    .where(and(eq(notification.userId, userId), isNull(notification.readAt)));
}

export async function pendingDigest(db: DbOrTx, before: Date) {
  return db
    .select()
    .from(notification)
    .where(and(eq(notification.mode, 'daily'), isNull(notification.digestedAt), lt(notification.at, before)))
    .orderBy(asc(notification.userId), asc(notification.id));
}

export async function markDigested(db: DbOrTx, ids: number[], at: Date) {
  if (ids.length) await db.update(notification).set({ digestedAt: at }).where(inArray(notification.id, ids));
}

export async function insertMail(db: DbOrTx, row: typeof mailMessage.$inferInsert) {
  await db.insert(mailMessage).values(row);
}

export async function getMail(db: DbOrTx, id: string): Promise<MailRow | undefined> {
  const [row] = await db.select().from(mailMessage).where(eq(mailMessage.id, id));
  return row;
}

/** Whether this recipient already got mail about this request (then the next one is a reply in its thread). */
export async function hasThread(db: DbOrTx, requestId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: mailMessage.id })
    .from(mailMessage)
    .where(and(eq(mailMessage.requestId, requestId), eq(mailMessage.userId, userId)))
    .limit(1);
  return !!row;
}

export async function setMailStatus(db: DbOrTx, id: string, set: { status: string; error?: string | null; sentAt?: Date }) {
  await db.update(mailMessage).set(set).where(eq(mailMessage.id, id));
}

export async function listMail(db: DbOrTx, limit = 200): Promise<MailRow[]> {
  return db.select().from(mailMessage).orderBy(desc(mailMessage.createdAt), desc(mailMessage.id)).limit(limit);
}
