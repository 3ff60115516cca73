/**
 * An embedded database on a new data directory starts from a cached copy of an empty, freshly
 * initialised cluster. PGlite's initdb (WASM) is most of the CPU of a first start (about 4.7 of
 * 5.4 s measured); unpacking the copy takes about 0.6 s. The copy is made once per PGlite version,
 * on the first start that ran initdb, and kept with other build output under node_modules/.cache.
 * It holds no data: migrations, the job schema and the seed still run on every new directory.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';

const root = fileURLToPath(new URL('../../', import.meta.url));

function templateFile(): string {
  // The package's exports do not include package.json: read it next to its resolved entry.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`)), 'package.json');
  const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version: string };
  return path.join(root, 'node_modules', '.cache', 'dicom-miabis-catalogue', `pglite-${version}-initdb.tar.gz`);
}

/** A directory PGlite has not initialised yet (no PG_VERSION). */
export const isNewCluster = (dir: string) => !existsSync(path.join(dir, 'PG_VERSION'));

/** The cached empty cluster, when there is one (for PGlite's `loadDataDir`). */
export function readTemplate(): Blob | undefined {
  try {
    return new Blob([readFileSync(templateFile())]);
  } catch {
    return undefined;
  }
}

/** Keep a copy of a cluster initdb just made (before anything else writes to it). Best effort. */
export async function saveTemplate(pg: PGlite): Promise<void> {
  const file = templateFile();
  try {
    const dump = await pg.dumpDataDir('gzip');
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
  } catch {
    /* a read-only install: every new directory runs initdb */
  }
}
