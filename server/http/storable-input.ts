/**
 * Middleware: refuse, before any route runs, a request whose path, query or header-derived values
 * (cookies, percent-decoded) hold text the database cannot store. JSON bodies are checked where
 * they are read (validate.ts), so bulk import can reject such a record on its own.
 */
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { FieldError } from '../../schemas/common.js';
import { findUnstorableStrings, INVALID_CHARACTERS_MESSAGE, isStorableText, safeKey } from '../../schemas/storable.js';
import { invalidCharacters } from './errors.js';

export function refuseUnstorableInput(): MiddlewareHandler {
  return async (c, next) => {
    const errors = unstorableInRequest(c.req.url, c.req.raw.headers, () => getCookie(c));
    if (errors.length) throw invalidCharacters(errors);
    await next();
  };
}

export function unstorableInRequest(url: string, headers: Headers, cookies: () => Record<string, string>): FieldError[] {
  const errors: FieldError[] = [];
  const u = new URL(url);
  let path = u.pathname;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    /* malformed escapes: the routes answer 404 */
  }
  if (!isStorableText(path)) errors.push({ path: 'path', message: INVALID_CHARACTERS_MESSAGE, code: 'invalid_characters' });
  for (const key of new Set(u.searchParams.keys())) {
    const values = u.searchParams.getAll(key);
    const name = safeKey(key);
    if (!isStorableText(key) || values.some((v) => !isStorableText(v))) {
      errors.push({ path: `query.${name}`, message: INVALID_CHARACTERS_MESSAGE, code: 'invalid_characters' });
    }
  }
  // Header values are bytes (never NUL on the wire), but cookies and other values we percent-decode can be.
  if (headers.has('cookie')) errors.push(...findUnstorableStrings(cookies(), 'cookie'));
  return errors;
}
