const RETURN_BASE = 'http://return.invalid';

/**
 * A safe local path to return to after sign-in (no open redirects). Parsed the way the browser will
 * parse the Location header (it drops tabs and newlines and reads `\` as `/`, so `/\t/evil.example`
 * is `//evil.example`): only a target that stays on our origin is kept, in its parsed form.
 */
export function safeReturn(target: string | null | undefined, fallback = '/'): string {
  if (!target?.startsWith('/')) return fallback;
  const u = URL.canParse(target, RETURN_BASE) ? new URL(target, RETURN_BASE) : undefined;
  // The parsed path itself must not read as `//host` (`/.//evil.example` parses to `//evil.example`).
  return u?.origin === RETURN_BASE && !u.pathname.startsWith('//') ? u.pathname + u.search + u.hash : fallback;
}
