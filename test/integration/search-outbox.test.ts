/**
 * The outbox keeps the index in step with PostgreSQL through a Meilisearch outage: writes succeed
 * while it is down, search answers 503, and after a restart the index matches the database with no
 * update lost — via drain(), via the background worker's retry loop, and with several workers.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SearchIndex } from '../../server/search/meili-index.js';
import postgres from 'postgres';
import { COLLECTION_LOCK_NS, Mutex, OutboxWorker } from '../../server/search/outbox-worker.js';
import { createSearch } from '../../server/search/runtime.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { buildSearchTestApp, renameCollection, startTestMeili, type SearchTestApp, type TestMeili } from '../helpers/search.js';

let tdb: TestDatabase;
let meili: TestMeili;
let t: SearchTestApp;
let admin: string;
let provider: string;

beforeAll(async () => {
  [tdb, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
  t = await buildSearchTestApp(tdb.database, meili);
  admin = await t.user({ admin: true });
  provider = await t.provider();
});

afterAll(async () => {
  await t?.search.stop();
  await Promise.all([meili?.destroy(), tdb?.drop()]);
});

const rows = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

async function databaseState(): Promise<Record<string, string>> {
  const r = rows<{ id: string; title: string }>(
    await tdb.database.db.execute(sql`select id, title from collection where publication_state = 'published'`),
  );
  return Object.fromEntries(r.map((x) => [x.id, x.title]));
}

async function indexState(): Promise<Record<string, string>> {
  const { results } = await t.search.index.index().getDocuments({ limit: 10_000, fields: ['id', 'title'] });
  return Object.fromEntries(results.map((d) => [d.id, d.title]));
}

const rename = (id: string, title: string) => renameCollection(t, admin, id, title);

const newCollection = async (title: string, publish = true) =>
  (await t.collection(provider, { title, xnat: { instance: 'https://xnat.test.org', projectId: `P_${Math.random().toString(36).slice(2, 10)}`, visibility: 'public' } }, { publish })).id as string;

it('accepts writes while Meilisearch is down and catches up after a restart', async () => {
  const a = await newCollection('Alpha lung cohort');
  const b = await newCollection('Beta breast cohort');
  const c = await newCollection('Gamma liver cohort');
  await t.drain();
  expect(await indexState()).toEqual(await databaseState());

  await meili.stop();
  // Writes succeed: the outbox row is written in the same transaction as the collection.
  const d = await newCollection('Delta prostate cohort');
  await rename(a, 'Alpha lung cohort v2');
  await rename(a, 'Alpha lung cohort v3');
  await rename(b, 'Beta breast cohort v2');
  const w = await t.call('POST', `/api/v1/collections/${encodeURIComponent(c)}/withdraw`, { as: admin, body: { reason: 'retracted' } });
  expect(w.status).toBe(200);
  const draft = await newCollection('Epsilon draft', false);

  const down = await t.call('GET', '/api/v1/search?q=cohort');
  expect(down.status).toBe(503);
  expect(down.headers.get('content-type')).toContain('application/problem+json');
  expect(down.body.code).toBe('search_unavailable');
  expect((await t.call('GET', '/api/v1/search/suggest?q=alp')).status).toBe(503);
  const ready = await t.call('GET', '/readyz');
  expect(ready.status).toBe(503);
  expect(ready.body.checks.search).toBe('unavailable');

  await expect(t.drain()).rejects.toThrow();
  expect(await t.search.worker.pending()).toBeGreaterThan(0);
  const failed = rows<{ n: number }>(await tdb.database.db.execute(sql`select count(*)::int as n from search_outbox where processed_at is null and attempts > 0 and last_error is not null`));
  expect(Number(failed[0]!.n)).toBeGreaterThan(0);

  await meili.start();
  expect(await t.drain()).toBeGreaterThan(0);
  expect(await t.search.worker.pending()).toBe(0);
  const state = await indexState();
  expect(state).toEqual(await databaseState());
  expect(state[a]).toBe('Alpha lung cohort v3');
  expect(state[d]).toBe('Delta prostate cohort');
  expect(state[c]).toBeUndefined();
  expect(state[draft]).toBeUndefined();
  const up = await t.call('GET', '/api/v1/search?q=cohort');
  expect(up.status).toBe(200);
  expect(up.body.total).toBe(3);
});

it('the background worker retries with backoff and catches up by itself', async () => {
  const attemptsOf = async (id: string) =>
    rows<{ attempts: number }>(await tdb.database.db.execute(sql`select max(attempts)::int as attempts from search_outbox where collection_id = ${id}`))[0]!.attempts;
  const s = await createSearch({
    client: meili.meili.connection().client,
    indexName: t.search.index.name,
    database: tdb.database,
    runWorker: true,
    pollMs: 50,
    maxBackoffMs: 300,
  });
  try {
    await meili.stop();
    const ids = [await newCollection('Zeta colon cohort'), await newCollection('Eta kidney cohort')];
    await rename(ids[0]!, 'Zeta colorectal cohort');
    await new Promise((r) => setTimeout(r, 1500));
    expect(s.worker.lastError).toBeDefined();
    // Backoff: polling every 50 ms would try ~30 times in 1.5 s; doubling from 100 ms up to the
    // 300 ms cap (±25% jitter) tries about 6 times.
    const attempts = await attemptsOf(ids[0]!);
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(10);
    await meili.start();
    const deadline = Date.now() + 20_000;
    while ((await s.worker.pending()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await s.worker.pending()).toBe(0);
    expect(await indexState()).toEqual(await databaseState());
  } finally {
    await s.stop();
  }
});

it('several workers share the queue and leave every collection at its latest version', async () => {
  const ids = [await newCollection('Theta one'), await newCollection('Iota two'), await newCollection('Kappa three')];
  for (let round = 1; round <= 6; round++) {
    for (const id of ids) await rename(id, `${id} round ${round}`);
  }
  // Separate mutexes: as if in separate processes; only PostgreSQL locks coordinate them.
  const workers = [0, 1, 2].map(
    () => new OutboxWorker({ database: tdb.database, index: t.search.index, mutex: new Mutex(), batchSize: 2 }),
  );
  await Promise.all(workers.map((w) => w.drain()));
  expect(await t.search.worker.pending()).toBe(0);
  const state = await indexState();
  expect(state).toEqual(await databaseState());
  for (const id of ids) expect(state[id]).toBe(`${id} round 6`);
});

it('waits for the per-collection lock, so two workers never push one collection\'s versions out of order', async () => {
  const id = await newCollection('Nu before the lock');
  await t.drain();
  // Another worker's batch, as PostgreSQL sees it: a transaction holding this collection's lock.
  const other = postgres(tdb.url, { max: 1, onnotice: () => {} });
  try {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const isHeld = new Promise<void>((r) => (held = r));
    const holding = other.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${COLLECTION_LOCK_NS}, hashtext(${id}))`;
      held();
      await released;
    });
    await isHeld;
    await rename(id, 'Nu renamed under the lock');
    const worker = new OutboxWorker({ database: tdb.database, index: t.search.index, mutex: new Mutex() });
    let finished = false;
    const draining = worker.drain().then(() => (finished = true));
    await new Promise((r) => setTimeout(r, 1000));
    expect(finished).toBe(false);
    expect((await indexState())[id]).toBe('Nu before the lock');
    release();
    await holding;
    await draining;
    expect((await indexState())[id]).toBe('Nu renamed under the lock');
  } finally {
    await other.end();
  }
});

it('lets go of an update Meilisearch keeps rejecting instead of blocking the queue', async () => {
  // An index whose primary key is `id`: our ids contain ':', which Meilisearch rejects as document ids.
  const client = meili.meili.connection().client;
  await client.createIndex('t_rejecting', { primaryKey: 'id' }).waitTask();
  const rejecting = new OutboxWorker({ database: tdb.database, index: new SearchIndex(client, 't_rejecting'), mutex: new Mutex() });
  const ids = [await newCollection('Lambda rejected'), await newCollection('Mu rejected')];
  let failures = 0;
  for (let i = 0; i < 30; i++) {
    try {
      await rejecting.drain();
      break;
    } catch {
      failures++;
    }
  }
  expect(failures).toBeGreaterThan(0);
  expect(await rejecting.pending()).toBe(0);
  const rowsLeft = rows<{ last_error: string; attempts: number }>(
    await tdb.database.db.execute(sql`select last_error, attempts from search_outbox where collection_id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`),
  );
  expect(rowsLeft.length).toBeGreaterThanOrEqual(ids.length);
  for (const r of rowsLeft) {
    expect(r.last_error).toMatch(/^gave up: /);
    expect(r.attempts).toBe(5);
  }
});
