/**
 * Search benchmark: `npx tsx bench/search/run.ts --n 10000` (or 100000).
 *
 * 1. a fresh PostgreSQL database with N synthetic collections (data.ts);
 * 2. an embedded Meilisearch; indexing time of our reindex (PostgreSQL → documents → swap) against a
 *    direct bulk add of the same documents;
 * 3. the API in its own process, loaded with autocannon through `/api/v1/search` (anonymous, 2–3
 *    facet filters, most with a text query), then the identical Meilisearch requests sent straight
 *    to Meilisearch (the same `POST /multi-search`: main query + one disjunctive-count query per
 *    selected facet): p50/p95/p99 latency, throughput, errors, and the ratios ours/direct.
 *
 * Options: --n N, --duration S (30 per side, split into --rounds R alternating rounds, 3), --connections C (8),
 * --keep (leave the database and index),
 * --profile DIR (write a V8 CPU profile of the API process to DIR; it slows the API side).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { SearchQuery } from '../../schemas/search.js';
import { ANONYMOUS } from '../../server/auth/actor.js';
import { openDatabase } from '../../server/db/client.js';
import { SERVER_NODE_FLAGS } from '../../server/node-flags.js';
import { INDEX_SETTINGS } from '../../server/search/index-settings.js';
import { PRIMARY_KEY, SearchIndex, waitOk } from '../../server/search/meili-index.js';
import { EmbeddedMeili, freePort, meiliClient } from '../../server/search/meili-process.js';
import { Mutex } from '../../server/search/outbox-worker.js';
import { multiSearchBody, planSearch, toSearchResponse } from '../../server/search/query.js';
import { Reindexer } from '../../server/search/reindex.js';
import { indexableBatches } from '../../server/search/source.js';
import type { SearchDocument } from '../../server/search/document.js';
import { generateCatalogue, rng } from './data.js';

interface CannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}
interface CannonClient {
  setRequests(r: CannonRequest[]): void;
}
interface CannonResult {
  requests: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
interface CannonInstance {
  on(e: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (o: Record<string, unknown>, cb: (err: unknown, res: CannonResult) => void) => CannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '8' },
    keep: { type: 'boolean', default: false },
    profile: { type: 'string' },
    rounds: { type: 'string', default: '3' },
  },
});
const N = Number(args.n);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const ROUNDS = Math.max(1, Number(args.rounds));
const INDEX = 'bench';
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const say = (m: string) => console.log(`[bench] ${m}`);

async function main() {
  say(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const dbName = `bench_search_${N}_${Date.now()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
  const database = await openDatabase({ kind: 'postgres', url: dbUrl, poolSize: 8 });
  const meiliDir = mkdtempSync(path.join(os.tmpdir(), 'bench-meili-'));
  const meili = new EmbeddedMeili({ dir: meiliDir });
  let server: ReturnType<typeof spawn> | undefined;
  try {
    await database.migrate();
    let t0 = Date.now();
    const gen = await generateCatalogue(database.db, N, (d) => process.stdout.write(`\r[bench] generating ${d}/${N}`));
    process.stdout.write('\n');
    say(`generated ${gen.collections} collections (${gen.published} published), ${gen.providers} providers in ${secs(Date.now() - t0)}`);

    const { client } = await meili.start();
    say(`Meilisearch ${(await client.getVersion()).pkgVersion} on ${meili.url}`);

    // Indexing: direct bulk add of prepared documents, then our reindex from PostgreSQL.
    const docs: SearchDocument[] = [];
    for await (const b of indexableBatches(database.db, 5000)) docs.push(...b);
    // Bulk payloads of 30 MB: a longer request timeout than the app's default.
    const bulk = meiliClient(meili.url, meili.masterKey, 300_000);
    t0 = Date.now();
    await waitOk(client.createIndex('bench_direct', { primaryKey: PRIMARY_KEY }), 'create');
    await waitOk(client.index('bench_direct').updateSettings(INDEX_SETTINGS), 'settings');
    await Promise.all(
      bulk
        .index('bench_direct')
        .addDocumentsInBatches(docs, 10_000)
        .map((p) => waitOk(p, 'bulk add', 0)),
    );
    const directIndexMs = Date.now() - t0;
    say(`direct bulk add of ${docs.length} documents: ${secs(directIndexMs)}`);
    await client.deleteIndex('bench_direct').waitTask({ timeout: 0 });

    t0 = Date.now();
    let last = 0;
    const reindexer = new Reindexer({ database, index: new SearchIndex(client, INDEX), mutex: new Mutex() });
    await reindexer.run((done, total) => {
      if (Date.now() - last < 2000 && done < total) return;
      last = Date.now();
      say(`reindex ${done}/${total}`);
    });
    const oursIndexMs = Date.now() - t0;
    say(`our reindex (PostgreSQL → new index → swap) of ${reindexer.status.done} documents: ${secs(oursIndexMs)}`);

    const port = await freePort();
    const profile = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args.profile)}`] : [];
    server = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...profile, '--import', 'tsx', 'bench/search/server.ts'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: dbUrl,
        DATABASE_POOL_SIZE: '4',
        MEILI_URL: meili.url,
        MEILI_API_KEY: meili.masterKey,
        MEILI_INDEX: INDEX,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      server!.stdout!.on('data', (b: Buffer) => b.toString().includes('listening') && resolve());
      server!.once('exit', (c) => reject(new Error(`API server exited (${c})`)));
    });

    const variants = await queryVariants(`http://127.0.0.1:${port}`, meili.masterKey);
    say(`${variants.length} query variants, e.g. ${variants[0]!.ours.path}`);
    // Same answers both ways: totals and every facet's counts.
    const bytes = { ours: 0, direct: 0 };
    for (const v of variants.slice(0, 10)) {
      const oursText = await (await fetch(`http://127.0.0.1:${port}${v.ours.path}`)).text();
      const directText = await (
        await fetch(`${meili.url}${v.direct.path}`, { method: 'POST', headers: v.direct.headers, body: v.direct.body })
      ).text();
      bytes.ours += oursText.length;
      bytes.direct += directText.length;
      const a = JSON.parse(oursText) as { total: number; facets: unknown };
      const b = JSON.parse(directText) as { results: Parameters<typeof toSearchResponse>[0] };
      const direct = toSearchResponse(b.results, v.plan, v.query);
      if (a.total !== direct.total) throw new Error(`totals differ for ${v.ours.path}: ${a.total} vs ${direct.total}`);
      if (JSON.stringify(a.facets) !== JSON.stringify(direct.facets)) throw new Error(`facet counts differ for ${v.ours.path}`);
    }
    say(
      `answer size, mean of 10 variants: ours ${(bytes.ours / 10240).toFixed(1)} kB, Meilisearch's ${(bytes.direct / 10240).toFixed(1)} kB`,
    );
    const perRequest = variants.reduce((n, v) => n + v.plan.queries.length, 0) / variants.length;
    say(`Meilisearch queries per request (main + disjunctive counts): ${perRequest.toFixed(2)} on average`);

    const warm = Math.min(5, DURATION);
    const targets = {
      ours: { url: `http://127.0.0.1:${port}`, requests: variants.map((v) => v.ours) },
      direct: { url: meili.url, requests: variants.map((v) => v.direct) },
    };
    await load(targets.ours.url, targets.ours.requests, warm);
    await load(targets.direct.url, targets.direct.requests, warm);
    // Alternating rounds (ours first, then direct first, ...) so neither side always runs on a
    // warmer cache or a quieter machine; latencies are pooled per side over all rounds.
    const pids = { api: server.pid, meili: meili.pid };
    const runs = { ours: [] as Run[], direct: [] as Run[] };
    const cpu = { ours: zeroCpu(), direct: zeroCpu() };
    const perRound = DURATION / ROUNDS;
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['ours', 'direct'] as const) : (['direct', 'ours'] as const);
      for (const side of order) {
        const before = cpuNow(pids);
        runs[side].push(await load(targets[side].url, targets[side].requests, perRound));
        addCpu(cpu[side], cpuSince(before, pids));
      }
    }
    const ours = stats(runs.ours);
    const direct = stats(runs.direct);
    const oursCpu = cpu.ours;
    const directCpu = cpu.direct;

    const row = (name: string, s: Stats) =>
      `| ${name} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.rps.toFixed(0)} | ${s.errors} |`;
    console.log(
      `\n## N = ${N} (${gen.published} published, ${DURATION} s per side in ${ROUNDS} alternating rounds, ${CONNECTIONS} connections)\n`,
    );
    console.log('| target | p50 ms | p95 ms | p99 ms | req/s | errors |\n|---|---|---|---|---|---|');
    console.log(row('ours: GET /api/v1/search', ours));
    console.log(row('direct: POST /multi-search', direct));
    console.log(
      `| ratio ours/direct | ${(ours.p50 / direct.p50).toFixed(2)} | ${(ours.p95 / direct.p95).toFixed(2)} | ${(ours.p99 / direct.p99).toFixed(2)} | ${(ours.rps / direct.rps).toFixed(2)} | |`,
    );
    const perReq = (ms: number | undefined, s: Stats) => (ms === undefined ? '?' : (ms / s.requests).toFixed(2));
    console.log(
      `\nCPU ms per request: ours: API ${perReq(oursCpu.api, ours)}, Meilisearch ${perReq(oursCpu.meili, ours)}, load generator ${perReq(oursCpu.self, ours)}; ` +
        `direct: Meilisearch ${perReq(directCpu.meili, direct)}, load generator ${perReq(directCpu.self, direct)}`,
    );
    console.log(
      `\nindexing ${reindexer.status.done} documents: our reindex ${secs(oursIndexMs)}, direct bulk add ${secs(directIndexMs)} (ratio ${(oursIndexMs / directIndexMs).toFixed(2)})`,
    );
    console.log(
      `load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      // The profile (--profile) is written as the API process exits.
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    await meili.stop();
    await database.close();
    if (!args.keep) {
      rmSync(meiliDir, { recursive: true, force: true });
      await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    } else say(`kept database ${dbName} and Meilisearch data in ${meiliDir}`);
    await admin.end();
  }
}

interface Variant {
  ours: CannonRequest;
  direct: CannonRequest;
  plan: ReturnType<typeof planSearch>;
  query: SearchQuery;
}

/** 2–3 facet filters from frequent values (as users would click), half with a text query. */
async function queryVariants(base: string, key: string): Promise<Variant[]> {
  const all = (await (await fetch(`${base}/api/v1/search?hitsPerPage=1`)).json()) as { facets: Record<string, Record<string, number>> };
  const top = (f: string, k = 6) => Object.keys(all.facets[f] ?? {}).slice(0, k);
  const facetPool: [string, string[]][] = [
    ['modality', top('modality')],
    ['bodyPart', top('bodyPart')],
    ['cancerSite', top('cancerSite')],
    ['sex', top('sex')],
    ['accessRights', top('accessRights', 2)],
    ['country', top('country')],
    ['imageDatasetType', top('imageDatasetType', 2)],
    ['species', top('species', 1)],
    ['license', top('license', 2)],
    ['hasSegmentation', ['true']],
  ];
  const words = ['', '', 'lung', 'breast cancer', 'prostate mri', 'glioblastoma', 'colon', 'ct', 'radiomics', 'segmentation'];
  const r = rng(7);
  const out: Variant[] = [];
  for (let i = 0; i < 120; i++) {
    const k = 2 + r.int(2);
    const chosen = new Set<number>();
    while (chosen.size < k) chosen.add(r.int(facetPool.length));
    const params = new URLSearchParams();
    const raw: Record<string, string> = {};
    for (const c of chosen) {
      const [f, vals] = facetPool[c]!;
      if (!vals.length) continue;
      const v = r.pick(vals);
      params.append(`filter[${f}]`, v);
      raw[`filter[${f}]`] = v;
    }
    const q = r.pick(words);
    if (q) raw.q = q;
    if (r.next() < 0.2) raw.sort = 'subjects:desc';
    if (raw.q) params.set('q', raw.q);
    if (raw.sort) params.set('sort', raw.sort);
    const query = SearchQuery.parse(raw);
    const plan = planSearch(ANONYMOUS, query);
    out.push({
      ours: { method: 'GET', path: `/api/v1/search?${params}` },
      direct: {
        method: 'POST',
        path: '/multi-search',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(multiSearchBody(INDEX, plan)),
      },
      plan,
      query,
    });
  }
  return out;
}

