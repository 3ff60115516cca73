/**
 * postinstall: guard postgres.js against writing to a connection whose socket is already gone.
 *
 * postgres.js 3.4.x buffers small writes and flushes them from a setImmediate; when the connection
 * closes first, the flush runs on a null socket and throws `TypeError: Cannot read properties of
 * null (reading 'write')` from a timer, where no caller can catch it: the process dies (porsager/
 * postgres#1066, #1154; fix proposed in #1168/#1176, not released). The same happens when a query
 * (e.g. the ROLLBACK of a transaction whose connection was just terminated) is written to a closed
 * connection. The guard drops the buffered bytes and fails the queries they belonged to with
 * CONNECTION_CLOSED, as a close would have: no crash, and no query left waiting forever.
 *
 * Idempotent. Files are replaced (write + rename), never edited in place: node_modules may be
 * hard-linked with other checkouts.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const MARK = '/* catalogue: null-socket guard v2 */';
const ORIGINAL = 'function nextWrite(fn) {\n    const x = socket.write(chunk, fn)';
const PATCHED = `function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`;
// The first version of the guard (dropped the bytes without failing their queries).
const PATCHED_V1 = 'function nextWrite(fn) {\n    /* catalogue: null-socket guard */\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      return false\n    }\n    const x = socket.write(chunk, fn)';

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
    const from = text.includes(ORIGINAL) ? ORIGINAL : text.includes(PATCHED_V1) ? PATCHED_V1 : undefined;
    if (!from) {
      results.push([file, 'not patched: nextWrite changed upstream (check whether the release fixed it)']);
      continue;
    }
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, text.replace(from, PATCHED));
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
