/**
 * The server hooks (re-exported by src/hooks.server.ts): who is signed in (from the `session` cookie,
 * via GET /api/v1/me), the one sign-in guard, the CSRF guard, and where server-side requests to /api/*
 * go (in-process when mounted by server/main.ts, else API_ORIGIN). Relative imports only, so the unit
 * tier can load this module without SvelteKit's `$lib` alias.
 */
import { redirect, text, type Handle, type HandleFetch } from '@sveltejs/kit';
import { ANONYMOUS, SESSION_COOKIE, type Me } from '../types.js';
import { needsSignIn, signInLocation } from './guard.js';
import { isCrossSiteForm, isHttps } from './origin.js';

const apiOrigin = () => process.env.API_ORIGIN ?? 'http://127.0.0.1:3000';

export const handle: Handle = async ({ event, resolve }) => {
  if (isCrossSiteForm(event)) return text('Cross-site form submissions are forbidden', { status: 403 });
  // App.Locals (web/src/app.d.ts) says the same; spelled out so the root tsconfig, without app.d.ts, agrees.
  const locals = event.locals as { me: Me };
  locals.me = ANONYMOUS;
  const session = event.cookies.get(SESSION_COOKIE);
  const named = /(?:^|;)\s*session\s*(?:=|;|$)/.test(event.request.headers.get('cookie') ?? '');
  if (named && !usableToken(session)) {
    // Present but unparseable, or not even a header value: forget it rather than carrying it along.
    event.cookies.delete(SESSION_COOKIE, { path: '/', secure: isHttps(event) });
  } else if (session) {
    try {
      const res = await event.fetch('/api/v1/me');
      if (res.ok) locals.me = (await res.json()) as Me;
      else if (res.status === 401) {
        // Expired or foreign token: forget it rather than failing every request.
        event.cookies.delete(SESSION_COOKIE, { path: '/', secure: isHttps(event) });
      }
    } catch {
      /* API unreachable: pages show their own error */
    }
  }
  // The one sign-in guard: pages and form actions alike (SvelteKit answers enhanced actions and
  // client navigations with its JSON form of this redirect).
  if (locals.me.kind !== 'user' && needsSignIn(event.route.id, event.request.method)) redirect(303, signInLocation(event.url));
  return resolve(event);
};

/** A token we can send as a header value (visible ASCII, no separators a bearer token cannot hold). */
const usableToken = (t: string | undefined): t is string => !!t && /^[A-Za-z0-9._~+/=-]+$/.test(t);

export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const url = new URL(request.url);
  if (url.origin !== event.url.origin || !(url.pathname === '/api' || url.pathname.startsWith('/api/'))) {
    return fetch(request);
  }
  const headers = new Headers(request.headers);
  const token = event.cookies.get(SESSION_COOKIE);
  if (usableToken(token) && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  headers.delete('cookie');
  // Set by server/main.ts (declared in web/src/app.d.ts): the API's own fetch.
  const inProcess = (globalThis as { __catalogueApiFetch?: (req: Request) => Response | Promise<Response> }).__catalogueApiFetch;
  const target = inProcess ? url : new URL(url.pathname + url.search, apiOrigin());
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers,
    body: hasBody ? await request.arrayBuffer() : undefined,
    redirect: 'manual',
  };
  const forwarded = new Request(target, init);
  return inProcess ? inProcess(forwarded) : globalThis.fetch(forwarded);
};
