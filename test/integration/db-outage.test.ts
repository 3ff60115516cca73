/**
 * A PostgreSQL outage under write load, against the real server process in DATABASE_URL mode: the
 * test database's backends are terminated and new connections refused (ALLOW_CONNECTIONS false),
 * three times. The process survives, answers 503 `database_unavailable` with Retry-After (reads at
 * once, a burst of them too), /readyz says so, and writes succeed again by themselves once the
 * database is back.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { ensureUser } from '../../server/auth/queries.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { devToken, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { validCollection } from '../helpers/app.js';

let tdb: TestDatabase;
let server: ServerProcess;
let admin: ReturnType<typeof postgres>;
let token: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  tdb = await createTestDatabase();
  await ensureUser(tdb.database.db, { id: 'outage-admin', name: 'Outage admin', isAdmin: true });
  await tdb.database.close();
  server = await startServerProcess({ DATABASE_URL: tdb.url, DATABASE_POOL_SIZE: '6' });
  admin = postgres(inject('adminDbUrl'), { max: 1, onnotice: () => {} });
  token = await devToken(server, 'outage-admin');
  const prov = await call('POST', '/api/v1/providers', { id: 'outage-site', name: 'Outage site', description: 'x', country: 'NL' });
  expect(prov.status).toBe(201);
}, 180_000);

afterAll(async () => {
  await admin?.unsafe(`alter database "${tdb.name}" allow_connections true`).catch(() => {});
  await server?.stop();
  await admin?.end();
  await tdb?.drop();
});

const slow: { ms: number; status: number }[] = [];
async function call(method: string, path: string, body?: unknown, timeoutMs = 30_000) {
  const t0 = Date.now();
  try {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (Date.now() - t0 > 3000) slow.push({ ms: Date.now() - t0, status: res.status });
    return { status: res.status, body: text ? JSON.parse(text) : undefined, retryAfter: res.headers.get('retry-after') };
  } catch (e) {
    slow.push({ ms: Date.now() - t0, status: 0 });
    return { status: 0, body: { error: String(e) }, retryAfter: null };
  }
}

let n = 0;
const createOne = (timeoutMs?: number) =>
  call(
    'POST',
    '/api/v1/collections',
    validCollection('outage-site', { xnat: { instance: 'https://xnat.test.org', projectId: `OUT_${n++}`, visibility: 'public' } }),
    timeoutMs,
  );

it('survives three database outages under write load, answers 503 meanwhile, and recovers by itself', async () => {
  const statuses: number[] = [];
  const problems: unknown[] = [];
  let load = true;
  const writers = Array.from({ length: 4 }, async () => {
    while (load) {
      const r = await createOne();
      statuses.push(r.status);
      // A backend terminated during a commit leaves the outcome unknown, and the answer says so.
      const unavailable = r.body?.code === 'database_unavailable' && r.retryAfter !== null;
      if (r.status >= 500 && !unavailable && r.body?.code !== 'outcome_unknown') problems.push(r);
      if (r.status >= 500) await sleep(50);
    }
  });

  for (let outage = 0; outage < 3; outage++) {
    await sleep(800);
    await admin.unsafe(`alter database "${tdb.name}" allow_connections false`);
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${tdb.name} and pid <> pg_backend_pid()`;
    await sleep(1500);
    // During the outage: 503 with the reason, and /readyz says so. The writers' answers are checked
    // below (503 database_unavailable with Retry-After, never another 5xx). Reads answer 503 at once,
    // a burst of them too: none waits its turn in the pool's reconnect queue (server/db/gate.ts).
    const reads = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const path = ['/api/v1/collections', '/api/v1/search?q=lung', '/api/v1/providers/outage-site', '/api/v1/me'][i % 4]!;
        const t0 = Date.now();
        return call('GET', path).then((r) => ({
          path,
          ms: Date.now() - t0,
          status: r.status,
          code: r.body?.code,
          retryAfter: r.retryAfter,
        }));
      }),
    );
    const late = reads.filter((r) => r.status !== 503 || r.code !== 'database_unavailable' || r.retryAfter === null || r.ms > 2000);
    expect(late, JSON.stringify(late.slice(0, 3))).toEqual([]);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.database).toBe('unavailable');
    expect(server.alive()).toBe(true);

    await admin.unsafe(`alter database "${tdb.name}" allow_connections true`);
    // Recovery without a restart.
    const t0 = Date.now();
    let back = false;
    while (Date.now() - t0 < 30_000) {
      const r = await createOne();
      if (r.status === 201) {
        back = true;
        break;
      }
      await sleep(200);
    }
    expect(back, `writes did not recover after outage ${outage + 1}`).toBe(true);
    // Ready again once the search index caught up with what was written meanwhile.
    let readyAgain = false;
    for (const t1 = Date.now(); !readyAgain && Date.now() - t1 < 60_000; await sleep(250))
      readyAgain = (await fetch(`${server.url}/readyz`)).status === 200;
    expect(readyAgain, 'ready again after the outage').toBe(true);
  }
  load = false;
  await Promise.all(writers);

  console.info(`requests slower than 3 s: ${JSON.stringify(slow)}`);
  expect(server.alive(), server.output().slice(-3000)).toBe(true);
  expect(problems, JSON.stringify(problems.slice(0, 3))).toEqual([]);
  // Load really ran, and really met the outages.
  expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(20);
  expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
  expect(server.output()).not.toMatch(/uncaught exception: exiting/);
}, 240_000);
