/**
 * XNAT role-sync benchmark: `npx tsx bench/sync/run.ts [--approvals 1000] [--rate 20] [--poll 2]
 * [--projects 1000] [--per-project 10] [--concurrency 4]`.
 *
 * 1. A fresh PostgreSQL database and the XNAT emulator in its own process (`npm run xnat-emulator`).
 * 2. Approvals: `--approvals` grants requested at `--rate` per second (each in its own transaction, as
 *    the access workflow does), spread over approvals/10 projects, run by one in-process job engine (pg-boss, polling every `--poll` s
 *    when idle). Latency = commit of the approval → the grant confirmed by read-back (the listener's
 *    `active`). Reports p50/p95/max and throughput, and checks every role in XNAT.
 * 3. Reconcile: `--projects` × `--per-project` grants already applied (rows + XNAT memberships), 1 %
 *    of them then removed by hand in XNAT; a reconcile of every project with `--concurrency` workers
 *    in parallel. Reports total time, per-project p50/p95, drift found and repaired.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { ANONYMOUS } from '../../server/auth/actor.js';
import { ensureUser } from '../../server/auth/queries.js';
import { systemContext, withTransaction } from '../../server/core/context.js';
import { openDatabase } from '../../server/db/client.js';
import { JobEngine } from '../../server/jobs/index.js';
import { createLogger } from '../../server/log.js';
import { configureXnat, onGrantStateChange, requestGrant } from '../../server/xnat/index.js';
import { makeJobs } from '../../server/xnat/jobs.js';
import { XnatClient } from '../../server/xnat/client.js';
import { insertGrant, insertInstance, saveMembership, upsertAccount } from '../../server/xnat/queries.js';
import { sealCredentials } from '../../server/xnat/secrets.js';
import { syncProject } from '../../server/xnat/sync.js';

const { values: o } = parseArgs({
  options: {
    approvals: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '20' },
    poll: { type: 'string', default: '2' },
    projects: { type: 'string', default: '1000' },
    'per-project': { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
  },
});
const N = Number(o.approvals),
  RATE = Number(o.rate),
  POLL = Number(o.poll);
const PROJECTS = Number(o.projects),
  PER = Number(o['per-project']),
  CONC = Number(o.concurrency);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function startEmulator(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/xnat/emulator/cli.ts', '--port', '0', '--no-demo'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /XNAT emulator on (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (c) => reject(new Error(`emulator exited ${c}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** Admin calls to the emulator to create users, projects and memberships (setup, not measured). */
