/** The only place that touches the audit tables. */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { auditChainHead, auditEvent } from '../db/schema.js';

export type AuditRow = typeof auditEvent.$inferSelect;
export const GENESIS_HASH = '0'.repeat(64);

/** Lock the chain head for this transaction (serialises appends) and return it. */
export async function lockHead(db: DbOrTx): Promise<{ seq: number; hash: string }> {
  const read = () =>
    db.select({ seq: auditChainHead.seq, hash: auditChainHead.hash }).from(auditChainHead).where(eq(auditChainHead.id, 1)).for('update');
  let [head] = await read();
  if (!head) {
    // Only if the head row was removed by hand: start it again; the verifier will report the break.
    await db.insert(auditChainHead).values({ id: 1, seq: 0, hash: GENESIS_HASH }).onConflictDoNothing();
    [head] = await read();
  }
  return head!;
}

export async function readHead(db: DbOrTx): Promise<{ seq: number; hash: string } | undefined> {
  const [head] = await db
    .select({ seq: auditChainHead.seq, hash: auditChainHead.hash })
    .from(auditChainHead)
    .where(eq(auditChainHead.id, 1));
  return head;
}

export async function insertEntry(db: DbOrTx, row: typeof auditEvent.$inferInsert): Promise<void> {
  await db.insert(auditEvent).values(row);
  await db.update(auditChainHead).set({ seq: row.seq, hash: row.hash }).where(eq(auditChainHead.id, 1));
}

/** One page of the chain in order, after `afterSeq`. */
export async function pageOfEntries(db: DbOrTx, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db.select().from(auditEvent).where(gt(auditEvent.seq, afterSeq)).orderBy(asc(auditEvent.seq), asc(auditEvent.id)).limit(limit);
}

export async function entriesOf(db: DbOrTx, entityType: string, entityId: string): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.entityType, entityType), eq(auditEvent.entityId, entityId)))
    .orderBy(asc(auditEvent.seq));
}

export async function countEntries(db: DbOrTx): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvent);
  return r?.n ?? 0;
}
