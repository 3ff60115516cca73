/**
 * PostgreSQL tables. PostgreSQL is the source of truth; Meilisearch is a derived read model fed
 * through `search_outbox`. Collection documents are stored whole as jsonb (the model is wide and
 * versioned by zod), with the columns that access control, paging and uniqueness need pulled out.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  customType,
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
  (t) => [
    index('search_outbox_pending_idx')
      .on(t.id)
      .where(sql`processed_at is null`),
  ],
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

// ---- XNAT role sync (server/xnat/) ----

/** A registered XNAT server. Credentials are AES-256-GCM encrypted with XNAT_SECRET_KEY; never returned. */
export const xnatInstance = pgTable(
  'xnat_instance',
  {
    id: text('id').primaryKey(),
    /** The value collections use in `xnat.instance` (defaults to the URL). */
    key: text('key').notNull(),
    url: text('url').notNull(),
    name: text('name').notNull(),
    /** token (alias + secret) | password */
    authKind: text('auth_kind').notNull(),
    credentials: text('credentials').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    modifiedAt: ts('modified_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('xnat_instance_key_uidx').on(t.key)],
);

/** A user's XNAT username on one instance (checked to exist there when set). */
export const xnatAccount = pgTable(
  'xnat_account',
  {
    userId: text('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    instanceId: text('instance_id')
      .notNull()
      .references(() => xnatInstance.id, { onDelete: 'cascade' }),
    username: text('username').notNull(),
    verifiedAt: ts('verified_at'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.instanceId] })],
);

/**
 * A desired project role, one row per source (an access item). `desired` is what we want,
 * `applied` what read-back confirmed. The worker converges XNAT towards the rows.
 */
export const xnatGrant = pgTable(
  'xnat_grant',
  {
    id: text('id').primaryKey(),
    instanceId: text('instance_id')
      .notNull()
      .references(() => xnatInstance.id, { onDelete: 'restrict' }),
    projectId: text('project_id').notNull(),
    userId: text('user_id').notNull(),
    /** Resolved from xnat_account when the worker first acts. */
    username: text('username'),
    role: text('role').notNull(),
    sourceType: text('source_type').notNull(),
    sourceId: text('source_id').notNull(),
    /** present | absent */
    desired: text('desired').notNull(),
    /** revoked | expired | withdrawn, once desired is absent */
    endReason: text('end_reason'),
    until: ts('until'),
    /** pending | present | absent | failed */
    applied: text('applied').notNull().default('pending'),
    confirmedAt: ts('confirmed_at'),
    note: text('note'),
    lastError: text('last_error'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    modifiedAt: ts('modified_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('xnat_grant_source_uidx').on(t.sourceType, t.sourceId),
    index('xnat_grant_project_idx').on(t.instanceId, t.projectId),
    index('xnat_grant_until_idx')
      .on(t.until)
      .where(sql`desired = 'present'`),
  ],
);

/**
 * What this service changed for one user in one project: the role they had before (kept: never
 * removed or demoted) and the role we set. No row = we manage nothing for them there.
 */
export const xnatMembership = pgTable(
  'xnat_membership',
  {
    instanceId: text('instance_id').notNull(),
    projectId: text('project_id').notNull(),
    username: text('username').notNull(),
    priorRole: text('prior_role'),
    managedRole: text('managed_role'),
    /** false: only an intent is stored (nothing confirmed yet). */
    active: boolean('active').notNull().default(true),
    /**
     * Written before a change is sent: {from, to, next}. If the answer is lost, the next run sees
     * whether XNAT shows `to` (it landed: adopt `next`) or `from` (it did not), so a change we made
     * is never mistaken for someone else's role, and never sent twice.
     */
    intent: jsonb('intent'),
    modifiedAt: ts('modified_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.instanceId, t.projectId, t.username] })],
);

/** Per project: the worker's lease (one worker at a time) and the last reconcile's findings. */
export const xnatProjectSync = pgTable(
  'xnat_project_sync',
  {
    instanceId: text('instance_id').notNull(),
    projectId: text('project_id').notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: ts('lease_until'),
    lastSyncAt: ts('last_sync_at'),
    lastReconcileAt: ts('last_reconcile_at'),
    lastError: text('last_error'),
    /** Findings left alone: roles not granted by us, custom groups, raised roles. */
    reports: jsonb('reports').notNull().default([]),
    driftFound: integer('drift_found').notNull().default(0),
    driftRepaired: integer('drift_repaired').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.instanceId, t.projectId] })],
);

// ---------------------------------------------------------------------------------------------
// Access requests (server/access). One request spans collections; each becomes an item decided by
// its provider. Submitted form versions are immutable; every command is also in audit_event.

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** The server-side cart: survives sign-out. */
export const accessCartItem = pgTable(
  'access_cart_item',
  {
    userId: text('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    collectionId: text('collection_id')
      .notNull()
      .references(() => collection.id, { onDelete: 'cascade' }),
    addedAt: ts('added_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.collectionId] })],
);

export const accessRequest = pgTable(
  'access_request',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => appUser.id),
    /** draft | open | concluded, derived from the items on every change. */
    status: text('status').notNull().default('draft'),
    renewalOf: text('renewal_of'),
    /** Latest form version (the draft being edited, or the last submitted one). */
    formVersion: integer('form_version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    submittedAt: ts('submitted_at'),
    modifiedAt: ts('modified_at').notNull().defaultNow(),
  },
  (t) => [index('access_request_owner_idx').on(t.ownerId)],
);

/** Form versions: a draft is edited in place; once submitted a version never changes. */
export const accessFormVersion = pgTable(
  'access_form_version',
  {
    requestId: text('request_id')
      .notNull()
      .references(() => accessRequest.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    form: jsonb('form').notNull(),
    savedAt: ts('saved_at').notNull().defaultNow(),
    submittedAt: ts('submitted_at'),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.version] })],
);

export const accessItem = pgTable(
  'access_item',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => accessRequest.id, { onDelete: 'cascade' }),
    collectionId: text('collection_id')
      .notNull()
      .references(() => collection.id),
    providerId: text('provider_id')
      .notNull()
      .references(() => provider.id),
    status: text('status').notNull().default('draft'),
    /** Bumped on every change: a decision applies only to the revision it was made on. */
    revision: integer('revision').notNull().default(1),
    conflicts: jsonb('conflicts').notNull().default([]),
    role: text('role'),
    until: text('until'),
    assigneeId: text('assignee_id'),
    submittedAt: ts('submitted_at'),
    decidedAt: ts('decided_at'),
    remindedAt: ts('reminded_at'),
    expiryNotices: integer('expiry_notices').notNull().default(0),
  },
  (t) => [
    uniqueIndex('access_item_request_collection_uidx').on(t.requestId, t.collectionId),
    index('access_item_provider_status_idx').on(t.providerId, t.status),
    index('access_item_collection_idx').on(t.collectionId),
  ],
);

