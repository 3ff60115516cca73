/**
 * The web's one sign-in guard (used by hooks.server.ts). Deny by default: every form action (any
 * POST to a page) needs a signed-in user, except the sign-in and sign-out forms themselves; so do
 * the pages listed here, for their load and their actions alike. What a signed-in user may then do
 * is the API's decision (403 / 404 from the policy), not the web's.
 */

/** Pages (SvelteKit route ids) that are only for signed-in users. */
export const SIGNED_IN_PAGES: ReadonlySet<string> = new Set(['/collections/new', '/collections/[id]/edit', '/import']);

/** Route ids whose POSTs anonymous visitors may send. */
export const ANONYMOUS_POSTS: ReadonlySet<string> = new Set(['/signin', '/signout']);

export function needsSignIn(routeId: string | null, method: string): boolean {
  if (!routeId) return false;
  if (SIGNED_IN_PAGES.has(routeId)) return true;
  return method === 'POST' && !ANONYMOUS_POSTS.has(routeId);
}

/** A safe local path to return to after sign-in (no open redirects). */
export function safeReturn(target: string | null | undefined, fallback = '/'): string {
  if (!target || !target.startsWith('/')) return fallback;
  // Browsers drop tabs and newlines inside URLs and treat "\" as "/": "/\t/evil.org" would become "//evil.org".
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(target)) return fallback;
  const base = 'http://local.invalid';
  let u: URL;
  try {
    u = new URL(target, base);
  } catch {
    return fallback;
  }
  // The parsed path itself must not read as `//host` (`/.//evil.org` parses to `//evil.org`).
  if (u.origin !== base || u.pathname.startsWith('//')) return fallback;
  return u.pathname + u.search + u.hash;
}

/** Where to send someone who must sign in first: back to this page (not to the action, which was a POST). */
export function signInLocation(url: URL): string {
  return `/signin?redirectTo=${encodeURIComponent(safeReturn(url.pathname + url.search.replace(/^\?\/[^&]*&?/, '?').replace(/\?$/, '')))}`;
}
