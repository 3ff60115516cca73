/**
 * Database connection: a PostgreSQL server through postgres.js when DATABASE_URL is set, otherwise
 * embedded PGlite (PostgreSQL compiled to WASM, one connection, data under DATA_DIR). Both speak the
 * same SQL and run the same committed migrations.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Config } from '../config.js';
import { listenTracked } from './listen.js';
import { isNewCluster, readTemplate, saveTemplate, schemaTemplateKind } from './pglite-template.js';
import { yieldToEventLoop } from '../core/pace.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; verbs accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /** `select 1` on a fresh connection of its own (not queued behind the pool's waiting queries); rejects within ~2.5 s. */
  probe(): Promise<void>;
  /**
   * LISTEN on a channel (NOTIFY is delivered at commit); resolves to an unlisten function. With
   * `onState`, on a connection of its own that reports losing and regaining LISTEN (listen.ts).
   */
  listen(channel: string, onNotify: (payload: string) => void, onState?: (listening: boolean) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Schema that is not ours to migrate but belongs in every new embedded database (pg-boss's tables):
 * installed right after the migrations, so that the cached schema template holds it too.
 */
export interface SchemaSetup {
  /** What `install` creates (e.g. the pg-boss version): part of the template's key. */
  key: string;
  install(pg: PGlite): Promise<void>;
}

export async function openDatabase(cfg: Config['db'], opts: { setup?: SchemaSetup } = {}): Promise<Database> {
  if (cfg.kind === 'postgres') {
    const client = postgres(cfg.url, {
      max: cfg.poolSize,
      onnotice: () => {},
      // A request waiting on a connection during an outage waits this long at most before its 503.
      connect_timeout: 5,
      // During an outage each failed reconnect fails the one query waiting on it; the default
      // backoff grows to 20 s, which leaves requests hanging long after the database is back.
      backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      migrate: async () => {
        // Several API/worker processes may start together: one connection holds an advisory lock
        // while it migrates, the others wait and then find nothing left to do.
        const one = postgres(cfg.url, { max: 1, onnotice: () => {} });
        try {
          await one`select pg_advisory_lock(7716001)`;
          await migratePostgres(drizzlePostgres(one), { migrationsFolder });
        } finally {
          await one`select pg_advisory_unlock(7716001)`.catch(() => {});
          await one.end({ timeout: 5 });
        }
      },
      ping: async () => void (await db.execute(sql`select 1`)),
      probe: async () => {
        const one = postgres(cfg.url, { max: 1, onnotice: () => {}, connect_timeout: 2 });
        // connect_timeout ends at the handshake; a partition right after it must not hang the probe.
        const giveUp = setTimeout(() => void one.end({ timeout: 0 }), 2500);
        try {
          await one`select 1`;
        } finally {
          clearTimeout(giveUp);
          await one.end({ timeout: 0 });
        }
      },
      // postgres.js listens on a connection of its own and re-listens after a reconnect.
      listen: async (channel, onNotify, onState) => {
        if (onState) return listenTracked(cfg.url, channel, onNotify, onState);
        const sub = await client.listen(channel, onNotify);
        return () => sub.unlisten();
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  mkdirSync(cfg.dir, { recursive: true });
  const releaseLock = lockDataDir(cfg.dir);
  const schemaKind = schemaTemplateKind(migrationsFolder, opts.setup?.key ?? 'none');
  const created = await createPglite(cfg.dir, schemaKind);
  const pg = cooperative(created.pg);
  const db = drizzlePglite(pg, { schema }) as unknown as Db;
  let unprepared = created.state === 'empty';
  return {
    db,
    kind: 'pglite',
    migrate: async () => {
      await migratePglite(drizzlePglite(pg), { migrationsFolder });
      if (!unprepared) return;
      unprepared = false;
      await opts.setup?.install(pg);
      await saveTemplate(pg, schemaKind);
    },
    probe: async () => void (await pg.query('select 1')),
    ping: async () => void (await pg.query('select 1')),
    listen: (channel, onNotify, onState) => listenPglite(pg, channel, onNotify, onState),
    close: async () => {
      await pg.close();
      releaseLock();
    },
  };
}

/**
 * Open PGlite on a directory; a new one starts from a cached cluster (pglite-template.ts): the
 * migrated one when there is one for these migrations, else the empty one (`state: 'empty'`).
 */
async function createPglite(dir: string, schemaKind: string): Promise<{ pg: PGlite; state: 'existing' | 'prepared' | 'empty' }> {
  if (!isNewCluster(dir)) return { pg: await PGlite.create(dir), state: 'existing' };
  const prepared = readTemplate(schemaKind);
  if (prepared) return { pg: await PGlite.create(dir, { loadDataDir: prepared }), state: 'prepared' };
  const empty = readTemplate('initdb');
  if (empty) return { pg: await PGlite.create(dir, { loadDataDir: empty }), state: 'empty' };
  const pg = await PGlite.create(dir);
  await saveTemplate(pg, 'initdb');
  return { pg, state: 'empty' };
}

/**
 * PGlite is an in-process database: two processes on one data directory would corrupt it. A lock
 * file with the owner's pid turns that into a clear error (a stale lock of a dead process is taken over).
 */
function lockDataDir(dir: string): () => void {
  const file = path.join(dir, '..', 'pglite.lock');
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    const owner = Number(readFileSync(file, 'utf8'));
    if (owner && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `the embedded database in ${dir} is in use by process ${owner}; stop it first (or use DATABASE_URL for several processes)`,
      );
    }
    writeFileSync(file, String(process.pid));
  }
  const release = () => {
    try {
      if (Number(readFileSync(file, 'utf8')) === process.pid) unlinkSync(file);
    } catch {
      /* already gone */
    }
  };
  process.once('exit', release);
  return release;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Queryable = Pick<PGlite, 'query' | 'exec'>;

/**
 * PGlite runs every statement on the main thread, and an await chain of statements never returns
 * to the event loop: one long piece of work (an import, a reindex, the outbox worker's batch)
 * would stall every request. Each statement first yields (setImmediate), so the longest stall is
 * one statement. Inside a transaction this is safe: PGlite holds other queries until it ends.
 */
function cooperative<T extends PGlite>(pg: T): T {
  const wrap = (target: Queryable) => {
    const query = target.query.bind(target);
    const exec = target.exec.bind(target);
    target.query = (async (...args: Parameters<PGlite['query']>) => {
      await yieldToEventLoop();
      return query(...args);
    }) as PGlite['query'];
    target.exec = (async (...args: Parameters<PGlite['exec']>) => {
      await yieldToEventLoop();
      return exec(...args);
    }) as PGlite['exec'];
  };
  wrap(pg);
  const transaction = pg.transaction.bind(pg);
  pg.transaction = (<R>(fn: (tx: Parameters<Parameters<PGlite['transaction']>[0]>[0]) => Promise<R>) =>
    transaction((tx) => {
      wrap(tx);
      return fn(tx);
    })) as PGlite['transaction'];
  return pg;
}

/** PGlite runs in this process: once LISTEN is in place it cannot be lost. */
async function listenPglite(pg: PGlite, channel: string, onNotify: (payload: string) => void, onState?: (listening: boolean) => void) {
  const off = await pg.listen(channel, onNotify);
  onState?.(true);
  return async () => {
    onState?.(false);
    await off();
  };
}

/** An in-memory PGlite database (tests of the embedded path). */
export async function openMemoryDatabase(): Promise<Database> {
  const pg = cooperative(await PGlite.create());
  const db = drizzlePglite(pg, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(drizzlePglite(pg), { migrationsFolder }),
    ping: async () => void (await pg.query('select 1')),
    probe: async () => void (await pg.query('select 1')),
    listen: (channel, onNotify, onState) => listenPglite(pg, channel, onNotify, onState),
    close: () => pg.close(),
  };
}
