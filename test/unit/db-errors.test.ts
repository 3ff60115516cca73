import { describe, expect, it } from 'vitest';
import { classifyDbError } from '../../server/db/errors.js';
import { isRecoverableDbFailure } from '../../server/process-guard.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: insert …'), { cause });

describe('database errors', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '57P01', '57P03', '53300', '08006'])(
    '%s, even wrapped by drizzle, is an outage',
    (code) => {
      expect(classifyDbError(pgError(code))).toBe('unavailable');
      expect(classifyDbError(wrapped(pgError(code)))).toBe('unavailable');
    },
  );

  it('tells a refused database apart from other object-state errors', () => {
    expect(classifyDbError(pgError('55000', 'database "x" is not currently accepting connections'))).toBe('unavailable');
    expect(classifyDbError(pgError('55000', 'object not in prerequisite state'))).toBeUndefined();
  });

  it('knows a lost create race and text the database cannot store', () => {
    expect(classifyDbError(wrapped(pgError('23505')))).toBe('unique_violation');
    expect(classifyDbError(wrapped(pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')))).toBe('unstorable_text');
    expect(classifyDbError(wrapped(pgError('22P05', 'unsupported Unicode escape sequence')))).toBe('unstorable_text');
    expect(classifyDbError(wrapped(pgError('22P02', 'invalid input syntax for type integer')))).toBeUndefined();
    expect(classifyDbError(new Error('boom'))).toBeUndefined();
  });

  it('survives only known-recoverable failures at process level', () => {
    const driverCrash = new TypeError("Cannot read properties of null (reading 'write')");
    driverCrash.stack = `${driverCrash.message}\n    at Immediate.nextWrite (file:///app/node_modules/postgres/src/connection.js:255:22)\n    at process.processImmediate (node:internal/timers:485:21)`;
    expect(isRecoverableDbFailure(driverCrash)).toBe(true);
    expect(isRecoverableDbFailure(pgError('ECONNRESET'))).toBe(true);
    const ours = new TypeError("Cannot read properties of undefined (reading 'id')");
    ours.stack = `${ours.message}\n    at listItem (file:///app/server/catalogue/collections.ts:10:1)`;
    expect(isRecoverableDbFailure(ours)).toBe(false);
  });
});
