import { sql } from 'drizzle-orm';
import { bigserial, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * Transactional outbox for the search index: every collection write inserts a row in the same
 * transaction; the search worker applies pending rows in batches and marks them done, so the index
 * catches up after a Meilisearch outage without losing an update.
 */
export const searchOutbox = pgTable(
  'search_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    collectionId: text('collection_id').notNull(),
    enqueuedAt: ts('enqueued_at').notNull().defaultNow(),
    processedAt: ts('processed_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [
    index('search_outbox_pending_idx')
      .on(t.id)
      .where(sql`processed_at is null`),
  ],
);
