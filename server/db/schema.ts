/**
 * PostgreSQL tables. PostgreSQL is the source of truth; Meilisearch is a derived read model fed
 * through `search_outbox`. Collection documents are stored whole as jsonb (the model is wide and
 * versioned by zod), with the columns that access control, paging and uniqueness need pulled out.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const provider = pgTable('provider', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  doc: jsonb('doc').notNull(),
  revision: integer('revision').notNull().default(1),
  createdAt: ts('created_at').notNull().defaultNow(),
  modifiedAt: ts('modified_at').notNull().defaultNow(),
});

export const network = pgTable('network', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  doc: jsonb('doc').notNull(),
  revision: integer('revision').notNull().default(1),
  createdAt: ts('created_at').notNull().defaultNow(),
  modifiedAt: ts('modified_at').notNull().defaultNow(),
});

export const contact = pgTable(
  'contact',
  {
    id: text('id').primaryKey(),
    providerId: text('provider_id')
      .notNull()
      .references(() => provider.id, { onDelete: 'cascade' }),
    doc: jsonb('doc').notNull(),
    revision: integer('revision').notNull().default(1),
  },
  (t) => [index('contact_provider_id_idx').on(t.providerId)],
);

export const collection = pgTable(
  'collection',
  {
    id: text('id').primaryKey(),
    providerId: text('provider_id')
      .notNull()
      .references(() => provider.id, { onDelete: 'restrict' }),
    xnatInstance: text('xnat_instance').notNull(),
    xnatProjectId: text('xnat_project_id').notNull(),
    /** XNAT accessibility: public | protected | private. Private rows are seen by members and admins only. */
    visibility: text('visibility').notNull(),
    /** draft | published | withdrawn (withdrawn rows stay as tombstones). */
    publicationState: text('publication_state').notNull().default('draft'),
    title: text('title').notNull(),
    doc: jsonb('doc').notNull(),
    derived: jsonb('derived').notNull(),
    revision: integer('revision').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    modifiedAt: ts('modified_at').notNull().defaultNow(),
    publishedAt: ts('published_at'),
    withdrawnAt: ts('withdrawn_at'),
    withdrawnReason: text('withdrawn_reason'),
    /**
     * Last change as seen by outsiders (content, visibility or publication state): the OAI-PMH
     * datestamp. A collection turning private or withdrawn moves it too, so harvesters learn of it.
     */
    recordDatestamp: ts('record_datestamp').notNull().defaultNow(),
    /** First time the record was visible to anonymous harvesters (published, not private); null = never. */
    exposedAt: ts('exposed_at'),
  },
  (t) => [
    // Unique per provider, not globally: a global check would tell one provider that another
    // (possibly private) collection claims the project. See docs/adr/0003-visibility.md.
    uniqueIndex('collection_xnat_project_uidx').on(t.providerId, t.xnatInstance, t.xnatProjectId),
    index('collection_provider_id_idx').on(t.providerId),
    // Keyset paging walks (id) under a visibility filter.
    index('collection_visibility_id_idx').on(t.visibility, t.id),
    index('collection_doc_gin_idx').using('gin', t.doc),
    // OAI-PMH keyset paging over (datestamp, id).
    index('collection_datestamp_id_idx').on(t.recordDatestamp, t.id),
  ],
);

export const appUser = pgTable('app_user', {
  /** OIDC subject (`sub`) of the issuer in use. */
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email'),
  isAdmin: boolean('is_admin').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
  lastSeenAt: ts('last_seen_at'),
});

/** Data managers of a provider: they edit its collections and see its private ones. */
export const providerMember = pgTable(
  'provider_member',
  {
    providerId: text('provider_id')
      .notNull()
      .references(() => provider.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    role: text('role').notNull().default('data_manager'),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.userId] }), index('provider_member_user_id_idx').on(t.userId)],
);

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
  (t) => [index('search_outbox_pending_idx').on(t.id).where(sql`processed_at is null`)],
);

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
