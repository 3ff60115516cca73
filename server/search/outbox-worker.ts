/**
 * Applies `search_outbox` rows to the index. Every collection write queues a row in its own
 * transaction, so the index can lag but never lose an update: while Meilisearch is down the rows
 * stay pending and the worker retries with backoff.
 *
 * PostgreSQL: a batch is one transaction that claims rows with FOR UPDATE SKIP LOCKED (several
 * worker processes share the queue), takes a per-collection advisory lock (two workers never push
 * two versions of one collection out of order), pushes the current rows, waits for the
 * Meilisearch task and marks the rows processed. A shared lock on SWAP_LOCK keeps batches out of a
 * reindex's swap. PGlite is one connection where a transaction blocks every other query, so there
 * the batch runs without one; a single process owns it and the in-process mutex is enough.
 */
import { and, asc, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client.js';
import { searchOutbox } from '../db/schema.js';
import { isRejection, type SearchIndex } from './meili-index.js';
import { documentsFor } from './source.js';

export const SWAP_LOCK = 7716011;
/** NOTIFY channel of the trigger on search_outbox inserts. */
export const OUTBOX_CHANNEL = 'search_outbox';
const MAX_ATTEMPTS = 5;
export const COLLECTION_LOCK_NS = 7716012;

/** Serialises work inside one process (worker batches, reindex swap). */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => {});
    return result;
  }
}

export interface OutboxWorkerOptions {
  database: Database;
  index: SearchIndex;
  mutex: Mutex;
  batchSize?: number;
  pollMs?: number;
  maxBackoffMs?: number;
  log?: { info(m: string): void; warn(m: string): void; error(m: string, e?: unknown): void };
}

/**
 * Queue an index update for these collections, inside the writer's transaction: the update exists
 * if and only if the write commits (the worker is woken by NOTIFY at commit).
 */
export async function queueIndexUpdate(db: DbOrTx, collectionIds: string[]): Promise<void> {
  if (!collectionIds.length) return;
  await db.insert(searchOutbox).values(collectionIds.map((collectionId) => ({ collectionId })));
  for (const fn of outboxWritten) fn();
}

const outboxWritten = new Set<() => void>();

/**
 * Call `fn` after each outbox insert of this process has returned: committed already when made
 * outside a transaction; inside one, `onTransactionEnd` (core/context.ts) follows at its commit.
 */
export function onOutboxWrite(fn: () => void): () => void {
  outboxWritten.add(fn);
  return () => void outboxWritten.delete(fn);
}

/** Push the current state of these collections to the live index (idempotent). */
export async function applyToIndex(db: DbOrTx, index: SearchIndex, ids: string[], uid?: string): Promise<void> {
  const { upsert, remove } = await documentsFor(db, ids);
  await Promise.all([index.upsert(upsert, uid), index.remove(remove, uid)]);
}

export class OutboxWorker {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** A notification arrived while a batch ran: look again before sleeping. */
  private woken = false;
  private failures = 0;
  /** After Meilisearch rejected a batch: go one row at a time to find the row it rejects. */
  private isolating = false;
  lastError?: string;

  constructor(private readonly o: OutboxWorkerOptions) {}

  private get batchSize() {
    return this.o.batchSize ?? 500;
  }

