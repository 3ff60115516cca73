/**
 * The outbox worker wakes when outbox rows are committed (NOTIFY from a trigger, LISTEN in the
 * worker) instead of waiting for its next poll: with the poll set to ten minutes, a published
 * collection and an edit are searchable long before the poll — on PostgreSQL and on embedded PGlite.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMemoryDatabase, type Database } from '../../server/db/client.js';
import { documentKey } from '../../server/search/document.js';
import { createSearch, type SearchServices } from '../../server/search/index.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { renameCollection, startTestMeili, type TestMeili } from '../helpers/search.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let meili: TestMeili;
beforeAll(async () => {
  meili = await startTestMeili();
});
afterAll(async () => meili?.destroy());

for (const kind of ['postgres', 'pglite'] as const) {
  describe(`on ${kind}`, () => {
    let tdb: TestDatabase | undefined;
    let database: Database;
    let search: SearchServices;
    let t: TestApp;

    beforeAll(async () => {
      if (kind === 'postgres') {
        tdb = await createTestDatabase();
        database = tdb.database;
      } else {
        database = await openMemoryDatabase();
        await database.migrate();
      }
      search = await createSearch({
        client: meili.meili.connection().client,
        indexName: `t_${randomBytes(4).toString('hex')}`,
        database,
        runWorker: true,
        pollMs: 600_000,
      });
      t = await buildTestApp(database, { modules: [search.module] });
      await sleep(300); // the worker's first (empty) pass
    });

    afterAll(async () => {
      await search?.stop();
      if (tdb) await tdb.drop();
      else await database?.close();
    });

    async function titleInIndex(id: string, title: string) {
      // Generous: the poll is ten minutes away, so anything under it proves the wake-up (a loaded CI
      // machine can take seconds to index).
      const deadline = Date.now() + 30_000;
      for (;;) {
        const doc = await search.index
          .index()
          .getDocument(documentKey(id))
          .catch(() => undefined);
        if (doc?.title === title) return Date.now();
        if (Date.now() > deadline) throw new Error(`"${title}" not in the index after 30 s`);
        await sleep(50);
      }
    }

    it('indexes a new collection and an edit within seconds, long before the next poll', async () => {
      const admin = await t.user({ admin: true });
      const provider = await t.provider();
      const c = await t.collection(provider, { title: 'Wake-up cohort' }, { as: admin });
      await titleInIndex(c.id, 'Wake-up cohort');
      const started = Date.now();
      await renameCollection(t, admin, c.id, 'Wake-up cohort, renamed');
      expect((await titleInIndex(c.id, 'Wake-up cohort, renamed')) - started).toBeLessThan(30_000);
    });
  });
}
