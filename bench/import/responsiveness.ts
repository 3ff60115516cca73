/**
 * How responsive the embedded default stays during a bulk import: the real app on PGlite served
 * over HTTP, one NDJSON import of N records while `/healthz` is polled every 20 ms. Prints the
 * `/healthz` latency percentiles and when the progress lines arrived.
 *
 *   npx tsx bench/import/responsiveness.ts --n 5000 [--dry-run]
 *
 * The import and the probes share one Node process and one PGlite, as with `npm start`.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { ensureUser } from '../../server/auth/queries.js';
import { createApp } from '../../server/app.js';
import { createDevIssuer } from '../../server/auth/tokens.js';
import { openMemoryDatabase, type Database } from '../../server/db/client.js';
import { createLogger } from '../../server/log.js';

export interface ResponsivenessResult {
  records: number;
  importMs: number;
  probes: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** ms after the request started at which each progress line arrived */
  progressAt: number[];
  reportAt: number;
  report: { total: number; created: number; rejected: number };
}

export function sampleRecords(providerId: string, n: number, tag = 'B'): unknown[] {
  return Array.from({ length: n }, (_, i) => ({
    providerId,
    title: `Benchmark collection ${tag} ${i}`,
    description: 'Low-dose chest CT of lung-cancer screening participants with nodule segmentations.',
    keywords: ['lung', 'screening'],
    modalities: ['CT', 'SEG'],
    bodyParts: ['Chest'],
    conditions: ['Non-small Cell Lung Cancer'],
    sex: ['male', 'female'],
    subjectsCount: 100 + i,
    accessRights: 'PUBLIC',
    xnat: { instance: 'https://xnat.bench.org', projectId: `${tag}_${i}`, visibility: 'public' },
  }));
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

/** Run one measured import against `database` (migrated), served on a free port. */
export async function measureImport(database: Database, n: number, opts: { dryRun?: boolean } = {}): Promise<ResponsivenessResult> {
  const issuer = await createDevIssuer();
  const { app } = createApp({ database, verifier: issuer.verifier, devIssuer: issuer, logger: createLogger('silent'), importBodyLimitBytes: 100 * 1024 * 1024 });
  await ensureUser(database.db, { id: 'bench-admin', name: 'Bench admin', isAdmin: true });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const token = await issuer.sign({ sub: 'bench-admin', name: 'Bench admin' });
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const providerId = `bench-${Date.now().toString(36)}`;
  const prov = await fetch(`${base}/api/v1/providers`, { method: 'POST', headers: auth, body: JSON.stringify({ id: providerId, name: 'Bench site', description: 'x', country: 'NL' }) });
  if (prov.status !== 201) throw new Error(`provider: ${prov.status} ${await prov.text()}`);

  const latencies: number[] = [];
  let probing = true;
  const prober = (async () => {
    while (probing) {
      const t0 = performance.now();
      const res = await fetch(`${base}/healthz`);
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const started = performance.now();
  const res = await fetch(`${base}/api/v1/import`, {
    method: 'POST',
    headers: { ...auth, accept: 'application/x-ndjson' },
    body: JSON.stringify({ collections: sampleRecords(providerId, n), dryRun: !!opts.dryRun }),
  });
  const progressAt: number[] = [];
  let reportAt = 0;
  let report: ResponsivenessResult['report'] = { total: 0, created: 0, rejected: 0 };
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = JSON.parse(buf.slice(0, nl)) as { progress?: unknown; report?: typeof report };
      buf = buf.slice(nl + 1);
      const at = performance.now() - started;
      if (line.progress) progressAt.push(at);
      if (line.report) {
        reportAt = at;
        report = line.report;
      }
    }
  }
  const importMs = performance.now() - started;
  probing = false;
  await prober;
  await new Promise<void>((r) => server.close(() => r()));
  return { records: n, importMs, probes: latencies.length, p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), max: Math.max(...latencies), progressAt, reportAt, report };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const n = Number(arg('n') ?? 5000);
  const database = await openMemoryDatabase();
  await database.migrate();
  const r = await measureImport(database, n, { dryRun: process.argv.includes('--dry-run') });
  await database.close();
  const f = (x: number) => `${x.toFixed(1)} ms`;
  console.log(`import of ${r.records} records on PGlite: ${(r.importMs / 1000).toFixed(1)} s (created ${r.report.created}, rejected ${r.report.rejected})`);
  console.log(`/healthz during the import (${r.probes} probes): p50 ${f(r.p50)}, p95 ${f(r.p95)}, p99 ${f(r.p99)}, max ${f(r.max)}`);
  console.log(`progress lines: ${r.progressAt.length}, first at ${f(r.progressAt[0] ?? NaN)}, report at ${f(r.reportAt)}`);
}
