/**
 * The process must not die of a lost database connection. Causes are fixed where they are known
 * (scripts/patch-postgres.mjs); this is the net below them: an unhandled rejection is logged and the
 * process goes on (Node's default would exit), and an uncaught exception is survived only when it is
 * a known-recoverable database failure. Anything else leaves the process in an unknown state: exit,
 * and let the supervisor restart it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { classifyDbError } from './db/errors.js';

/** The pino surface used here. */
type Log = { error(obj: unknown, msg?: string): void; warn(msg: string): void };

/** A database outage, or the postgres.js driver failing inside its own socket/timer callbacks. */
export function isRecoverableDbFailure(e: unknown): boolean {
  if (classifyDbError(e) === 'unavailable') return true;
  if (!(e instanceof TypeError) || !e.stack) return false;
  // The first stack frame below the message is inside the driver's connection code.
  const frame = e.stack.split('\n').find((l) => l.trim().startsWith('at '));
  return !!frame && /[\\/]postgres[\\/](cjs[\\/])?src[\\/]connection\.js/.test(frame);
}

export function installProcessGuards(log: Log): void {
  process.on('unhandledRejection', (reason) => {
    log.error({ err: reason }, `unhandled promise rejection (process keeps running)${isRecoverableDbFailure(reason) ? ': database connection lost' : ''}`);
  });
  process.on('uncaughtException', (err) => {
    if (isRecoverableDbFailure(err)) {
      log.error({ err }, 'database connection failure outside any request (recovered; the pool reconnects)');
      return;
    }
    log.error({ err }, 'uncaught exception: exiting');
    process.exit(1);
  });
}

/** Whether the postinstall guard of postgres.js is in place (warned about at start-up when not). */
export function postgresDriverPatched(): boolean {
  try {
    const root = path.resolve(path.dirname(createRequire(import.meta.url).resolve('postgres')), '../..');
    return readFileSync(path.join(root, 'src/connection.js'), 'utf8').includes('catalogue: null-socket guard v2');
  } catch {
    return false;
  }
}
