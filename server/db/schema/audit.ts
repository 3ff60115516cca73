import { bigint, bigserial, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * The audit log: append-only and hash-chained (docs/adr/0005-audit-log.md). `seq` is the gapless
 * chain position; `hash` is SHA-256 over the canonical JSON of the entry including `prev_hash`.
 * Rows are only ever inserted (a trigger refuses UPDATE, DELETE and TRUNCATE); `id` is just the
 * physical row key and is not part of the chain.
 */
export const auditEvent = pgTable(
  'audit_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: ts('at').notNull().defaultNow(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    data: jsonb('data'),
    requestId: text('request_id'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_event_entity_idx').on(t.entityType, t.entityId), uniqueIndex('audit_event_seq_uidx').on(t.seq)],
);

/**
 * The head of the audit chain: one row, locked FOR UPDATE by every append (which serialises
 * appends on PostgreSQL and PGlite alike) and compared with the last entry by the verifier, so a
 * deleted tail is detected too.
 */
export const auditChainHead = pgTable('audit_chain_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});
