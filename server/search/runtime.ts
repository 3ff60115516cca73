/**
 * Search wiring for `npm start`: starts or connects to Meilisearch, makes sure the live index
 * exists with the current settings (reindexing in the background when not), runs the outbox
 * worker, and contributes the `search` readiness check and the search routes to the app.
 */
import type { Meilisearch } from 'meilisearch';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { NotReady, type AppModule, type ReadinessCheck } from '../http/module.js';
import type { Logger } from '../log.js';
import { SearchIndex } from './meili-index.js';
import { connectExternal, EmbeddedMeili } from './meili-process.js';
import { Mutex, onOutboxWrite, OUTBOX_CHANNEL, OutboxWorker } from './outbox-worker.js';
import { Reindexer, rebuildInProgress } from './reindex.js';
import { searchRoutes } from './routes.js';
import { onTransactionEnd } from '../core/context.js';
import { FacetNames } from './labels.js';
import { countIndexable } from './source.js';
import { PendingOutbox } from './tightening.js';

export interface SearchRuntime {
  /** The search module: its routes and its readiness check. */
  module: AppModule;
  readiness: ReadinessCheck[];
  stop(): Promise<void>;
}

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface SearchServices extends SearchRuntime {
  index: SearchIndex;
  worker: OutboxWorker;
  reindexer: Reindexer;
}

export interface SearchOptions {
  client: Meilisearch;
  indexName: string;
  database: Database;
  log?: Log;
  /** Run the outbox worker loop (else call `worker.drain()`); default true. */
  runWorker?: boolean;
  pollMs?: number;
  maxBackoffMs?: number;
}

/**
 * Everything but the Meilisearch process: tests build this against their own instance. `database`
 * may still be opening: the live index is created (and its settings applied) meanwhile.
 */
export async function createSearch(
  o: Omit<SearchOptions, 'database'> & { database: Database | Promise<Database> },
): Promise<SearchServices> {
  const index = new SearchIndex(o.client, o.indexName);
  const [{ created, stale }, database] = await Promise.all([index.ensureLive(), o.database]);
  const mutex = new Mutex();
  const worker = new OutboxWorker({ database, index, mutex, pollMs: o.pollMs, maxBackoffMs: o.maxBackoffMs, log: o.log });
  const reindexer = new Reindexer({ database, index, mutex, log: o.log });

  if (stale) {
    if (created && (await countIndexable(database.db)) === 0) {
      // Not awaited: Meilisearch applies tasks in order, so it is stored before any document
      // lands (a failure only means a rebuild at the next start).
      index.setStoredVersion().catch((err: unknown) => {
        o.log?.warn(`search: could not store the index settings version (${err instanceof Error ? err.message : String(err)})`);
      });
    } else if (!created && (await rebuildInProgress(index))) {
      // Several API processes started together after a settings change: one rebuild is enough.
      o.log?.info('search: index settings changed; another process is rebuilding the index');
    } else {
      o.log?.info(
        created ? 'search: index missing, rebuilding it from the database' : 'search: index settings changed, rebuilding the index',
      );
      reindexer.start();
    }
  }
  // What search keeps in memory (whether the outbox is empty, facet value names) is forgotten at
  // each change: a transaction ending here, an outbox NOTIFY from any process, LISTEN lost.
  const pending = new PendingOutbox();
  const names = new FacetNames(database.db);
  const runWorker = o.runWorker ?? true;
  const forget = () => {
    pending.changed();
    names.changed();
  };
  const offHooks = [onTransactionEnd(forget), onOutboxWrite(forget)];
  if (runWorker) worker.start();
  // Committed outbox rows NOTIFY (migration 0004): index them now (the poll stays as a fallback).
  const unlisten = await database
    .listen(
      OUTBOX_CHANNEL,
      () => {
        forget();
        if (runWorker) worker.notify();
      },
      (on) => pending.listening(on),
    )
    .catch((err: unknown) => {
      o.log?.warn(
        `search: cannot LISTEN for outbox rows (${err instanceof Error ? err.message : String(err)}); ${runWorker ? 'polling only, ' : ''}every search reads the outbox`,
      );
      return undefined;
    });

  // Ready once the index holds everything written before the first probe (e.g. the seed): a probe
  // that said ready earlier would send traffic to a search that answers nothing. Writes after that
  // mark (other instances keep writing) do not hold readiness back, nor take it away later.
  let caughtUp = false;
  let mark: number | undefined;
  const readiness: ReadinessCheck[] = [
    {
      name: 'search',
      check: async () => {
        await o.client.health();
        if (caughtUp) return;
        mark ??= await worker.highWaterMark();
        if (reindexer.running || (await worker.pending(mark)) > 0) throw new NotReady('indexing');
        caughtUp = true;
      },
    },
  ];
  return {
    index,
    worker,
    reindexer,
    readiness,
    module: {
      name: 'search',
      readiness,
      routes: (app, api) => searchRoutes(app, api, { index, reindexer, db: database.db, pending, facetNames: (ids) => names.lookup(ids) }),
    },
    stop: async () => {
      for (const off of offHooks) off();
      await unlisten?.().catch(() => {});
      await worker.stop();
      await reindexer.abort();
      index.close();
    },
  };
}

/** `database` may still be opening: an embedded Meilisearch starts meanwhile. */
export async function startSearch(config: Config, databaseReady: Database | Promise<Database>, log: Logger): Promise<SearchRuntime> {
  const m = config.meili;
  let embedded: EmbeddedMeili | undefined;
  let client: Meilisearch;
  if (m.kind === 'embedded') {
    embedded = new EmbeddedMeili({
      dir: m.dir,
      binary: m.binary,
      log: (l) => log.debug({ meilisearch: l }, 'meilisearch output'),
      // Supervision: every unexpected exit and restart is logged.
      onEvent: (e) => {
        if (e.kind === 'restarted') log.info({ meilisearch: e }, 'search: the embedded Meilisearch is back');
        else log.warn({ meilisearch: e }, 'search: the embedded Meilisearch exited; restarting it');
      },
    });
    const conn = await embedded.start();
    client = conn.client;
    log.info(`search: embedded Meilisearch on ${conn.url} (data in ${m.dir})`);
  } else {
    client = (await connectExternal(m.url, m.apiKey)).client;
    log.info(`search: Meilisearch at ${m.url}`);
  }
  try {
    const search = await createSearch({ client, indexName: m.index, database: databaseReady, log, runWorker: config.searchWorker });
    return {
      module: search.module,
      readiness: search.readiness,
      stop: async () => {
        await search.stop();
        await embedded?.stop();
      },
    };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}
