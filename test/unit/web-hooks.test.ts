/**
 * The web's server hooks (web/src/lib/server/hooks.ts, re-exported by web/src/hooks.server.ts): who a
 * request is signed in as, which requests are sent to sign in first, cross-site forms, and how the
 * web's server-side calls reach the API with the session as a bearer token.
 *
 * The event is SvelteKit's shape built from real Request/URL objects, its `fetch` goes through
 * `handleFetch` as SvelteKit's does; the API behind it is a small stand-in answering GET /api/v1/me
 * (the real API's answers are covered by the integration and browser tiers).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handle, handleFetch } from '../../web/src/lib/server/hooks.js';
import { ANONYMOUS, type Me } from '../../web/src/lib/types.js';

const ALICE: Me = { kind: 'user', id: 'alice', name: 'Alice', isAdmin: false, providerIds: ['p1'], memberships: [], actions: ['import'] };
const ORIGIN = 'http://web.test';

type Forwarded = { url: string; method: string; headers: Headers; body: string; redirect: RequestRedirect };
let apiSeen: Forwarded[];
let outsideSeen: Request[];

/** Stand-in API (the in-process one server/main.ts installs): `good` is Alice, `down` fails, anything else 401. */
async function api(req: Request): Promise<Response> {
  apiSeen.push({ url: req.url, method: req.method, headers: req.headers, body: await req.text(), redirect: req.redirect });
  const auth = req.headers.get('authorization');
  if (new URL(req.url).pathname !== '/api/v1/me') return new Response('other', { status: 200 });
  if (auth === 'Bearer good') return Response.json(ALICE);
  if (auth === 'Bearer broken') return new Response('oops', { status: 500 });
  if (auth === 'Bearer unreachable') throw new TypeError('fetch failed');
  return new Response('no', { status: 401 });
}

/** What handleFetch hands anything that is not our API to (SvelteKit's own fetch). */
const outside = async (input: URL | RequestInfo) => {
  outsideSeen.push(input as Request);
  return new Response('outside');
};

beforeEach(() => {
  apiSeen = [];
  outsideSeen = [];
  (globalThis as Record<string, unknown>).__catalogueApiFetch = api;
});
afterEach(() => {
  delete (globalThis as Record<string, unknown>).__catalogueApiFetch;
  delete process.env.API_ORIGIN;
});

interface Opts {
  method?: string;
  path?: string;
  route?: string | null;
  cookie?: string;
  headers?: Record<string, string>;
  body?: string;
}