export const accessDecision = pgTable(
  'access_decision',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    itemId: text('item_id')
      .notNull()
      .references(() => accessItem.id, { onDelete: 'cascade' }),
    outcome: text('outcome').notNull(),
    actorId: text('actor_id').notNull(),
    at: ts('at').notNull().defaultNow(),
    role: text('role'),
    until: text('until'),
    reason: text('reason'),
    conditions: text('conditions'),
    formVersion: integer('form_version').notNull(),
    /** Days from submission to this decision (time-to-decision statistics). */
    daysToDecision: integer('days_to_decision'),
  },
  (t) => [index('access_decision_item_idx').on(t.itemId)],
);

export const accessMessage = pgTable(
  'access_message',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => accessRequest.id, { onDelete: 'cascade' }),
    authorId: text('author_id').notNull(),
    /** `all`, or a provider id: then only the researcher and that provider's data managers see it. */
    audience: text('audience').notNull(),
    body: text('body').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('access_message_request_idx').on(t.requestId)],
);

export const accessAttachment = pgTable(
  'access_attachment',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => accessRequest.id, { onDelete: 'cascade' }),
    messageId: text('message_id'),
    uploaderId: text('uploader_id').notNull(),
    /** Who may read it: `all` or a provider id (as its message). */
    audience: text('audience').notNull().default('all'),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    bytes: bytea('bytes').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('access_attachment_request_idx').on(t.requestId)],
);

/** The in-app inbox: one row per recipient and event. */
export const notification = pgTable(
  'notification',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    eventClass: text('event_class').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    requestId: text('request_id'),
    at: ts('at').notNull().defaultNow(),
    readAt: ts('read_at'),
    /** Set when the daily digest has carried it (mode `daily`). */
    digestedAt: ts('digested_at'),
    mode: text('mode').notNull().default('immediately'),
  },
  (t) => [index('notification_user_idx').on(t.userId, t.at)],
);

export const notificationPreference = pgTable(
  'notification_preference',
  {
    userId: text('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    eventClass: text('event_class').notNull(),
    mode: text('mode').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.eventClass] })],
);

/** Outgoing mail: the job sends it; in the embedded default it stays here as the captured copy. */
export const mailMessage = pgTable(
  'mail_message',
  {
    id: text('id').primaryKey(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    messageId: text('message_id').notNull(),
    inReplyTo: text('in_reply_to'),
    references: text('references'),
    requestId: text('request_id'),
    userId: text('user_id'),
    /** queued | sent | captured | failed */
    status: text('status').notNull().default('queued'),
    error: text('error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
  },
  (t) => [index('mail_message_request_user_idx').on(t.requestId, t.userId)],
);
