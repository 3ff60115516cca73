/**
 * Tightening is immediate. A write that hides a collection from someone (made private, withdrawn,
 * deleted, back to draft) queues its index update in the outbox in the same transaction; until the
 * worker has applied it, the index may still show the old state. So every search first reads the
 * pending outbox rows and excludes, from hits, totals and facet counts alike, each pending
 * collection whose *current* state the actor may not find in search. Loosening (becoming visible)
 * may lag: that shows nothing anyone may not see.
 */
import { isNull, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { can } from '../policy/index.js';
import type { DbOrTx } from '../db/client.js';
import { collection, searchOutbox } from '../db/schema.js';
import { serviceUnavailable } from '../http/errors.js';
import { documentKey } from './document.js';
import { quote } from './query.js';

/** Beyond this many hidden pending collections the filter gets too long: answer 503 while the index catches up. */
export const MAX_EXCLUDED = 2000;

interface PendingRow {
  id: string;
  providerId: string | null;
  visibility: string | null;
  publicationState: string | null;
}

/** Whether a collection in this state may be found in search by this actor (only published ones are indexed). */
export function findable(actor: Actor, row: PendingRow): boolean {
  if (row.providerId === null || row.visibility === null) return false; // deleted: gone for everyone, admins too
  if (row.publicationState !== 'published') return false;
  return can(actor, 'view', { providerId: row.providerId, visibility: row.visibility, publicationState: row.publicationState });
}

/** The document keys of pending collections this scope may not find in their current state. */
export async function pendingHiddenKeys(db: DbOrTx, actor: Actor): Promise<string[]> {
  return hiddenKeys(await pendingRows(db), actor);
}

const hiddenKeys = (rows: PendingRow[], actor: Actor) => rows.filter((r) => !findable(actor, r)).map((r) => documentKey(r.id));

/**
 * Whether the outbox may hold pending rows, so that a search reads it only when it may (one database
 * round trip less per search when the index is up to date). The outbox is known to be empty when a
 * read found no pending row and nothing could have added one since the read began. What forgets it:
 * - every outbox insert of this process and the end of any `withTransaction` here (`changed`, via
 *   onOutboxWrite and onTransactionEnd): a write made here is seen once it has committed, before
 *   its verb returns, so tightening stays immediate for writes made here;
 * - every NOTIFY of an outbox insert (`changed`): writes of other processes, seen as soon as the
 *   notification arrives (PostgreSQL sends it at commit);
 * - losing LISTEN (`listening(false)`): until it is back, every search reads the outbox, as it
 *   does when nothing listens at all.
 */
export class PendingOutbox {
  private isListening = false;
  private knownEmpty = false;
  /** Bumped by every change: a read that saw an older one proves nothing. */
  private epoch = 0;

  readonly changed = () => {
    this.epoch++;
    this.knownEmpty = false;
  };

  listening(on: boolean) {
    this.isListening = on;
    this.changed();
  }

  /** `pendingHiddenKeys`, without reading the outbox when it is known to be empty. */
  async hiddenKeys(db: DbOrTx, actor: Actor): Promise<string[]> {
    if (this.knownEmpty) return [];
    const epoch = this.epoch;
    const rows = await pendingRows(db);
    if (!rows.length && this.isListening && epoch === this.epoch) this.knownEmpty = true;
    return hiddenKeys(rows, actor);
  }
}

function pendingRows(db: DbOrTx): Promise<PendingRow[]> {
  return db
    .selectDistinct({
      id: searchOutbox.collectionId,
      providerId: collection.providerId,
      visibility: collection.visibility,
      publicationState: collection.publicationState,
    })
    .from(searchOutbox)
    .leftJoin(collection, sql`${collection.id} = ${searchOutbox.collectionId}`)
    .where(isNull(searchOutbox.processedAt));
}

/** The filter clause excluding these keys, or undefined when there are none. */
export function exclusionClause(keys: string[]): string | undefined {
  if (!keys.length) return undefined;
  if (keys.length > MAX_EXCLUDED) {
    throw serviceUnavailable('search_unavailable', 'The search index is catching up with recent changes; try again shortly.');
  }
  return `key NOT IN [${keys.map(quote).join(', ')}]`;
}

/** Add a clause (AND) to a Meilisearch filter given as a list of clauses. */
export function withClause<T extends { filter?: unknown }>(params: T, clause: string | undefined): T {
  if (!clause) return params;
  const existing = params.filter === undefined ? [] : Array.isArray(params.filter) ? params.filter : [params.filter];
  return { ...params, filter: [...existing, clause] };
}
