/**
 * What a database error means for the caller, whatever driver raised it (postgres.js, PGlite) and
 * however it was wrapped (drizzle's DrizzleQueryError keeps the driver's error as `cause`).
 */

/** SQLSTATEs and driver/socket codes meaning "the database cannot be reached right now". */
const UNAVAILABLE = new Set([
  // Node sockets
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED',
  // postgres.js
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections,
  // connection_exception family, database does not allow connections (55000 is too broad: see below)
  '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '08007',
]);

export type DbErrorKind = 'unavailable' | 'unique_violation' | 'unstorable_text' | 'serialization' | undefined;

/** The error codes along the `cause` chain (outermost first). */
export function errorCodes(e: unknown): string[] {
  const codes: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 6; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    cur = (cur as { cause?: unknown }).cause;
  }
  return codes;
}

export function classifyDbError(e: unknown): DbErrorKind {
  const codes = errorCodes(e);
  if (codes.some((c) => UNAVAILABLE.has(c))) return 'unavailable';
  if (codes.includes('23505')) return 'unique_violation';
  // character_not_in_repertoire, untranslatable_character, unsupported Unicode escape (jsonb)
  if (codes.some((c) => c === '22021' || c === '22P05' || c === '22P02') && /unicode|0x00|byte sequence|untranslatable|surrogate/i.test(messages(e))) {
    return 'unstorable_text';
  }
  if (codes.includes('40001') || codes.includes('40P01')) return 'serialization';
  // "database … is not currently accepting connections" (ALLOW_CONNECTIONS false) is 55000.
  if (codes.includes('55000') && /not currently accepting connections/i.test(messages(e))) return 'unavailable';
  return undefined;
}

export const isDbUnavailable = (e: unknown) => classifyDbError(e) === 'unavailable';
export const isUniqueViolation = (e: unknown) => classifyDbError(e) === 'unique_violation';

function messages(e: unknown): string {
  const out: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 6; depth++) {
    const m = (cur as { message?: unknown }).message;
    if (typeof m === 'string') out.push(m);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out.join(' | ');
}