async function xnat(url: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
      'content-type': 'application/json',
      'User-Agent': 'bench',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status}`);
}

async function main() {
  const dbName = `xnat_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 8 });
  await database.migrate();
  const db = database.db;
  const emu = await startEmulator();
  const key = randomBytes(32);
  configureXnat({ key, timeoutMs: 10_000 });
  const now = new Date();
  await insertInstance(db, {
    id: 'bench',
    key: emu.url,
    url: emu.url,
    name: 'bench',
    authKind: 'password',
    credentials: sealCredentials(key, { kind: 'password', username: 'admin', password: 'admin' }),
    createdAt: now,
    modifiedAt: now,
  });
  const engine = new JobEngine({
    database,
    connectionString: url.toString(),
    jobs: makeJobs(),
    log: createLogger('silent'),
    pollingIntervalSeconds: POLL,
  });
  const ctx = () => systemContext(db, ANONYMOUS, { jobs: engine });
  try {
    // ---- approvals ----
    const users = Math.max(N, PER);
    console.log(`setup: ${users} users, ${Math.ceil(N / 10)} projects in XNAT and the catalogue …`);
    for (let i = 0; i < users; i++) {
      await xnat(emu.url, 'POST', '/xapi/users', {
        username: `u${i}`,
        password: 'x',
        firstName: 'U',
        lastName: String(i),
        email: `u${i}@example.org`,
      });
      await ensureUser(db, { id: `u${i}`, name: `u${i}` });
      await upsertAccount(db, { userId: `u${i}`, instanceId: 'bench', username: `u${i}`, verifiedAt: now });
    }
    for (let p = 0; p < Math.ceil(N / 10); p++) await xnat(emu.url, 'PUT', `/data/projects/A${p}?accessibility=private`);
    await engine.start({ work: true });

    const approvedAt = new Map<string, number>();
    const latency: number[] = [];
    const off = onGrantStateChange(async (_c, e) => {
      if (e.state === 'active' && approvedAt.has(e.itemId)) latency.push(e.at.getTime() - approvedAt.get(e.itemId)!);
    });
    console.log(`approvals: ${N} at ${RATE}/s, job engine polling every ${POLL} s when idle …`);
    const t0 = Date.now();
    for (let i = 0; i < N; i++) {
      const due = t0 + (i * 1000) / RATE;
      if (due > Date.now()) await sleep(due - Date.now());
      const itemId = `item-${i}`;
      await withTransaction(ctx(), (tx) =>
        requestGrant(tx, { itemId, userId: `u${i}`, instanceId: 'bench', projectId: `A${i % Math.ceil(N / 10)}`, role: 'member' }),
      );
      approvedAt.set(itemId, Date.now());
    }
    while (latency.length < N && Date.now() - t0 < 30 * 60_000) await sleep(100);
    const total = (Date.now() - t0) / 1000;
    off();
    const check = new XnatClient({ baseUrl: emu.url, credentials: { kind: 'password', username: 'admin', password: 'admin' } });
    let wrong = 0;
    for (let p = 0; p < Math.ceil(N / 10); p++) {
      const m = await check.projectMembers(`A${p}`);
      for (let i = p; i < N; i += Math.ceil(N / 10)) if (m.find((x) => x.login === `u${i}`)?.role !== 'member') wrong++;
    }
    console.log(
      `approval → confirmed role: n=${latency.length} p50=${pct(latency, 50)} ms p95=${pct(latency, 95)} ms max=${Math.max(...latency)} ms; ${(latency.length / total).toFixed(1)} confirmed/s over ${total.toFixed(1)} s; wrong roles in XNAT: ${wrong}`,
    );
    await engine.stop();

    // ---- reconcile ----
    console.log(`reconcile setup: ${PROJECTS} projects × ${PER} applied grants …`);
    const grants: Parameters<typeof insertGrant>[1][] = [];
    for (let p = 0; p < PROJECTS; p++) {
      await xnat(emu.url, 'PUT', `/data/projects/R${p}?accessibility=private`);
      for (let j = 0; j < PER; j++) {
        const u = `u${(p * PER + j) % users}`;
        await xnat(emu.url, 'PUT', `/data/projects/R${p}/users/R${p}_member/${u}`);
        grants.push({
          id: `r-${p}-${j}`,
          instanceId: 'bench',
          projectId: `R${p}`,
          userId: u,
          username: u,
          role: 'member',
          sourceType: 'access_item',
          sourceId: `r-${p}-${j}`,
          desired: 'present',
          applied: 'present',
          confirmedAt: now,
          createdAt: now,
          modifiedAt: now,
        });
      }
    }
    for (let i = 0; i < grants.length; i += 1000) await insertGrant(db, grants.slice(i, i + 1000) as never);
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = w; i < grants.length; i += 8)
          await saveMembership(db, 'bench', grants[i]!.projectId, grants[i]!.username!, { priorRole: null, managedRole: 'member' }, now);
      }),
    );
    const drifted = grants.filter((_, i) => i % 100 === 0);
    for (const g of drifted) await xnat(emu.url, 'DELETE', `/data/projects/${g.projectId}/users/${g.projectId}_member/${g.username}`);

    console.log(`reconcile: ${grants.length} grants over ${PROJECTS} projects, ${drifted.length} removed by hand, ${CONC} workers …`);
    const per: number[] = [];
    let driftFound = 0;
    const queue = Array.from({ length: PROJECTS }, (_, p) => `R${p}`);
    const r0 = Date.now();
    await Promise.all(
      Array.from({ length: CONC }, async () => {
        for (let p = queue.shift(); p; p = queue.shift()) {
          const s = Date.now();
          const out = await syncProject(ctx(), 'bench', p, { reconcile: true });
          driftFound += out.drift.length;
          per.push(Date.now() - s);
        }
      }),
    );
    const rt = (Date.now() - r0) / 1000;
    let missing = 0;
    for (const g of drifted)
      if ((await check.projectMembers(g.projectId)).find((x) => x.login === g.username)?.role !== 'member') missing++;
    console.log(
      `reconcile: ${rt.toFixed(1)} s total (${(grants.length / rt).toFixed(0)} grants/s), per project p50=${pct(per, 50)} ms p95=${pct(per, 95)} ms; drift found ${driftFound}, still missing after repair ${missing}`,
    );
  } finally {
    await engine.stop().catch(() => {});
    emu.stop();
    await database.close();
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
