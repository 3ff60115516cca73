/** The only file that touches the XNAT sync tables. */
import { and, asc, eq, inArray, isNotNull, lte, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { appUser, collection, xnatAccount, xnatGrant, xnatInstance, xnatMembership, xnatProjectSync } from '../db/schema.js';
import type { XnatRole } from './client.js';
import type { Intent, MembershipRecord } from './rules.js';

export type InstanceRow = typeof xnatInstance.$inferSelect;
export type GrantRow = typeof xnatGrant.$inferSelect;
export type SyncRow = typeof xnatProjectSync.$inferSelect;

// ---- instances ----
export const listInstances = (db: DbOrTx) => db.select().from(xnatInstance).orderBy(asc(xnatInstance.id));
export const getInstance = async (db: DbOrTx, id: string) => (await db.select().from(xnatInstance).where(eq(xnatInstance.id, id)))[0];
/** By id, or by the value collections put in `xnat.instance` (key, then URL). */
export async function findInstance(db: DbOrTx, ref: string): Promise<InstanceRow | undefined> {
  const norm = ref.replace(/\/+$/, '');
  const rows = await db
    .select()
    .from(xnatInstance)
    .where(or(eq(xnatInstance.id, ref), eq(xnatInstance.key, norm), eq(xnatInstance.url, norm)));
  return rows.find((r) => r.id === ref) ?? rows.find((r) => r.key === norm) ?? rows[0];
}
export const insertInstance = (db: DbOrTx, row: typeof xnatInstance.$inferInsert) => db.insert(xnatInstance).values(row);
export const updateInstance = (db: DbOrTx, id: string, set: Partial<typeof xnatInstance.$inferInsert>) =>
  db.update(xnatInstance).set(set).where(eq(xnatInstance.id, id)).returning();
export const deleteInstance = (db: DbOrTx, id: string) => db.delete(xnatInstance).where(eq(xnatInstance.id, id)).returning();
export const countGrantsOfInstance = async (db: DbOrTx, id: string) =>
  (
    await db
      .select({ n: sql<number>`count(*)::int` })
      .from(xnatGrant)
      .where(eq(xnatGrant.instanceId, id))
  )[0]!.n;

// ---- accounts ----
export const getAccount = async (db: DbOrTx, userId: string, instanceId: string) =>
  (
    await db
      .select()
      .from(xnatAccount)
      .where(and(eq(xnatAccount.userId, userId), eq(xnatAccount.instanceId, instanceId)))
  )[0];
export const listAccounts = (db: DbOrTx, userId: string) => db.select().from(xnatAccount).where(eq(xnatAccount.userId, userId));
export const upsertAccount = (db: DbOrTx, row: typeof xnatAccount.$inferInsert) =>
  db
    .insert(xnatAccount)
    .values(row)
    .onConflictDoUpdate({
      target: [xnatAccount.userId, xnatAccount.instanceId],
      set: { username: row.username, verifiedAt: row.verifiedAt },
    });
export const deleteAccount = (db: DbOrTx, userId: string, instanceId: string) =>
  db
    .delete(xnatAccount)
    .where(and(eq(xnatAccount.userId, userId), eq(xnatAccount.instanceId, instanceId)))
    .returning();

// ---- grants ----
export const getGrant = async (db: DbOrTx, id: string) => (await db.select().from(xnatGrant).where(eq(xnatGrant.id, id)))[0];
export const getGrantBySource = async (db: DbOrTx, sourceType: string, sourceId: string) =>
  (
    await db
      .select()
      .from(xnatGrant)
      .where(and(eq(xnatGrant.sourceType, sourceType), eq(xnatGrant.sourceId, sourceId)))
  )[0];
export const insertGrant = (db: DbOrTx, row: typeof xnatGrant.$inferInsert) => db.insert(xnatGrant).values(row);
export const updateGrant = (db: DbOrTx, id: string, set: Partial<typeof xnatGrant.$inferInsert>) =>
  db.update(xnatGrant).set(set).where(eq(xnatGrant.id, id));
export const grantsOfProject = (db: DbOrTx, instanceId: string, projectId: string) =>
  db
    .select()
    .from(xnatGrant)
    .where(and(eq(xnatGrant.instanceId, instanceId), eq(xnatGrant.projectId, projectId)))
    .orderBy(asc(xnatGrant.createdAt));
/** Present grants whose `until` has passed (the expiry job's safety net). */
export const overdueGrants = (db: DbOrTx, now: Date) =>
  db
    .select()
    .from(xnatGrant)
    .where(and(eq(xnatGrant.desired, 'present'), isNotNull(xnatGrant.until), lte(xnatGrant.until, now)));
/** Every (instance, project) that has grants or managed memberships. */
export async function knownProjects(db: DbOrTx, instanceId?: string): Promise<{ instanceId: string; projectId: string }[]> {
  const g = await db
    .selectDistinct({ instanceId: xnatGrant.instanceId, projectId: xnatGrant.projectId })
    .from(xnatGrant)
    .where(instanceId ? eq(xnatGrant.instanceId, instanceId) : undefined);
  const m = await db
    .selectDistinct({ instanceId: xnatMembership.instanceId, projectId: xnatMembership.projectId })
    .from(xnatMembership)
    .where(instanceId ? eq(xnatMembership.instanceId, instanceId) : undefined);
  const seen = new Map<string, { instanceId: string; projectId: string }>();
  for (const r of [...g, ...m]) seen.set(`${r.instanceId}\u0000${r.projectId}`, r);
  return [...seen.values()];
}
/** Grants not yet confirmed in their desired state, or failing (for the status view). */
export const unsettledGrants = (db: DbOrTx) =>
  db
    .select()
    .from(xnatGrant)
    .where(
      or(
        ne(xnatGrant.applied, sql`case when ${xnatGrant.desired} = 'present' then 'present' else 'absent' end`),
        isNotNull(xnatGrant.lastError),
      ),
    );

// ---- memberships we manage ----
export async function membershipsOfProject(
  db: DbOrTx,
  instanceId: string,
  projectId: string,
): Promise<Map<string, { record: MembershipRecord | null; intent: Intent | null }>> {
  const rows = await db
    .select()
    .from(xnatMembership)
    .where(and(eq(xnatMembership.instanceId, instanceId), eq(xnatMembership.projectId, projectId)));
  return new Map(
    rows.map((r) => [
      r.username,
      {
        record: r.active ? { priorRole: r.priorRole as XnatRole | null, managedRole: r.managedRole as XnatRole | null } : null,
        intent: (r.intent as Intent | null) ?? null,
      },
    ]),
  );
}
/** Record what we are about to change, before sending it. */
export const saveIntent = (db: DbOrTx, instanceId: string, projectId: string, username: string, intent: Intent, now: Date) =>
  db
    .insert(xnatMembership)
    .values({ instanceId, projectId, username, active: false, intent, modifiedAt: now })
    .onConflictDoUpdate({
      target: [xnatMembership.instanceId, xnatMembership.projectId, xnatMembership.username],
      set: { intent, modifiedAt: now },
    });
export async function saveMembership(
  db: DbOrTx,
  instanceId: string,
  projectId: string,
  username: string,
  rec: MembershipRecord | null,
  now: Date,
) {
  const key = and(
    eq(xnatMembership.instanceId, instanceId),
    eq(xnatMembership.projectId, projectId),
    eq(xnatMembership.username, username),
  );
  if (!rec) return db.delete(xnatMembership).where(key);
  return db
    .insert(xnatMembership)
    .values({ instanceId, projectId, username, ...rec, active: true, intent: null, modifiedAt: now })
    .onConflictDoUpdate({
      target: [xnatMembership.instanceId, xnatMembership.projectId, xnatMembership.username],
      set: { ...rec, active: true, intent: null, modifiedAt: now },
    });
}

// ---- per-project lease and findings ----
/** Take the project's lease if it is free or expired; true when we hold it. */
export async function acquireLease(
  db: DbOrTx,
  instanceId: string,
  projectId: string,
  owner: string,
  now: Date,
  ttlMs: number,
): Promise<boolean> {
  await db.insert(xnatProjectSync).values({ instanceId, projectId }).onConflictDoNothing();
  const rows = await db
    .update(xnatProjectSync)
    .set({ leaseOwner: owner, leaseUntil: new Date(now.getTime() + ttlMs) })
    .where(
      and(
        eq(xnatProjectSync.instanceId, instanceId),
        eq(xnatProjectSync.projectId, projectId),
        or(sql`${xnatProjectSync.leaseUntil} is null`, lte(xnatProjectSync.leaseUntil, now), eq(xnatProjectSync.leaseOwner, owner)),
      ),
    )
    .returning({ owner: xnatProjectSync.leaseOwner });
  return rows.length === 1;
}
export const releaseLease = (db: DbOrTx, instanceId: string, projectId: string, owner: string) =>
  db
    .update(xnatProjectSync)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(
      and(eq(xnatProjectSync.instanceId, instanceId), eq(xnatProjectSync.projectId, projectId), eq(xnatProjectSync.leaseOwner, owner)),
    );
export const updateProjectSync = (db: DbOrTx, instanceId: string, projectId: string, set: Partial<typeof xnatProjectSync.$inferInsert>) =>
  db
    .update(xnatProjectSync)
    .set(set)
    .where(and(eq(xnatProjectSync.instanceId, instanceId), eq(xnatProjectSync.projectId, projectId)));
export const projectSyncRows = (db: DbOrTx, instanceId?: string, projectIds?: string[]) =>
  db
    .select()
    .from(xnatProjectSync)
    .where(
      and(
        instanceId ? eq(xnatProjectSync.instanceId, instanceId) : undefined,
        projectIds?.length ? inArray(xnatProjectSync.projectId, projectIds) : undefined,
      ),
    );
export const grantsOfUser = (db: DbOrTx, userId: string) =>
  db.select().from(xnatGrant).where(eq(xnatGrant.userId, userId)).orderBy(asc(xnatGrant.createdAt));

// ---- read-only: the catalogue's view of which projects live on an instance (demo set-up) ----
export const projectsOfInstanceKey = (db: DbOrTx, key: string) =>
  db
    .select({ projectId: collection.xnatProjectId, visibility: collection.visibility })
    .from(collection)
    .where(eq(collection.xnatInstance, key));
export const existingUsers = async (db: DbOrTx, ids: string[]) =>
  (await db.select({ id: appUser.id }).from(appUser).where(inArray(appUser.id, ids))).map((r) => r.id);
export async function upsertInstance(db: DbOrTx, row: typeof xnatInstance.$inferInsert) {
  await db
    .insert(xnatInstance)
    .values(row)
    .onConflictDoUpdate({
      target: xnatInstance.id,
      set: { url: row.url, key: row.key, name: row.name, authKind: row.authKind, credentials: row.credentials, modifiedAt: row.modifiedAt },
    });
}
