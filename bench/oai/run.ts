/**
 * OAI-PMH benchmark: `npx tsx bench/oai/run.ts --n 100000`.
 *
 * 1. a fresh PostgreSQL database with N synthetic collections (the search benchmark's generator),
 *    datestamps spread over six years, ~85 % harvestable (published and not private, or exposed before);
 * 2. the API in its own process; full ListRecords harvests (oai_dc, then dcat_ap) following resumption
 *    tokens, measuring records/s and the server's RSS (sampled from /proc every 50 ms) against its idle RSS;
 * 3. a raw SQL read of the same rows in the same page pattern (keyset pages over (datestamp, id)), for
 *    the ratio;
 * 4. 1 % of the harvestable records change (most edited, some withdrawn, some turned private), then an
 *    incremental harvest (`from=` the change time) must return exactly the changed ones, the withdrawn
 *    and private ones as deleted.
 *
 * Options: --n N (10000), --page P (100), --keep (leave the database). SERVER_FLAGS="--optimize-for-size"
 * (environment) passes Node/V8 flags to the server process only.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openDatabase } from '../../server/db/client.js';
import { SERVER_NODE_FLAGS } from '../../server/node-flags.js';
import { generateCatalogue, rng } from '../search/data.js';

const { values: args } = parseArgs({
  options: { n: { type: 'string', default: '10000' }, page: { type: 'string', default: '100' }, keep: { type: 'boolean', default: false } },
});
const N = Number(args.n);
const PAGE = Number(args.page);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const say = (m: string) => console.log(`[bench] ${m}`);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const HARVESTABLE = `(exposed_at is not null or (publication_state = 'published' and visibility <> 'private'))`;

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

type Memory = { heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
/** The server's latest `memory` line (bench/oai/server.ts prints one every 100 ms). */
let serverMemory: Memory | undefined;

async function harvest(base: string, query: string, pid: number) {
  let peak = 0;
  const heapPeak: Memory = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const heapTimer = setInterval(() => {
    if (!serverMemory) return;
    for (const k of Object.keys(heapPeak) as (keyof Memory)[]) heapPeak[k] = Math.max(heapPeak[k], serverMemory[k]);
  }, 50);
  const timer = setInterval(() => (peak = Math.max(peak, rssKb(pid))), 50);
  const t0 = performance.now();
  let records = 0;
  let deleted = 0;
  const ids: string[] = [];
  let url = `${base}?${query}`;
  const verb = /verb=(\w+)/.exec(query)![1];
  for (;;) {
    const res = await fetch(url);
    const xml = await res.text();
    if (res.status !== 200 || xml.includes('<error ')) throw new Error(`harvest failed: ${xml.slice(0, 300)}`);
    for (const m of xml.matchAll(/<header( status="deleted")?><identifier>([^<]*)<\/identifier>/g)) {
      records++;
      if (m[1]) deleted++;
      ids.push(`${m[1] ? 'D ' : ''}${m[2]}`);
    }
    const tok = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(xml);
    if (!tok) break;
    url = `${base}?verb=${verb}&resumptionToken=${encodeURIComponent(tok[1]!)}`;
  }
  const ms = performance.now() - t0;
  clearInterval(timer);
  clearInterval(heapTimer);
  peak = Math.max(peak, rssKb(pid));
  return { records, deleted, ids, ms, peakKb: peak, heapPeak };
}