function makeEvent(o: Opts = {}) {
  const url = new URL(o.path ?? '/', ORIGIN);
  const headers = new Headers(o.headers);
  if (o.cookie !== undefined) headers.set('cookie', o.cookie);
  const request = new Request(url, { method: o.method ?? 'GET', headers, body: o.body });
  const jar = new Map<string, string>();
  for (const part of (o.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) jar.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  const deleted: { name: string; opts: unknown }[] = [];
  const event = {
    url,
    request,
    route: { id: o.route === undefined ? '/' : o.route },
    locals: {} as { me?: Me },
    cookies: {
      get: (name: string) => jar.get(name),
      delete: (name: string, opts: unknown) => deleted.push({ name, opts }),
    },
    fetch: (input: string, init?: RequestInit) =>
      handleFetch({ event: event as never, request: new Request(new URL(input, url), init), fetch: outside }),
  };
  return { event, deleted };
}

async function run(o: Opts = {}) {
  const { event, deleted } = makeEvent(o);
  let resolved = false;
  let response: Response | undefined;
  let thrown: unknown;
  try {
    response = await handle({
      event: event as never,
      resolve: async () => {
        resolved = true;
        return new Response('page');
      },
    });
  } catch (e) {
    thrown = e;
  }
  return { me: event.locals.me, deleted, resolved, response, thrown, event };
}

describe('who is signed in', () => {
  it('without a session cookie: anonymous, and the API is not asked', async () => {
    const r = await run({ cookie: 'theme=dark' });
    expect(r.me).toEqual(ANONYMOUS);
    expect(r.resolved).toBe(true);
    expect(apiSeen).toEqual([]);
    expect(r.deleted).toEqual([]);
  });

  it('with a valid session: the user the API names, asked with the session as a bearer token and no cookies', async () => {
    const r = await run({ cookie: 'theme=dark; session=good' });
    expect(r.me).toEqual(ALICE);
    expect(apiSeen).toHaveLength(1);
    expect(apiSeen[0]!.url).toBe(`${ORIGIN}/api/v1/me`);
    expect(apiSeen[0]!.headers.get('authorization')).toBe('Bearer good');
    expect(apiSeen[0]!.headers.has('cookie')).toBe(false);
    expect(r.deleted).toEqual([]);
  });

  it('an expired or foreign session is forgotten (cookie deleted), and the visitor is anonymous', async () => {
    const r = await run({ cookie: 'session=expired' });
    expect(r.me).toEqual(ANONYMOUS);
    expect(r.resolved).toBe(true);
    expect(r.deleted).toEqual([{ name: 'session', opts: { path: '/', secure: false } }]);
  });

  it('the deleted cookie is a Secure one when the browser talks https to us', async () => {
    const r = await run({ cookie: 'session=expired', headers: { 'x-forwarded-proto': 'https' } });
    expect(r.deleted).toEqual([{ name: 'session', opts: { path: '/', secure: true } }]);
  });

  it('keeps the session when the API fails or cannot be reached (no sign-out by outage), anonymous meanwhile', async () => {
    for (const token of ['broken', 'unreachable']) {
      const r = await run({ cookie: `session=${token}` });
      expect(r.me, token).toEqual(ANONYMOUS);
      expect(r.deleted, token).toEqual([]);
      expect(r.resolved, token).toBe(true);
    }
  });

  it('a session cookie that cannot be a bearer token is forgotten without asking the API', async () => {
    for (const cookie of ['session=', 'session', 'a=1; session=has space', 'a=1;session=quote"d', 'session=x,y']) {
      apiSeen = [];
      const r = await run({ cookie, headers: { origin: 'https://web.test' } });
      expect(r.me, cookie).toEqual(ANONYMOUS);
      expect(apiSeen, cookie).toEqual([]);
      expect(r.deleted, cookie).toEqual([{ name: 'session', opts: { path: '/', secure: true } }]);
    }
  });

  it('accepts every character a bearer token may hold', async () => {
    const token = 'aZ09._~+/=-';
    await run({ cookie: `session=${token}` });
    expect(apiSeen.map((s) => s.headers.get('authorization'))).toEqual([`Bearer ${token}`]);
  });

  it('other cookies whose names merely contain "session" are left alone', async () => {
    for (const cookie of ['mysession=bad value', 'session_old=bad value', 'x=session=1']) {
      const r = await run({ cookie });
      expect(r.deleted, cookie).toEqual([]);
      expect(apiSeen, cookie).toEqual([]);
    }
  });
});

describe('the sign-in guard', () => {
  it('sends anonymous visitors of a signed-in page to sign in, back to that page', async () => {
    const r = await run({ path: '/import?x=1', route: '/import' });
    expect(r.resolved).toBe(false);
    expect(r.thrown).toMatchObject({ status: 303, location: `/signin?redirectTo=${encodeURIComponent('/import?x=1')}` });
  });

  it('sends an anonymous form action to sign in, back to the page, not the action', async () => {
    const r = await run({ method: 'POST', path: '/collections/c1?/publish', route: '/collections/[id]', headers: { origin: ORIGIN } });
    expect(r.resolved).toBe(false);
    expect(r.thrown).toMatchObject({ status: 303, location: `/signin?redirectTo=${encodeURIComponent('/collections/c1')}` });
  });

  it('an expired session counts as signed out', async () => {
    const r = await run({ path: '/collections/new', route: '/collections/new', cookie: 'session=expired' });
    expect(r.thrown).toMatchObject({ status: 303 });
    expect(r.deleted).toHaveLength(1);
  });

  it('lets a signed-in user through to the same pages and actions', async () => {
    const page = await run({ path: '/import', route: '/import', cookie: 'session=good' });
    expect(page.thrown).toBeUndefined();
    expect(page.resolved).toBe(true);
    const action = await run({
      method: 'POST',
      path: '/collections/c1?/publish',
      route: '/collections/[id]',
      cookie: 'session=good',
      headers: { origin: ORIGIN },
    });
    expect(action.thrown).toBeUndefined();
    expect(action.resolved).toBe(true);
  });

  it('lets anonymous visitors read public pages and use the sign-in form', async () => {
    expect((await run({ path: '/collections/c1', route: '/collections/[id]' })).resolved).toBe(true);
    expect((await run({ method: 'POST', path: '/signin', route: '/signin', headers: { origin: ORIGIN } })).resolved).toBe(true);
  });
});

describe('cross-site forms', () => {
  it('refuses a form posted from another site with 403, before anything else', async () => {
    const r = await run({
      method: 'POST',
      path: '/collections/c1?/delete',
      route: '/collections/[id]',
      cookie: 'session=good',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x=1',
    });
    expect(r.response?.status).toBe(403);
    expect(await r.response?.text()).toMatch(/cross-site/i);
    expect(r.resolved).toBe(false);
    expect(apiSeen).toEqual([]);
  });

  it('accepts the same form from our own origin', async () => {
    const r = await run({
      method: 'POST',
      path: '/collections/c1?/delete',
      route: '/collections/[id]',
      cookie: 'session=good',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x=1',
    });
    expect(r.resolved).toBe(true);
  });
});

describe("the web's server-side calls to the API", () => {
  const call = (path: string, init: RequestInit & { cookie?: string } = {}) => {
    const { event } = makeEvent({ cookie: init.cookie ?? 'session=good' });
    return handleFetch({ event: event as never, request: new Request(new URL(path, ORIGIN), init), fetch: outside });
  };

  it('carry the session as a bearer token, never the browser cookies, and do not follow redirects', async () => {
    await call('/api/v1/collections?limit=5', { headers: { cookie: 'session=good; theme=dark' } });
    expect(apiSeen).toHaveLength(1);
    expect(apiSeen[0]).toMatchObject({ url: `${ORIGIN}/api/v1/collections?limit=5`, method: 'GET', body: '', redirect: 'manual' });
    expect(apiSeen[0]!.headers.get('authorization')).toBe('Bearer good');
    expect(apiSeen[0]!.headers.has('cookie')).toBe(false);
  });

  it('keep an authorization the page set itself', async () => {
    await call('/api/v1/me', { headers: { authorization: 'Bearer other' } });
    expect(apiSeen[0]!.headers.get('authorization')).toBe('Bearer other');
  });

  it('send no token for a session that cannot be one', async () => {
    await call('/api/v1/me', { cookie: 'session=has space' });
    expect(apiSeen[0]!.headers.has('authorization')).toBe(false);
  });

  it('forward the body of writes, and none for GET and HEAD', async () => {
    await call('/api/v1/collections', { method: 'POST', body: '{"title":"T"}', headers: { 'content-type': 'application/json' } });
    await call('/api/v1/collections', { method: 'HEAD' });
    expect(apiSeen.map((s) => [s.method, s.body])).toEqual([
      ['POST', '{"title":"T"}'],
      ['HEAD', ''],
    ]);
  });

  it('/api itself is the API too', async () => {
    await call('/api');
    expect(apiSeen.map((s) => s.url)).toEqual([`${ORIGIN}/api`]);
  });

  it('leave other origins and non-API paths alone, without the session', async () => {
    for (const url of ['https://elsewhere.example/api/v1/me', `${ORIGIN}/apis/v1`, `${ORIGIN}/collections`]) {
      outsideSeen = [];
      const res = await call(url);
      expect(await res.text(), url).toBe('outside');
      expect(
        outsideSeen.map((r) => r.url),
        url,
      ).toEqual([url]);
      expect(outsideSeen[0]!.headers.has('authorization'), url).toBe(false);
    }
    expect(apiSeen).toEqual([]);
  });

  it('go to the API on 127.0.0.1:3000 by default when it is not mounted in-process', async () => {
    delete (globalThis as Record<string, unknown>).__catalogueApiFetch;
    const real = globalThis.fetch;
    const sent: Request[] = [];
    globalThis.fetch = (async (req: Request) => {
      sent.push(req);
      return new Response('api');
    }) as typeof fetch;
    try {
      await call('/api/v1/me?x=1');
    } finally {
      globalThis.fetch = real;
    }
    expect(sent.map((r) => [r.url, r.headers.get('authorization')])).toEqual([['http://127.0.0.1:3000/api/v1/me?x=1', 'Bearer good']]);
  });

  it('go to API_ORIGIN over HTTP when the API is not mounted in-process', async () => {
    delete (globalThis as Record<string, unknown>).__catalogueApiFetch;
    const seen: { url?: string; method?: string; headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ url: req.url, method: req.method, headers: req.headers, body });
        res.writeHead(303, { location: '/elsewhere' }).end();
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      process.env.API_ORIGIN = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const res = await call('/api/v1/collections?q=lung', { method: 'PUT', body: 'b', cookie: 'session=good' });
      expect(res.status).toBe(303); // not followed
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ url: '/api/v1/collections?q=lung', method: 'PUT', body: 'b' });
      expect(seen[0]!.headers.authorization).toBe('Bearer good');
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });
});