  /** Claim, apply and mark one batch; returns how many outbox rows it processed. */
  async processBatch(): Promise<number> {
    const { database, index, mutex } = this.o;
    let claimed: { id: number; attempts: number }[] = [];
    const work = async (db: DbOrTx, locking: boolean) => {
      const pending = db
        .select({ id: searchOutbox.id, collectionId: searchOutbox.collectionId, attempts: searchOutbox.attempts })
        .from(searchOutbox)
        .where(isNull(searchOutbox.processedAt))
        .orderBy(asc(searchOutbox.id))
        .limit(this.isolating ? 1 : this.batchSize);
      const rows = locking ? await pending.for('update', { skipLocked: true }) : await pending;
      if (!rows.length) return 0;
      claimed = rows;
      const ids = [...new Set(rows.map((r) => r.collectionId))];
      if (locking) {
        const list = sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        );
        await db.execute(
          sql`select pg_advisory_xact_lock(${COLLECTION_LOCK_NS}, h) from (select distinct hashtext(x) as h from unnest(array[${list}]::text[]) as x order by 1) s`,
        );
      }
      await applyToIndex(db, index, ids);
      await db
        .update(searchOutbox)
        .set({ processedAt: sql`now()`, attempts: sql`${searchOutbox.attempts} + 1`, lastError: null })
        .where(
          inArray(
            searchOutbox.id,
            claimed.map((r) => r.id),
          ),
        );
      return rows.length;
    };
    try {
      const n = await mutex.run(() =>
        database.kind === 'postgres'
          ? database.db.transaction(async (tx) => {
              await tx.execute(sql`select pg_advisory_xact_lock_shared(${SWAP_LOCK})`);
              return work(tx, true);
            })
          : work(database.db, false),
      );
      if (n > 0) this.isolating = false;
      return n;
    } catch (e) {
      if (!claimed.length) throw e;
      const msg = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
      const ids = claimed.map((r) => r.id);
      // Meilisearch is up but rejected the update: find the row, and after a few tries let it go
      // (logged, kept with its error) rather than block every later update behind it.
      const rejected = isRejection(e);
      const giveUp = rejected && claimed.length === 1 && claimed[0]!.attempts + 1 >= MAX_ATTEMPTS;
      if (rejected) this.isolating = true;
      await database.db
        .update(searchOutbox)
        .set({
          attempts: sql`${searchOutbox.attempts} + 1`,
          lastError: giveUp ? `gave up: ${msg}` : msg,
          ...(giveUp ? { processedAt: sql`now()` } : {}),
        })
        .where(inArray(searchOutbox.id, ids))
        .catch(() => {});
      if (giveUp) {
        this.o.log?.error(`search: outbox row ${ids[0]} rejected by Meilisearch ${MAX_ATTEMPTS} times, skipped: ${msg}`);
        return 1;
      }
      throw e;
    }
  }

  /** Process until the outbox is empty (tests, CLI); throws if Meilisearch is unavailable. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.processBatch();
      total += n;
      if (n === 0) return total;
    }
  }

  /** Unprocessed rows (only those with id <= `upTo` when given). */
  async pending(upTo?: number): Promise<number> {
    const [r] = await this.o.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(searchOutbox)
      .where(and(isNull(searchOutbox.processedAt), upTo === undefined ? undefined : lte(searchOutbox.id, upTo)));
    return Number(r?.n ?? 0);
  }

  /** The id of the newest outbox row (0 when empty): "everything written so far". */
  async highWaterMark(): Promise<number> {
    const [r] = await this.o.database.db.select({ id: sql<number>`coalesce(max(${searchOutbox.id}), 0)` }).from(searchOutbox);
    return Number(r?.id ?? 0);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Check for work now instead of at the next poll (new outbox rows were committed). */
  notify(): void {
    this.woken = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const poll = this.o.pollMs ?? 1000;
    const maxBackoff = this.o.maxBackoffMs ?? 30_000;
    while (this.running) {
      let delay = poll;
      try {
        const n = await this.processBatch();
        if (this.failures) {
          this.o.log?.info(`search: index updates resumed after ${this.failures} failed attempt(s)`);
          this.failures = 0;
          this.lastError = undefined;
        }
        if (n >= this.batchSize) delay = 0;
      } catch (e) {
        this.failures++;
        this.lastError = e instanceof Error ? e.message : String(e);
        if (this.failures === 1) {
          this.o.log?.warn(`search: index update failed (${this.lastError}); writes keep queueing, retrying with backoff`);
        }
        // Exponential backoff with jitter, capped.
        delay = Math.min(maxBackoff, poll * 2 ** Math.min(this.failures, 10)) * (0.75 + Math.random() * 0.5);
      }
      // A wake-up during a healthy batch means new rows: go again. While failing, keep the backoff.
      if (this.woken && !this.failures) delay = 0;
      this.woken = false;
      if (delay > 0 && this.running) await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
      const t = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

/** Delete processed rows older than `retentionMs` (a reindex replays rows processed during its run). */
export async function deleteProcessedOutbox(db: DbOrTx, retentionMs: number, now = new Date()): Promise<number> {
  const gone = await db
    .delete(searchOutbox)
    .where(lt(searchOutbox.processedAt, new Date(now.getTime() - retentionMs)))
    .returning({ id: searchOutbox.id });
  return gone.length;
}