async function main() {
  say(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const dbName = `bench_oai_${N}_${Date.now()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
  const database = await openDatabase({ kind: 'postgres', url: dbUrl, poolSize: 4 });
  const raw = postgres(dbUrl, { max: 1, onnotice: () => {} });
  let server: ReturnType<typeof spawn> | undefined;
  try {
    await database.migrate();
    let t0 = Date.now();
    await generateCatalogue(database.db, N, (d) => process.stdout.write(`\r[bench] generating ${d}/${N}`));
    process.stdout.write('\n');
    // Datestamps as the core module keeps them: last outside-visible change, first exposure.
    await raw.unsafe(`update collection set record_datestamp = modified_at + (random() * interval '86399 seconds'),
      exposed_at = case when publication_state <> 'draft' and visibility <> 'private' then modified_at end`);
    await raw.unsafe('analyze collection');
    const harvestable = Number(
      ((await raw.unsafe(`select count(*)::int as n from collection where ${HARVESTABLE}`)) as unknown as { n: number }[])[0]!.n,
    );
    say(`generated ${N} collections (${harvestable} harvestable) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    server = spawn(
      process.execPath,
      [
        ...SERVER_NODE_FLAGS,
        ...(process.env.SERVER_FLAGS ? process.env.SERVER_FLAGS.split(' ') : []),
        '--import',
        'tsx',
        'bench/oai/server.ts',
      ],
      {
        env: {
          ...process.env,
          DATABASE_URL: dbUrl,
          PUBLIC_URL: 'https://catalogue.example.org',
          OAI_PAGE_SIZE: String(PAGE),
          DATABASE_POOL_SIZE: '4',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const port = await new Promise<number>((resolve, reject) => {
      server!.stdout!.on('data', (b: Buffer) => {
        const text = b.toString();
        const m = /listening (\d+)/.exec(text);
        if (m) resolve(Number(m[1]));
        const lines = [...text.matchAll(/^memory (\{.*\})$/gm)];
        if (lines.length) serverMemory = JSON.parse(lines[lines.length - 1]![1]!) as Memory;
      });
      server!.on('exit', (c) => reject(new Error(`server exited ${c}`)));
    });
    const pid = server.pid!;
    const base = `http://127.0.0.1:${port}/oai`;
    // Warm up the code paths (one page of each format), then take the idle RSS.
    for (const p of ['oai_dc', 'dcat_ap']) await (await fetch(`${base}?verb=ListRecords&metadataPrefix=${p}`)).text();
    await new Promise((r) => setTimeout(r, 1000));
    const idle = rssKb(pid);
    const idleHeap = serverMemory;
    const heapMb = (m?: Memory) =>
      m ? `heap ${mb(m.heapUsed / 1024)} used of ${mb(m.heapTotal / 1024)}, external ${mb(m.external / 1024)}` : '';
    say(`server pid ${pid}, idle RSS ${mb(idle)} (${heapMb(idleHeap)}), page size ${PAGE}`);

    const results: Record<string, { rps: number; ms: number; growth: number }> = {};
    for (const prefix of ['oai_dc', 'dcat_ap']) {
      const h = await harvest(base, `verb=ListRecords&metadataPrefix=${prefix}`, pid);
      if (h.records !== harvestable) throw new Error(`${prefix}: harvested ${h.records}, expected ${harvestable}`);
      if (new Set(h.ids).size !== h.ids.length) throw new Error(`${prefix}: duplicates`);
      const rps = h.records / (h.ms / 1000);
      results[prefix] = { rps, ms: h.ms, growth: h.peakKb - idle };
      say(
        `ListRecords ${prefix}: ${h.records} records (${h.deleted} deleted) in ${(h.ms / 1000).toFixed(1)} s = ${rps.toFixed(0)} records/s; peak RSS ${mb(h.peakKb)} (+${mb(h.peakKb - idle)} over idle; peaks: ${heapMb(h.heapPeak)})`,
      );
    }

    // Raw SQL: the same rows, same columns, same keyset pages, straight from PostgreSQL.
    t0 = performance.now();
    let rows = 0;
    let after: [string, string] | undefined;
    for (;;) {
      const page: { ds: string; id: string }[] = after
        ? await raw.unsafe(
            `select id, provider_id, visibility, publication_state, title, doc, derived, created_at, modified_at, published_at, withdrawn_at, revision,
             to_char(record_datestamp at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as ds from collection
             where ${HARVESTABLE} and (record_datestamp, id) > (($1::text::timestamp at time zone 'UTC'), $2::text) order by record_datestamp, id limit $3`,
            [after[0], after[1], PAGE],
          )
        : await raw.unsafe(
            `select id, provider_id, visibility, publication_state, title, doc, derived, created_at, modified_at, published_at, withdrawn_at, revision,
             to_char(record_datestamp at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as ds from collection
             where ${HARVESTABLE} order by record_datestamp, id limit $1`,
            [PAGE],
          );
      if (!page.length) break;
      rows += page.length;
      const last = page[page.length - 1]!;
      after = [last.ds, last.id];
    }
    const sqlMs = performance.now() - t0;
    const sqlRps = rows / (sqlMs / 1000);
    say(
      `raw SQL read of the same rows: ${rows} rows in ${(sqlMs / 1000).toFixed(1)} s = ${sqlRps.toFixed(0)} rows/s; ratio oai_dc/SQL ${(results.oai_dc!.rps / sqlRps).toFixed(2)}, dcat_ap/SQL ${(results.dcat_ap!.rps / sqlRps).toFixed(2)}`,
    );

    // Incremental: 1 % of the harvestable records change after T.
    const since = new Date(Math.floor(Date.now() / 1000) * 1000);
    await new Promise((r) => setTimeout(r, 1100));
    const r = rng(7);
    const pool: { id: string }[] = await raw.unsafe(
      `select id from collection where ${HARVESTABLE} and publication_state = 'published' and visibility <> 'private' order by id`,
    );
    const k = Math.max(3, Math.round(harvestable / 100));
    const chosen = new Set<string>();
    while (chosen.size < k) chosen.add(pool[r.int(pool.length)]!.id);
    const list = [...chosen];
    const withdrawn = list.slice(0, Math.round(k * 0.1));
    const privated = list.slice(withdrawn.length, withdrawn.length + Math.round(k * 0.1));
    const edited = list.slice(withdrawn.length + privated.length);
    await raw.unsafe(`update collection set title = title || ' (edited)', record_datestamp = now() where id = any($1)`, [edited]);
    await raw.unsafe(
      `update collection set publication_state = 'withdrawn', withdrawn_at = now(), record_datestamp = now() where id = any($1)`,
      [withdrawn],
    );
    await raw.unsafe(`update collection set visibility = 'private', record_datestamp = now() where id = any($1)`, [privated]);
    const inc = await harvest(
      base,
      `verb=ListIdentifiers&metadataPrefix=oai_dc&from=${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
      pid,
    );
    const expected = new Set([
      ...edited.map((id) => `oai:catalogue.example.org:${id}`),
      ...[...withdrawn, ...privated].map((id) => `D oai:catalogue.example.org:${id}`),
    ]);
    const got = new Set(inc.ids);
    const exact = got.size === expected.size && [...expected].every((x) => got.has(x));
    say(
      `incremental harvest after ${k} changes (${edited.length} edited, ${withdrawn.length} withdrawn, ${privated.length} turned private): ${inc.records} records (${inc.deleted} deleted) in ${(inc.ms / 1000).toFixed(2)} s — ${exact ? 'exactly the changed and deleted records' : 'MISMATCH'}`,
    );
    if (!exact) process.exitCode = 1;
  } finally {
    if (server) server.kill('SIGTERM');
    await raw.end();
    await database.close();
    if (!args.keep) await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
