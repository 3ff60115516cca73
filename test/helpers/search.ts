/**
 * A real Meilisearch for an integration-test file (the bundled binary, started in ~0.1 s on a free
 * port in a temp dir) and the app wired to it with a per-file index name. The outbox worker does
 * not run by itself: tests call `drain()` so they decide when the index catches up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Database } from '../../server/db/client.js';
import { createLogger } from '../../server/log.js';
import { EmbeddedMeili } from '../../server/search/meili-process.js';
import { createSearch, type SearchOptions, type SearchServices } from '../../server/search/runtime.js';
import type { AppDeps } from '../../server/app.js';
import { buildTestApp, siteCast, stripSystem, type TestApp } from './app.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestMeili {
  meili: EmbeddedMeili;
  url: string;
  apiKey: string;
  /** Stop it (data kept); `start()` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stop and delete its data dir. */
  destroy(): Promise<void>;
}

export async function startTestMeili(): Promise<TestMeili> {
  const dir = mkdtempSync(path.join(tmpdir(), 'meili-test-'));
  const meili = new EmbeddedMeili({ dir });
  const conn = await meili.start();
  return {
    meili,
    url: conn.url,
    apiKey: meili.masterKey,
    stop: () => meili.stop(),
    start: async () => void (await meili.start()),
    destroy: async () => {
      await meili.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SearchTestApp extends TestApp {
  search: SearchServices;
  /** Apply every pending outbox row to the index. */
  drain(): Promise<number>;
}

export async function buildSearchTestApp(
  database: Database,
  meili: TestMeili,
  opts: Partial<Omit<SearchOptions, 'database' | 'client'>> = {},
  /** Further modules to mount next to search (e.g. the jobs module). */
  modules: NonNullable<AppDeps['modules']> = [],
): Promise<SearchTestApp> {
  const search = await createSearch({
    client: meili.meili.connection().client,
    indexName: opts.indexName ?? `t_${randomBytes(4).toString('hex')}`,
    database,
    runWorker: false,
    ...opts,
  });
  const t = await buildTestApp(database, {
    modules: [search.module, ...modules],
    ...(process.env.TEST_LOG ? { logger: createLogger('debug') } : {}),
  });
  return { ...t, search, drain: () => search.worker.drain() };
}

export interface SearchBed {
  tdb: TestDatabase;
  meili: TestMeili;
  t: SearchTestApp;
  /** For afterAll: stops search and Meilisearch, drops the database. */
  close(): Promise<void>;
}

/** A test file's own database, Meilisearch and search app (started side by side). */
export async function searchBed(): Promise<SearchBed> {
  const [tdb, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
  const t = await buildSearchTestApp(tdb.database, meili);
  return {
    tdb,
    meili,
    t,
    close: async () => {
      await t.search.stop();
      await Promise.all([meili.destroy(), tdb.drop()]);
    },
  };
}

export type SearchSiteBed = SearchBed & Awaited<ReturnType<typeof siteCast>>;

/** `searchBed` with the site cast (one provider with a data manager, an admin, an outsider). */
export async function searchSiteBed(): Promise<SearchSiteBed> {
  const bed = await searchBed();
  return { ...bed, ...(await siteCast(bed.t)) };
}

/** Change a collection's title through the API (GET, then PUT with If-Match). */
export async function renameCollection(t: TestApp, as: string, id: string, title: string): Promise<void> {
  const path = `/api/v1/collections/${encodeURIComponent(id)}`;
  const cur = await t.call('GET', path, { as });
  const doc = { ...stripSystem(cur.body), title };
  const res = await t.call('PUT', path, { as, body: doc, headers: { 'if-match': `"${cur.body.revision}"` } });
  if (res.status !== 200) throw new Error(`rename: ${res.status} ${JSON.stringify(res.body)}`);
}
