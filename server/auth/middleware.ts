/**
 * Every request gets an actor: anonymous, or the user a valid bearer token (header, or the
 * `session` cookie the web app sets) names. A present but invalid token is a 401, never silently
 * anonymous, so clients learn their token expired.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Db } from '../db/client.js';
import { forbidden, unauthenticated } from '../http/errors.js';
import { domainProblem, problemResponse, PROBLEM_STATUS } from '../http/problem.js';
import { ANONYMOUS, userActor, type Actor } from './actor.js';
import { findUser, membershipsOf, upsertUserOnSignIn } from './queries.js';
import type { TokenVerifier } from './tokens.js';

export const SESSION_COOKIE = 'session';

export function actorMiddleware(deps: { db: Db; verifier: TokenVerifier; adminUsers: string[] }): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    let token: string | undefined;
    let fromCookie = false;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw unauthenticated('Use "Authorization: Bearer <token>".');
      token = m[1];
    } else {
      token = getCookie(c, SESSION_COOKIE) || undefined;
      fromCookie = token !== undefined || namesSessionCookie(c.req.header('cookie'));
      // Present but unparseable (quoted, non-ASCII, empty): say so and clear it, never anonymous.
      if (!token && fromCookie) return sessionRefused(c);
      // Cookie-authenticated writes must come from our own pages (SameSite=Lax already blocks most).
      if (token && !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
        const origin = c.req.header('origin');
        if (origin && hostOf(origin) !== (c.req.header('host') ?? new URL(c.req.url).host)) {
          throw forbidden('Cross-site requests cannot use the session cookie.');
        }
      }
    }
    let actor: Actor = ANONYMOUS;
    if (token) {
      let claims;
      try {
        claims = await deps.verifier.verify(token);
      } catch {
        if (fromCookie) return sessionRefused(c);
        throw unauthenticated('The token is invalid or expired; sign in again.');
      }
      const makeAdmin = deps.adminUsers.includes(claims.sub);
      // Write only when something changed: reads must not cost a database write each.
      let user = await findUser(deps.db, claims.sub);
      if (!user || (makeAdmin && !user.isAdmin) || (claims.name && claims.name !== user.name)) {
        user = await upsertUserOnSignIn(deps.db, {
          id: claims.sub,
          name: claims.name ?? claims.sub,
          email: claims.email,
          makeAdmin,
        });
      }
      actor = userActor({
        id: user.id,
        name: user.name,
        email: user.email ?? undefined,
        isAdmin: user.isAdmin,
        memberships: await membershipsOf(deps.db, user.id),
      });
    }
    c.set('actor', actor);
    await next();
  };
}

export function requireUser(actor: Actor): asserts actor is Extract<Actor, { kind: 'user' }> {
  if (actor.kind !== 'user') throw unauthenticated();
}

const namesSessionCookie = (header: string | undefined) =>
  !!header && new RegExp(`(?:^|;)\\s*${SESSION_COOKIE}\\s*(?:=|;|$)`).test(header);

/** 401 that also clears the session cookie, so the browser stops sending it. */
function sessionRefused(c: Context): Response {
  const url = new URL(c.req.url);
  const secure = url.protocol === 'https:' ? '; Secure' : '';
  const p = domainProblem(unauthenticated('The session is invalid or expired; sign in again.'), c.get('requestId') as string | undefined, url.pathname);
  return problemResponse(c, p, {
    ...PROBLEM_STATUS.unauthenticated.headers,
    'Set-Cookie': `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure}`,
  });
}

const hostOf = (origin: string) => {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
};
