/** Notifications and outgoing mail of access requests (server/access). */
import { bigserial, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';
import { appUser } from './users.js';

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
