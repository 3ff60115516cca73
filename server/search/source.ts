/** The search module's reads from PostgreSQL: collections as search documents, and the outbox. */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { collection, network, provider } from '../db/schema.js';
import { documentKey, isIndexable, toSearchDocument, type SearchDocument } from './document.js';

const columns = {
  id: collection.id,
  providerId: collection.providerId,
  visibility: collection.visibility,
  publicationState: collection.publicationState,
  title: collection.title,
  doc: collection.doc,
  derived: collection.derived,
  modifiedAt: collection.modifiedAt,
  providerName: provider.name,
};

/** Every provider and network name (the search answer's labels are cached from these: labels.ts). */
export async function allFacetNames(db: DbOrTx): Promise<{ provider: Map<string, string>; network: Map<string, string> }> {
  const [providers, networks] = await Promise.all([
    db.select({ id: provider.id, name: provider.name }).from(provider),
    db.select({ id: network.id, name: network.name }).from(network),
  ]);
  return { provider: new Map(providers.map((r) => [r.id, r.name])), network: new Map(networks.map((r) => [r.id, r.name])) };
}

async function networkNames(db: DbOrTx): Promise<Map<string, string>> {
  const rows = await db.select({ id: network.id, name: network.name }).from(network);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Current state of these collections: documents to upsert, keys to delete (gone or not indexable). */
export async function documentsFor(db: DbOrTx, ids: string[]): Promise<{ upsert: SearchDocument[]; remove: string[] }> {
  const unique = [...new Set(ids)];
  if (!unique.length) return { upsert: [], remove: [] };
  const rows = await db
    .select(columns)
    .from(collection)
    .innerJoin(provider, eq(provider.id, collection.providerId))
    .where(inArray(collection.id, unique));
  const names = await networkNames(db);
  const upsert = rows.filter(isIndexable).map((r) => toSearchDocument(r, { providerName: r.providerName, networkNames: names }));
  const kept = new Set(upsert.map((d) => d.id));
  return { upsert, remove: unique.filter((id) => !kept.has(id)).map(documentKey) };
}

export async function countIndexable(db: DbOrTx): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(collection)
    .where(eq(collection.publicationState, 'published'));
  return Number(r?.n ?? 0);
}

/** Every indexable collection, as documents, in id order (keyset paging: no long transaction). */
export async function* indexableBatches(db: DbOrTx, batchSize: number): AsyncGenerator<SearchDocument[]> {
  const names = await networkNames(db);
  let after: string | undefined;
  for (;;) {
    const rows = await db
      .select(columns)
      .from(collection)
      .innerJoin(provider, eq(provider.id, collection.providerId))
      .where(and(eq(collection.publicationState, 'published'), after !== undefined ? gt(collection.id, after) : undefined))
      .orderBy(asc(collection.id))
      .limit(batchSize);
    if (!rows.length) return;
    yield rows.map((r) => toSearchDocument(r, { providerName: r.providerName, networkNames: names }));
    after = rows[rows.length - 1]!.id;
    if (rows.length < batchSize) return;
  }
}
