/**
 * Access requests (server/access). One request spans collections; each becomes an item decided by
 * its provider. Submitted form versions are immutable; every command is also in audit_event.
 */
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { collection, provider } from './catalogue.js';
import { bytea, ts } from './columns.js';
import { appUser } from './users.js';

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
