/**
 * An embedded database on a new data directory starts from a cached copy of a cluster, kept with
 * other build output under node_modules/.cache (docs/performance.md, first start). Two copies:
 *
 * - `initdb`: the empty cluster PGlite's initdb (WASM, about 3–5 CPU s) just made; keyed by the
 *   PGlite version.
 * - `schema-<hash>`: the same after the migrations and the schema setup (pg-boss's tables) ran;
 *   keyed by the PGlite version, the migration files and the setup's key. Migrating an empty
 *   cluster and installing pg-boss cost about 2.5 CPU s; unpacking the copy about 1 s.
 *
 * Each is made once, by the first start that needed it, before anything else wrote to the cluster:
 * they hold schema, never data (the seed and everything after it run on every new directory).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { PGlite } from '@electric-sql/pglite';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The version of an installed package (read next to its resolved entry: exports may hide package.json). */
export function packageVersion(name: string): string {
  const entry = createRequire(import.meta.url).resolve(name);
  const marker = `${path.sep}node_modules${path.sep}`;
  const dir = entry.slice(0, entry.lastIndexOf(marker) + marker.length + name.length);
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

function templateFile(kind: string): string {
  return path.join(
    root,
    'node_modules',
    '.cache',
    'dicom-miabis-catalogue',
    `pglite-${packageVersion('@electric-sql/pglite')}-${kind}.tar.gz`,
  );
}

/** The schema template's name for these migrations (every file under the folder) and setup. */
export function schemaTemplateKind(migrationsFolder: string, setupKey: string): string {
  const hash = createHash('sha256').update(setupKey);
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else hash.update(`\0${path.relative(migrationsFolder, file)}\0`).update(readFileSync(file));
    }
  };
  walk(migrationsFolder);
  return `schema-${hash.digest('hex').slice(0, 16)}`;
}

/** A directory PGlite has not initialised yet (no PG_VERSION). */
export const isNewCluster = (dir: string) => !existsSync(path.join(dir, 'PG_VERSION'));

/** A cached cluster as an uncompressed tar (for PGlite's `loadDataDir`), when there is one. */
export function readTemplate(kind = 'initdb'): Blob | undefined {
  let packed: Buffer;
  try {
    packed = readFileSync(templateFile(kind));
  } catch {
    return undefined;
  }
  // Inflated here (native zlib): PGlite's own path tries the gzip bytes as a tar first, then
  // inflates through web streams, about 0.7 CPU s slower.
  return new Blob([new Uint8Array(gunzipSync(packed))], { type: 'application/x-tar' });
}

/** Keep a copy of a cluster (nothing but schema may have been written to it). Best effort. */
export async function saveTemplate(pg: PGlite, kind = 'initdb'): Promise<void> {
  const file = templateFile(kind);
  try {
    const tar = await pg.dumpDataDir('none');
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    // Level 1: a fifth of the default's CPU, barely larger (mostly empty pages).
    writeFileSync(tmp, gzipSync(Buffer.from(await tar.arrayBuffer()), { level: 1 }));
    renameSync(tmp, file);
  } catch {
    /* a read-only install: every new directory runs initdb */
  }
}
