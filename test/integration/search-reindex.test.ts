/**
 * Full reindex: admin API (auth, 202, progress), atomic swap with no leftover indexes, changes made
 * during a rebuild kept, rebuilds triggered by a settings-version change or a missing index, and
 * the `npm run reindex` CLI.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS_VERSION } from '../../server/search/index-settings.js';
import { Mutex } from '../../server/search/outbox-worker.js';
import { Reindexer } from '../../server/search/reindex.js';
import { createSearch } from '../../server/search/runtime.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { buildSearchTestApp, renameCollection, startTestMeili, type SearchTestApp, type TestMeili } from '../helpers/search.js';

let tdb: TestDatabase;
let meili: TestMeili;
let t: SearchTestApp;
let admin: string;
let researcher: string;
let provider: string;

const newCollection = async (title: string) =>
  (await t.collection(provider, { title, xnat: { instance: 'https://xnat.test.org', projectId: `P_${Math.random().toString(36).slice(2, 10)}`, visibility: 'public' } })).id as string;

beforeAll(async () => {
  [tdb, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
  t = await buildSearchTestApp(tdb.database, meili);
  admin = await t.user({ admin: true });
  researcher = await t.user();
  provider = await t.provider();
  for (const title of ['Lung one', 'Lung two', 'Breast three', 'Liver four', 'Brain five', 'Kidney six']) await newCollection(title);
  await t.drain();
});

afterAll(async () => {
  await t?.search.stop();
  await Promise.all([meili?.destroy(), tdb?.drop()]);
});

const rename = (id: string, title: string) => renameCollection(t, admin, id, title);

const rows = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
const client = () => meili.meili.connection().client;

async function databaseState() {
  const r = rows<{ id: string; title: string }>(await tdb.database.db.execute(sql`select id, title from collection where publication_state = 'published'`));
  return Object.fromEntries(r.map((x) => [x.id, x.title]));
}
async function indexState(name = t.search.index.name) {
  const { results } = await client().index(name).getDocuments({ limit: 10_000, fields: ['id', 'title'] });
  return Object.fromEntries(results.map((d) => [d.id as string, d.title as string]));
}
const indexNames = async () => (await client().getRawIndexes({ limit: 1000 })).results.map((r) => r.uid).sort();

describe('admin API', () => {
  it('is for admins only', async () => {
    expect((await t.call('POST', '/api/v1/admin/reindex')).status).toBe(401);
    expect((await t.call('POST', '/api/v1/admin/reindex', { as: researcher })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/admin/reindex/status', { as: researcher })).status).toBe(403);
  });

  it('rebuilds in the background, reports progress and swaps atomically', async () => {
    const before = await indexNames();
    const res = await t.call('POST', '/api/v1/admin/reindex', { as: admin });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe('/api/v1/admin/reindex/status');
    expect(res.body.state).toBe('running');
    expect((await t.call('POST', '/api/v1/admin/reindex', { as: admin })).status).toBe(409);
    let status = res.body;
    const deadline = Date.now() + 30_000;
    while (status.state === 'running' && Date.now() < deadline) {
      // Search keeps answering during the rebuild, from the complete old index: readers never see
      // the new one half-filled (the swap is atomic).
      const during = await t.call('GET', '/api/v1/search');
      expect(during.status).toBe(200);
      expect(during.body.total).toBe(6);
      await new Promise((r) => setTimeout(r, 50));
      status = (await t.call('GET', '/api/v1/admin/reindex/status', { as: admin })).body;
    }
    expect(status).toMatchObject({ state: 'succeeded', done: 6, total: 6 });
    expect(await indexNames()).toEqual(before);
    expect(await indexState()).toEqual(await databaseState());
    expect((await t.call('GET', '/api/v1/search')).body.total).toBe(6);
  });
});

it('keeps changes made while the new index was being filled', async () => {
  const r = new Reindexer({ database: tdb.database, index: t.search.index, mutex: new Mutex(), batchSize: 2 });
  let changed = false;
  const progress: number[] = [];
  let late = '';
  const existing = Object.keys(await databaseState());
  await r.run(async (done) => {
    progress.push(done);
    if (done >= 2 && !changed) {
      changed = true;
      // Applied to the old live index by the worker, and partly to rows the rebuild has already
      // read: the swap must not lose them.
      late = await newCollection('Pancreas seven (added during rebuild)');
      for (const id of existing) await rename(id, `${id} renamed during rebuild`);
      await t.drain();
    }
  });
  expect(progress[0]).toBe(0);
  expect(progress.at(-1)).toBeGreaterThanOrEqual(6);
  const state = await indexState();
  expect(state[late]).toBe('Pancreas seven (added during rebuild)');
  for (const id of existing) expect(state[id]).toBe(`${id} renamed during rebuild`);
  expect(state).toEqual(await databaseState());
});

it('rebuilds at start-up when the settings version changed or the index is missing', async () => {
  const name = t.search.index.name;
  await t.search.index.setStoredVersion(SETTINGS_VERSION - 1);
  const s1 = await createSearch({ client: client(), indexName: name, database: tdb.database, runWorker: false });
  expect(s1.reindexer.running).toBe(true);
  expect((await s1.reindexer.settled()).state).toBe('succeeded');
  expect(await s1.index.storedVersion()).toBe(SETTINGS_VERSION);
  expect(await indexState()).toEqual(await databaseState());

  await client().deleteIndex(name).waitTask();
  const s2 = await createSearch({ client: client(), indexName: name, database: tdb.database, runWorker: false });
  expect((await s2.reindexer.settled()).state).toBe('succeeded');
  expect(await indexState()).toEqual(await databaseState());
  expect((await client().index(name).getSettings()).filterableAttributes).toContain('icd10Tree');
  await Promise.all([s1.stop(), s2.stop()]);
});

it('runs from the command line with progress', async () => {
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'server/cli/reindex.ts'], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, DATABASE_URL: tdb.url, MEILI_URL: meili.url, MEILI_API_KEY: meili.apiKey, MEILI_INDEX: t.search.index.name, LOG_LEVEL: 'info' },
    timeout: 60_000,
  });
  expect(stdout).toMatch(/reindex: 0\/7 documents/);
  expect(stdout).toMatch(/reindex: done, 7 documents/);
  expect(await indexState()).toEqual(await databaseState());
});
