/** Spot-checks: The web (SvelteKit): guard, CSRF, sign-in callback. */
import { type Check, esc, unit, browser } from './types.js';

/** The server hooks' logic (web/src/hooks.server.ts re-exports it). */
const HOOKS = 'web/src/lib/server/hooks.ts';

export const checks: Check[] = [
  // --- the web (SvelteKit) ------------------------------------------------------------------
  {
    id: 'web.guard.signedInPages',
    file: 'web/src/lib/server/guard.ts',
    what: 'the signed-in pages are open to anonymous visitors',
    find: '  if (SIGNED_IN_PAGES.has(routeId)) return true;\n',
    replace: '',
    runs: [unit('web-guard')],
  },
  {
    id: 'web.guard.posts',
    file: 'web/src/lib/server/guard.ts',
    what: 'form actions are open to anonymous visitors',
    find: "  return method === 'POST' && !ANONYMOUS_POSTS.has(routeId);",
    replace: '  return false;',
    runs: [unit('web-guard')],
  },
  {
    id: 'web.safeReturn.slashes',
    file: 'web/src/lib/server/guard.ts',
    what: 'sign-in may return to `/.//evil.example`',
    find: " || u.pathname.startsWith('//')) return fallback;",
    replace: ') return fallback;',
    runs: [unit('web-guard', 'web-safe-return')],
  },
  {
    id: 'web.origin.crossSite',
    file: 'web/src/lib/server/origin.ts',
    what: 'the CSRF guard lets every form post through',
    find: '  return !from || (from !== event.url.host && from !== trusted);',
    replace: '  return false;',
    runs: [unit('web-origin')],
  },
  {
    id: 'web.hooks.csrf',
    file: HOOKS,
    what: 'the server hooks do not call the CSRF guard',
    find: "  if (isCrossSiteForm(event)) return text('Cross-site form submissions are forbidden', { status: 403 });\n",
    replace: '',
    runs: [unit('web-hooks'), browser('web-actions-matrix', 'another site')],
  },
  {
    id: 'web.hooks.signIn',
    file: HOOKS,
    what: 'the server hooks do not call the sign-in guard',
    find: "  if (locals.me.kind !== 'user' && needsSignIn(event.route.id, event.request.method)) redirect(303, signInLocation(event.url));\n",
    replace: '',
    runs: [unit('web-hooks'), browser('web-actions-matrix', esc('/collections/[id] ?/cart:'))],
  },
  {
    id: 'web.callback.state',
    file: 'web/src/routes/signin/callback/+server.ts',
    what: 'the OIDC callback does not compare the state with the flow cookie',
    find: "  if (!code || params.get('state') !== flow.state) error(",
    replace: '  if (!code) error(',
    runs: [browser('oidc-signin')],
  },
];
