/**
 * `/readyz` says ready only once the seeded catalogue is searchable: right after the seed the index
 * has not caught up (search would answer nothing), so the probe must say "indexing" until it has.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDatabase } from '../../seed/seed.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { buildSearchTestApp, startTestMeili, type SearchTestApp, type TestMeili } from '../helpers/search.js';

let tdb: TestDatabase;
let meili: TestMeili;
let t: SearchTestApp;

beforeAll(async () => {
  [tdb, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
  // As `npm start` does: the search runtime is up, then the empty catalogue is seeded.
  t = await buildSearchTestApp(tdb.database, meili);
  await seedDatabase(tdb.database.db);
});

afterAll(async () => {
  await t?.search.stop();
  await Promise.all([meili?.destroy(), tdb?.drop()]);
});

const rows = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

it('is not ready until the seeded catalogue is in the index, then stays ready', async () => {
  const [{ n: visible }] = rows<{ n: number }>(
    await tdb.database.db.execute(
      sql`select count(*)::int as n from collection where publication_state = 'published' and visibility <> 'private'`,
    ),
  ) as [{ n: number }];
  expect(visible).toBeGreaterThan(150);

  const before = await t.call('GET', '/readyz');
  expect(before.status).toBe(503);
  expect(before.body).toMatchObject({ status: 'not ready', checks: { database: 'ok', search: 'indexing' } });
  // What a load balancer would have sent traffic to: a search that finds nothing.
  expect((await t.call('GET', '/api/v1/search?hitsPerPage=1')).body.total).toBe(0);

  await t.drain();
  // Writes keep coming (other instances, users): what is written after the first probe does not
  // hold readiness back — the seeded catalogue is what had to be searchable.
  const admin = await t.user({ admin: true });
  const provider = await t.provider();
  await t.collection(provider, {}, { as: admin });
  expect(await t.search.worker.pending()).toBeGreaterThan(0);
  const after = await t.call('GET', '/readyz');
  expect(after.status).toBe(200);
  expect(after.body).toEqual({ status: 'ready', checks: { database: 'ok', search: 'ok' } });
  expect((await t.call('GET', '/api/v1/search?hitsPerPage=1')).body.total).toBe(Number(visible));

  // Once ready, a backlog does not take the instance out of rotation.
  await t.collection(provider, {}, { as: admin });
  expect((await t.call('GET', '/readyz')).status).toBe(200);
});