interface Stats {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  requests: number;
  errors: number;
}

type CpuPids = { api: number | undefined; meili: number | undefined };
type CpuMs = { api?: number; meili?: number; self: number };

/** CPU time (user + system, ms) of the API and Meilisearch processes (Linux /proc) and of this one. */
function cpuNow(pids: CpuPids): CpuMs {
  const of = (pid: number | undefined) => {
    if (!pid) return undefined;
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
    } catch {
      return undefined;
    }
  };
  const own = process.cpuUsage();
  return { api: of(pids.api), meili: of(pids.meili), self: (own.user + own.system) / 1000 };
}

const zeroCpu = (): CpuMs => ({ api: 0, meili: 0, self: 0 });

function addCpu(sum: CpuMs, d: CpuMs) {
  sum.api = sum.api === undefined || d.api === undefined ? undefined : sum.api + d.api;
  sum.meili = sum.meili === undefined || d.meili === undefined ? undefined : sum.meili + d.meili;
  sum.self += d.self;
}

function cpuSince(before: CpuMs, pids: CpuPids): CpuMs {
  const now = cpuNow(pids);
  const d = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : a - b);
  return { api: d(now.api, before.api), meili: d(now.meili, before.meili), self: now.self - before.self };
}

/** One load run: every latency (ms), how many requests, how long, how many failed. */
interface Run {
  times: number[];
  requests: number;
  seconds: number;
  errors: number;
}

function load(url: string, requests: CannonRequest[], duration: number): Promise<Run> {
  const times: number[] = [];
  let clientNo = 0;
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration,
        timeout: 10,
        requests,
        // Each connection starts at a different variant, so they do not send the same query together.
        setupClient: (c: CannonClient) => {
          const shift = (clientNo++ * 17) % requests.length;
          c.setRequests([...requests.slice(shift), ...requests.slice(0, shift)]);
        },
      },
      (err, res) => {
        if (err) return reject(err);
        resolve({ times, requests: res.requests.total, seconds: res.duration, errors: res.errors + res.timeouts + res.non2xx });
      },
    );
    inst.on('response', (_c, _s, _b, ms) => times.push(ms));
  });
}

function stats(runs: Run[]): Stats {
  const times = runs.flatMap((r) => r.times).sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  return { p50: q(50), p95: q(95), p99: q(99), rps: requests / seconds, requests, errors: runs.reduce((n, r) => n + r.errors, 0) };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
