/**
 * Who the caller is (server/auth/middleware.ts): the real middleware with a real dev-issuer verifier on
 * a real PostgreSQL database, mounted in a small Hono app that answers with the actor it was given.
 * Rules: a bearer header wins over the session cookie; an invalid token is a 401, never anonymous
 * (an invalid cookie is also cleared); cookie-authenticated writes from another site are refused.
 */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../server/auth/actor.js';
import { actorMiddleware, requireUser } from '../../server/auth/middleware.js';
import { DomainError } from '../../server/core/errors.js';
import { ensureUser } from '../../server/auth/queries.js';
import { createDevIssuer, type DevIssuer } from '../../server/auth/tokens.js';
import { appUser } from '../../server/db/schema.js';
import { handleError } from '../../server/http/problem.js';
import { buildTestApp, uid } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let issuer: DevIssuer;
let app: Hono<{ Variables: { actor: Actor } }>;
const BOSS = uid('boss');

beforeAll(async () => {
  tdb = await createTestDatabase();
  issuer = await createDevIssuer();
  app = new Hono<{ Variables: { actor: Actor } }>();
  app.use('*', actorMiddleware({ db: tdb.database.db, verifier: issuer.verifier, adminUsers: [BOSS] }));
  app.all('*', (c) => c.json(c.get('actor')));
  app.onError((err, c) => handleError(err, c, () => {}));
});
afterAll(async () => {
  await tdb?.drop();
});

const send = async (method: string, headers: Record<string, string>, url = 'http://api.test/x') => {
  const res = await app.request(url, { method, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
};
const token = (sub: string, name?: string, email?: string) => issuer.sign({ sub, ...(name ? { name } : {}), ...(email ? { email } : {}) });
const bearer = async (sub: string, name?: string) => ({ authorization: `Bearer ${await token(sub, name)}` });
const cookie = async (sub: string, name?: string) => ({ cookie: `theme=dark; session=${await token(sub, name)}` });
const lastSeen = async (id: string) =>
  (await tdb.database.db.select({ t: appUser.lastSeenAt }).from(appUser).where(eq(appUser.id, id)))[0]?.t?.getTime();

const CLEARED = 'session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax';

describe('bearer tokens', () => {
  it('without credentials the caller is anonymous', async () => {
    expect((await send('GET', {})).body).toEqual({ kind: 'anonymous' });
    expect((await send('POST', { origin: 'https://evil.example' })).body).toEqual({ kind: 'anonymous' });
  });

  it('a valid token names the user, created at first sight with its name and email', async () => {
    const id = uid('u');
    const res = await send('GET', { authorization: `Bearer ${await token(id, 'Ann Analyst', 'ann@example.org')}` });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'user', id, name: 'Ann Analyst', email: 'ann@example.org', isAdmin: false, memberships: [] });
    // Without a name the subject stands in; without an email there is none.
    const bare = uid('u');
    expect((await send('GET', await bearer(bare))).body).toEqual({ kind: 'user', id: bare, name: bare, isAdmin: false, memberships: [] });
  });

  it('accepts the scheme in any case and several spaces; refuses other schemes and malformed headers', async () => {
    const t = await token(uid('u'));
    expect((await send('GET', { authorization: `bearer   ${t}` })).body.kind).toBe('user');
    expect((await send('GET', { authorization: `BEARER ${t}` })).body.kind).toBe('user');
    for (const authorization of [`Basic ${t}`, 'Bearer', `Bearer${t}`, `Bearer ${t} extra`, `xBearer ${t}`, `Bearer ${t}, Bearer ${t}`]) {
      const res = await send('GET', { authorization });
      expect(res.status, authorization).toBe(401);
      expect(res.body.detail).toBe('Use "Authorization: Bearer <token>".');
    }
  });

  it('an invalid or expired token is a 401 (not anonymous), without touching cookies', async () => {
    for (const t of ['garbage', await issuer.sign({ sub: uid('u') }, -120), await (await createDevIssuer()).sign({ sub: uid('u') })]) {
      const res = await send('GET', { authorization: `Bearer ${t}` });
      expect(res.status).toBe(401);
      expect(res.body.detail).toBe('The token is invalid or expired; sign in again.');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('the bearer header wins over the session cookie, and a bad header never falls back to it', async () => {
    const a = uid('a');
    const b = uid('b');
    const both = { ...(await bearer(a)), ...(await cookie(b)) };
    expect((await send('GET', both)).body.id).toBe(a);
    expect((await send('GET', { ...(await bearer(a)), cookie: 'session=garbage' })).body.id).toBe(a);
    const bad = await send('GET', { authorization: 'Bearer garbage', ...(await cookie(b)) });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    // The cross-site rule guards the cookie only: a bearer request from another site is the client's own.
    expect((await send('POST', { ...both, origin: 'https://elsewhere.example' })).body.id).toBe(a);
  });
});

describe('the session cookie', () => {
  it('names the user on reads', async () => {
    const id = uid('c');
    expect((await send('GET', await cookie(id, 'Carl'))).body).toMatchObject({ kind: 'user', id, name: 'Carl' });
  });

  it('an invalid, empty or valueless session cookie is a 401 that clears it (Secure over https)', async () => {
    const expired = await issuer.sign({ sub: uid('c') }, -120);
    for (const c of [`session=${expired}`, 'session=garbage', 'session=', 'session', 'a=1; session', 'a=1;session=; b=2', 'session;a=1']) {
      const res = await send('GET', { cookie: c });
      expect(res.status, c).toBe(401);
      expect(res.body.detail).toBe('The session is invalid or expired; sign in again.');
      expect(res.body.instance).toBe('/x');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.headers.get('set-cookie')).toBe(CLEARED);
    }
    const secure = await send('GET', { cookie: 'session=garbage' }, 'https://api.test/y');
    expect(secure.headers.get('set-cookie')).toBe(`${CLEARED}; Secure`);
    expect(secure.body.instance).toBe('/y');
  });

  it('other cookies whose names merely contain "session" are not the session', async () => {
    for (const c of ['mysession=abc', 'sessions=abc', 'session_id=1', 'a=session']) {
      const res = await send('GET', { cookie: c });
      expect(res.status, c).toBe(200);
      expect(res.body).toEqual({ kind: 'anonymous' });
    }
  });

  it('refuses cookie-authenticated writes from another site, whatever the token', async () => {
    const auth = await cookie(uid('w'));
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const origin of ['https://evil.example', 'http://api.test:8080', 'null', 'not a url']) {
        const res = await send(method, { ...auth, origin });
        expect(res.status, `${method} ${origin}`).toBe(403);
        expect(res.body.detail).toBe('Cross-site requests cannot use the session cookie.');
      }
    }
    expect((await send('POST', { cookie: 'session=garbage', origin: 'https://evil.example' })).status).toBe(403);
  });

  it('allows cookie writes from our own origin (Host header, else the URL) or without an Origin, and cross-site reads', async () => {
    const auth = await cookie(uid('w'));
    expect((await send('POST', { ...auth, origin: 'http://api.test' })).body.kind).toBe('user');
    expect((await send('DELETE', auth)).body.kind).toBe('user');
    // Behind a proxy the Host header names the site, not the URL the app sees.
    expect((await send('POST', { ...auth, host: 'catalogue.example', origin: 'https://catalogue.example' })).body.kind).toBe('user');
    expect((await send('POST', { ...auth, host: 'catalogue.example', origin: 'http://api.test' })).status).toBe(403);
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      const res = await send(method, { ...auth, origin: 'https://evil.example' });
      expect(res.status, method).toBe(200);
    }
  });
});

