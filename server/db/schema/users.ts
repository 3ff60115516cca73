/** Users (server/auth) and their data-manager memberships of providers. */
import { boolean, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { provider } from './catalogue.js';
import { ts } from './columns.js';

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
