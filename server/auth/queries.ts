/** The only place the auth module touches the database. */
import { eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { appUser, providerMember } from '../db/schema.js';
import { ProviderRole, type Membership } from '../../schemas/policy.js';

export interface UserRow {
  id: string;
  name: string;
  email: string | null;
  isAdmin: boolean;
}

export async function upsertUserOnSignIn(
  db: DbOrTx,
  u: { id: string; name: string; email?: string; makeAdmin: boolean },
): Promise<UserRow> {
  const [row] = await db
    .insert(appUser)
    .values({ id: u.id, name: u.name, email: u.email ?? null, isAdmin: u.makeAdmin, lastSeenAt: new Date() })
    .onConflictDoUpdate({
      target: appUser.id,
      set: {
        name: u.name,
        email: u.email ?? sql`${appUser.email}`,
        lastSeenAt: new Date(),
        ...(u.makeAdmin ? { isAdmin: true } : {}),
      },
    })
    .returning({ id: appUser.id, name: appUser.name, email: appUser.email, isAdmin: appUser.isAdmin });
  return row!;
}

export async function findUser(db: DbOrTx, id: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select({ id: appUser.id, name: appUser.name, email: appUser.email, isAdmin: appUser.isAdmin })
    .from(appUser)
    .where(eq(appUser.id, id));
  return row;
}

export async function listUsers(db: DbOrTx): Promise<UserRow[]> {
  return db
    .select({ id: appUser.id, name: appUser.name, email: appUser.email, isAdmin: appUser.isAdmin })
    .from(appUser)
    .orderBy(appUser.id);
}

/** The user's roles at providers; an unknown role string reads as the least one (viewer). */
const toMembership = (r: { providerId: string; role: string }): Membership => ({
  providerId: r.providerId,
  role: ProviderRole.safeParse(r.role).data ?? 'viewer',
});

export async function membershipsOf(db: DbOrTx, userId: string): Promise<Membership[]> {
  const rows = await db
    .select({ providerId: providerMember.providerId, role: providerMember.role })
    .from(providerMember)
    .where(eq(providerMember.userId, userId))
    .orderBy(providerMember.providerId);
  return rows.map(toMembership);
}

export async function membershipsByUser(db: DbOrTx): Promise<Map<string, Membership[]>> {
  const rows = await db.select().from(providerMember).orderBy(providerMember.providerId);
  const m = new Map<string, Membership[]>();
  for (const r of rows) m.set(r.userId, [...(m.get(r.userId) ?? []), toMembership(r)]);
  return m;
}

/**
 * Give the user `role` at the provider (new membership or a changed role). Returns the role and the
 * previous one (absent when new); undefined when nothing changed.
 */
export async function addMember(
  db: DbOrTx,
  providerId: string,
  userId: string,
  role: ProviderRole = 'data_manager',
): Promise<{ role: ProviderRole; before?: string } | undefined> {
  const [old] = await db
    .select({ role: providerMember.role })
    .from(providerMember)
    .where(sql`${providerMember.providerId} = ${providerId} and ${providerMember.userId} = ${userId}`);
  if (old?.role === role) return undefined;
  await db
    .insert(providerMember)
    .values({ providerId, userId, role })
    .onConflictDoUpdate({ target: [providerMember.providerId, providerMember.userId], set: { role } });
  return { role, ...(old ? { before: old.role } : {}) };
}

/** Returns the removed membership's role, undefined when there was none. */
export async function removeMember(db: DbOrTx, providerId: string, userId: string): Promise<{ role: string } | undefined> {
  const [r] = await db
    .delete(providerMember)
    .where(sql`${providerMember.providerId} = ${providerId} and ${providerMember.userId} = ${userId}`)
    .returning({ role: providerMember.role });
  return r;
}

/** Display names of users, for histories. */
export async function userNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.select({ id: appUser.id, name: appUser.name }).from(appUser).where(inArray(appUser.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function ensureUser(db: DbOrTx, u: { id: string; name: string; email?: string; isAdmin?: boolean }) {
  await db
    .insert(appUser)
    .values({ id: u.id, name: u.name, email: u.email ?? null, isAdmin: u.isAdmin ?? false })
    .onConflictDoUpdate({ target: appUser.id, set: { name: u.name, isAdmin: u.isAdmin ?? false } });
}
