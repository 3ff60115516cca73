/**
 * postinstall: guard postgres.js against writing to a connection whose socket is already gone.
 *
 * postgres.js 3.4.x buffers small writes and flushes them from a setImmediate; when the connection
 * closes first, the flush runs on a null socket and throws `TypeError: Cannot read properties of
 * null (reading 'write')` from a timer, where no caller can catch it: the process dies (porsager/
 * postgres#1066, #1154; fix proposed in #1168/#1176, not released). The guard drops the buffered
 * bytes, whose query the close has already failed with CONNECTION_CLOSED.
 *
 * Idempotent. Files are replaced (write + rename), never edited in place: node_modules may be
 * hard-linked with other checkouts.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const MARK = '/* catalogue: null-socket guard */';
const ORIGINAL = 'function nextWrite(fn) {\n    const x = socket.write(chunk, fn)';
const PATCHED = `function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      return false\n    }\n    const x = socket.write(chunk, fn)`;

export function postgresConnectionFiles() {
  // `postgres` resolves to <root>/cjs/src/index.js (its package.json is not exported).
  const root = path.resolve(path.dirname(createRequire(import.meta.url).resolve('postgres')), '../..');
  return ['src/connection.js', 'cjs/src/connection.js', 'cf/src/connection.js'].map((f) => path.join(root, f)).filter((f) => existsSync(f));
}

export function patchPostgres() {
  const results = [];
  for (const file of postgresConnectionFiles()) {
    const text = readFileSync(file, 'utf8');
    if (text.includes(MARK)) {
      results.push([file, 'already patched']);
      continue;
    }
    if (!text.includes(ORIGINAL)) {
      results.push([file, 'not patched: nextWrite changed upstream (check whether the release fixed it)']);
      continue;
    }
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, text.replace(ORIGINAL, PATCHED));
    renameSync(tmp, file);
    results.push([file, 'patched']);
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    for (const [file, what] of patchPostgres()) console.log(`patch-postgres: ${path.relative(process.cwd(), file)}: ${what}`);
  } catch (e) {
    // Never fail an install over this; the server logs the unpatched state at start-up.
    console.warn(`patch-postgres: skipped (${e instanceof Error ? e.message : e})`);
  }
}
