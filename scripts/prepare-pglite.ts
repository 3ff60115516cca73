/**
 * postinstall (best effort): make the cached clusters a new embedded database starts from
 * (server/db/pglite-template.ts), so that the first `npm start` of a fresh clone does not pay
 * PGlite's initdb, the migrations and pg-boss's schema (about 6 CPU s; docs/performance.md).
 * A later start makes them again when the migrations, the jobs or PGlite change.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../server/db/client.js';
import { jobSchemaSetup } from '../server/jobs/index.js';
import { moduleJobs } from '../server/modules.js';

const dir = mkdtempSync(path.join(tmpdir(), 'catalogue-pglite-template-'));
try {
  const database = await openDatabase({ kind: 'pglite', dir: path.join(dir, 'pglite') }, { setup: jobSchemaSetup(moduleJobs()) });
  await database.migrate();
  await database.close();
} catch (e) {
  console.warn(`embedded database template not prepared (the first start will make it): ${e instanceof Error ? e.message : String(e)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
