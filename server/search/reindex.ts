/**
 * Full reindex without downtime: fill a new `<name>_<timestamp>` index from PostgreSQL in batches,
 * swap it with the live one atomically, replay what changed meanwhile, delete the old one.
 *
 * Changes during the build: every write leaves an outbox row that a worker processes after the
 * write commits. Rows processed after the build started may have gone to the old index, so after
 * the swap those collections are pushed again (idempotent: the current row is read). The swap and
 * the replay run under the exclusive SWAP_LOCK, so no worker batch straddles the swap.
 */
import { gte, sql } from 'drizzle-orm';
import type { ReindexStatus } from '../../schemas/search.js';
import type { Database, DbOrTx } from '../db/client.js';
import { searchOutbox } from '../db/schema.js';
import { SETTINGS_VERSION } from './index-settings.js';
import { apiCode, type SearchIndex, TaskFailed, waitOk } from './meili-index.js';
import { applyToIndex, type Mutex, SWAP_LOCK } from './outbox-worker.js';
import { countIndexable, indexableBatches } from './source.js';
import { yieldToEventLoop } from '../core/pace.js';

export interface ReindexOptions {
  database: Database;
  index: SearchIndex;
  mutex: Mutex;
  batchSize?: number;
  log?: { info(m: string): void; error(m: string, e?: unknown): void };
}

export type Progress = (done: number, total: number) => void | Promise<void>;

export class Reindexer {
  private current?: Promise<ReindexStatus>;
  private aborted = false;
  status: ReindexStatus = { state: 'idle', done: 0, total: 0 };

  constructor(private readonly o: ReindexOptions) {}

  get running() {
    return this.status.state === 'running';
  }

  /** Start in the background; false if one is already running in this process. */
  start(onProgress?: Progress): boolean {
    if (this.running) return false;
    this.current = this.run(onProgress).catch(() => this.status);
    return true;
  }

  /** Stop a running reindex at its next batch (app shutdown); the live index is left as it was. */
  async abort(): Promise<void> {
    this.aborted = this.running;
    await this.current;
    this.aborted = false;
  }

  /** Wait for the running (or last) reindex. */
  async settled(): Promise<ReindexStatus> {
    return (await this.current) ?? this.status;
  }

  /** Run to completion; rejects on failure (status keeps the error). */
  async run(onProgress?: Progress): Promise<ReindexStatus> {
    if (this.running) throw new Error('a reindex is already running');
    const { database, index, log } = this.o;
    const db = database.db;
    this.status = { state: 'running', startedAt: new Date().toISOString(), done: 0, total: 0 };
    const uid = `${index.name}_${Date.now()}`;
    try {
      // The database clock (processed_at is set by it), a second early to be safe.
      const [clock] = rowsOf<{ ms: number }>(await db.execute(sql`select extract(epoch from now())::float8 * 1000 as ms`));
      const startedAt = new Date(Number(clock?.ms ?? Date.now()) - 1000);
      const total = await countIndexable(db);
      this.status.total = total;
      await onProgress?.(0, total);
      log?.info(`search: reindex into ${uid} (${total} collections)`);
      await index.createWithSettings(uid);

      // Keep a few tasks in flight: Meilisearch batches consecutive additions together.
      const inFlight: { task: Promise<void>; size: number }[] = [];
      const settleOldest = async () => {
        const t = inFlight.shift()!;
        await t.task;
        this.status.done += t.size;
        await onProgress?.(this.status.done, Math.max(total, this.status.done));
      };
      // PGlite runs each read on the main thread: smaller batches, and a yield after each, keep
      // requests answering during a reindex (core/pace.ts).
      const batchSize = this.o.batchSize ?? (this.o.database.kind === 'pglite' ? 250 : 2000);
      for await (const docs of indexableBatches(db, batchSize)) {
        if (this.aborted) throw new Error('reindex aborted (shutting down)');
        await yieldToEventLoop();
        inFlight.push({ task: waitOk(index.index(uid).addDocuments(docs), `reindex batch into ${uid}`, 0), size: docs.length });
        if (inFlight.length >= 8) await settleOldest();
      }
      while (inFlight.length) await settleOldest();
      this.status.total = Math.max(total, this.status.done);

      const replayed = await this.swap(uid, startedAt);
      log?.info(`search: reindex swapped in (${this.status.done} documents, ${replayed} changed meanwhile)`);
      await this.cleanup(uid);
      this.status = { ...this.status, state: 'succeeded', finishedAt: new Date().toISOString() };
      return this.status;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.status = { ...this.status, state: 'failed', finishedAt: new Date().toISOString(), error: msg };
      log?.error(`search: reindex failed: ${msg}`);
      await index.client.deleteIndexIfExists(uid).catch(() => {});
      throw e;
    }
  }

  private async swap(uid: string, startedAt: Date): Promise<number> {
    const { database, index, mutex } = this.o;
    const step = async (db: DbOrTx) => {
      // Meilisearch 1.21 swaps existing indexes only (no rename): give it an empty live one.
      if (!(await index.exists())) await index.createWithSettings(index.name);
      await waitOk(index.client.swapIndexes([{ indexes: [index.name, uid], rename: false }]), `swap ${uid} in`);
      const changed = await db
        .selectDistinct({ id: searchOutbox.collectionId })
        .from(searchOutbox)
        .where(gte(searchOutbox.processedAt, startedAt));
      const ids = changed.map((r) => r.id);
      for (let i = 0; i < ids.length; i += 500) await applyToIndex(db, index, ids.slice(i, i + 500));
      await index.setStoredVersion(SETTINGS_VERSION);
      return ids.length;
    };
    return mutex.run(() =>
      database.kind === 'postgres'
        ? database.db.transaction(async (tx) => {
            await tx.execute(sql`select pg_advisory_xact_lock(${SWAP_LOCK})`);
            return step(tx);
          })
        : step(database.db),
    );
  }

  /**
   * After a swap `uid` holds the old documents. Other build indexes are left alone unless hours old
   * (an interrupted rebuild): a younger one may be another process's rebuild in progress.
   */
  private async cleanup(uid: string) {
    const { index } = this.o;
    const stale = (await index.buildIndexes()).filter((u) => u === uid || Date.now() - buildStamp(index, u) > STALE_BUILD_MS);
    // Waits for the deletions (deleteIndexIfExists only enqueues them): a caller that lists the
    // indexes after the rebuild must not find the old one still there.
    await Promise.all(
      stale.map((u) =>
        waitOk(index.client.deleteIndex(u), `delete ${u}`).catch((e: unknown) => {
          if (!(e instanceof TaskFailed) && apiCode(e) !== 'index_not_found') throw e;
        }),
      ),
    );
  }
}

const STALE_BUILD_MS = 6 * 3600_000;
const buildStamp = (index: SearchIndex, uid: string) => Number(uid.slice(index.name.length + 1));

/** Is another process rebuilding this index right now (a build index younger than an hour)? */
export async function rebuildInProgress(index: SearchIndex): Promise<boolean> {
  return (await index.buildIndexes()).some((u) => Date.now() - buildStamp(index, u) < 3600_000);
}

/** postgres.js returns the rows as an array, PGlite as `{ rows }`. */
function rowsOf<T>(r: unknown): T[] {
  return Array.isArray(r) ? (r as T[]) : ((r as { rows?: T[] }).rows ?? []);
}
