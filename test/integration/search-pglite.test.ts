/**
 * The embedded default (`npm start` without DATABASE_URL) runs on PGlite, where the worker and the
 * reindex cannot hold a transaction across Meilisearch calls: the same guarantees, checked there.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openMemoryDatabase, type Database } from '../../server/db/client.js';
import { buildSearchTestApp, startTestMeili, type SearchTestApp, type TestMeili } from '../helpers/search.js';

let database: Database;
let meili: TestMeili;
let t: SearchTestApp;
let admin: string;
let provider: string;

beforeAll(async () => {
  database = await openMemoryDatabase();
  await database.migrate();
  meili = await startTestMeili();
  t = await buildSearchTestApp(database, meili);
  admin = await t.user({ admin: true });
  provider = await t.provider();
});
afterAll(async () => {
  await t?.search.stop();
  await meili?.destroy();
  await database?.close();
});

const xnat = (visibility: string) =>
  ({ instance: 'https://xnat.test.org', projectId: `P_${Math.random().toString(36).slice(2, 10)}`, visibility }) as never;
const titles = async (as?: string) =>
  ((await t.call('GET', '/api/v1/search?hitsPerPage=100', { as })).body.hits as { title: string }[]).map((h) => h.title).sort();

it('indexes, hides private collections, survives an outage and reindexes', async () => {
  await t.collection(provider, { title: 'Public lung', xnat: xnat('public') });
  await t.collection(provider, { title: 'Private brain', xnat: xnat('private') });
  await t.drain();
  expect(await titles()).toEqual(['Public lung']);
  expect(await titles(admin)).toEqual(['Private brain', 'Public lung']);

  await meili.stop();
  await t.collection(provider, { title: 'Written while down', xnat: xnat('public') });
  expect((await t.call('GET', '/api/v1/search')).status).toBe(503);
  await expect(t.drain()).rejects.toThrow();
  await meili.start();
  await t.drain();
  expect(await titles()).toEqual(['Public lung', 'Written while down']);

  const status = await t.search.reindexer.run();
  expect(status).toMatchObject({ state: 'succeeded', done: 3, total: 3 });
  expect(await titles(admin)).toEqual(['Private brain', 'Public lung', 'Written while down']);
});
