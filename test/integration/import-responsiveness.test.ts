/**
 * The embedded default stays responsive during a bulk import: on PGlite (every statement on the
 * main thread), /healthz keeps answering while an NDJSON import runs, and the progress lines arrive
 * as the import goes, not all at the end. The bound is generous (shared CI machines); the measured
 * figure for 5,000 records is in docs/performance.md (bench/import/responsiveness.ts).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openMemoryDatabase, type Database } from '../../server/db/client.js';
import { measureImport } from '../../bench/import/responsiveness.js';

let database: Database;
beforeAll(async () => {
  database = await openMemoryDatabase();
  await database.migrate();
});
afterAll(async () => database?.close());

it('keeps /healthz answering and streams progress during an import on PGlite', async () => {
  const r = await measureImport(database, 150);
  console.info(`import of ${r.records} on PGlite in ${(r.importMs / 1000).toFixed(1)} s; /healthz p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, max ${r.max.toFixed(0)} ms over ${r.probes} probes`);
  expect(r.report.created).toBe(150);
  // Probes were answered all along (one every 20 ms plus its latency), not once at the end.
  expect(r.probes).toBeGreaterThan(r.importMs / 200);
  expect(r.p99).toBeLessThan(1000);
  // Progress streamed: many lines, the first long before the report.
  expect(r.progressAt.length).toBeGreaterThan(5);
  expect(r.progressAt[0]!).toBeLessThan(r.reportAt / 4);
}, 180_000);
