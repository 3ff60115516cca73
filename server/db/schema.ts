/**
 * PostgreSQL tables. PostgreSQL is the source of truth; Meilisearch is a derived read model fed
 * through `search_outbox`. Collection documents are stored whole as jsonb (the model is wide and
 * versioned by zod), with the columns that access control, paging and uniqueness need pulled out.
 *
 * One file per domain under schema/; this file is the single entry (drizzle.config.ts, the db client).
 */
export * from './schema/catalogue.js';
export * from './schema/users.js';
export * from './schema/search.js';
export * from './schema/audit.js';
export * from './schema/xnat.js';
export * from './schema/access.js';
export * from './schema/notifications.js';
