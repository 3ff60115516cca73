/** The catalogue (server/catalogue): providers, networks, contacts and collections. */
import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

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
