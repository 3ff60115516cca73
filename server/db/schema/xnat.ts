/** XNAT role sync (server/xnat/). */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';
import { appUser } from './users.js';

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
