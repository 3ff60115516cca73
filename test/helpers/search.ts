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
import { buildTestApp, type TestApp } from './app.js';

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

/** Change a collection's title through the API (GET, then PUT with If-Match). */
export async function renameCollection(t: TestApp, as: string, id: string, title: string): Promise<void> {
  const path = `/api/v1/collections/${encodeURIComponent(id)}`;
  const cur = await t.call('GET', path, { as });
  const doc: Record<string, unknown> = { ...cur.body, title };
  // System fields the API returns but does not accept.
  for (const k of [
    'publicationState',
    'derived',
    'createdAt',
    'modifiedAt',
    'publishedAt',
    'withdrawnAt',
    'withdrawnReason',
    'revision',
    'actions',
  ])
    delete doc[k];
  const res = await t.call('PUT', path, { as, body: doc, headers: { 'if-match': `"${cur.body.revision}"` } });
  if (res.status !== 200) throw new Error(`rename: ${res.status} ${JSON.stringify(res.body)}`);
}