describe('users and roles at sign-in', () => {
  it('ADMIN_USERS are admins at first sight, and an existing user listed there is promoted', async () => {
    expect((await send('GET', await bearer(BOSS))).body.isAdmin).toBe(true);
    await tdb.database.db.update(appUser).set({ isAdmin: false }).where(eq(appUser.id, BOSS));
    expect((await send('GET', await bearer(BOSS))).body.isAdmin).toBe(true);
    const other = uid('u');
    await ensureUser(tdb.database.db, { id: other, name: 'Other', isAdmin: true });
    expect((await send('GET', await bearer(other))).body.isAdmin).toBe(true); // not listed, stays what it is
  });

  it('a changed name is written; reads with unchanged claims write nothing', async () => {
    const id = uid('n');
    await ensureUser(tdb.database.db, { id, name: 'Old Name', email: 'old@example.org' });
    const before = await lastSeen(id);
    // No name in the token: the stored one stays, and the row is not written.
    expect((await send('GET', await bearer(id))).body).toMatchObject({ name: 'Old Name', email: 'old@example.org' });
    expect((await send('GET', await bearer(id, 'Old Name'))).body.name).toBe('Old Name');
    expect(await lastSeen(id)).toBe(before);
    expect((await send('GET', await bearer(id, 'New Name'))).body).toMatchObject({ name: 'New Name', email: 'old@example.org' });
    expect(await lastSeen(id)).not.toBe(before);
  });

  it('carries the memberships of the user', async () => {
    const t = await buildTestApp(tdb.database);
    const p1 = await t.provider();
    const p2 = await t.provider();
    const id = await t.user({ providerIds: [p1], viewerOf: [p2] });
    const expected = [
      { providerId: p1, role: 'data_manager' },
      { providerId: p2, role: 'viewer' },
    ].sort((x, y) => (x.providerId < y.providerId ? -1 : 1));
    expect((await send('GET', await bearer(id))).body.memberships).toEqual(expected);
  });
});

describe('requireUser', () => {
  it('lets users through and refuses the anonymous caller as unauthenticated', async () => {
    const user = (await send('GET', await bearer(uid('r')))).body as Actor;
    expect(() => requireUser(user)).not.toThrow();
    const err = (() => {
      try {
        requireUser({ kind: 'anonymous' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('unauthenticated');
  });
});
