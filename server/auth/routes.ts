/** Auth routes: who am I, and the dev issuer (token, users, JWKS) when enabled. */
import type { Hono } from 'hono';
import { z } from 'zod';
import { Id } from '../../schemas/common.js';
import type { Db } from '../db/client.js';
import { validationFailed } from '../http/errors.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import { readJson } from '../http/validate.js';
import { Membership } from '../../schemas/policy.js';
import { accountActions } from '../policy/index.js';
import { findUser, listUsers, membershipsByUser } from './queries.js';
import type { DevIssuer } from './tokens.js';

export const Me = z.object({
  kind: z.enum(['anonymous', 'user']),
  id: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  isAdmin: z.boolean(),
  /** Every provider the user has a role at (see `memberships` for the role). */
  providerIds: z.array(z.string()),
  memberships: z.array(Membership),
  /** Account-level actions, computed by the policy (the web shows navigation from it). */
  actions: z.array(z.enum(['import', 'createCollection', 'reviewRequests', 'admin'])),
});

const DevTokenRequest = z.object({ user: Id }).strict();
const DevTokenResponse = z.object({ token: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number() });
const DevUser = z.object({
  id: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
  providerIds: z.array(z.string()),
  memberships: z.array(Membership),
});

export function authRoutes(app: Hono<AppEnv>, api: ApiRegistry, deps: { db: Db; devIssuer?: DevIssuer }) {
  const T = ['Auth'];
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/me',
      summary: 'Who the request is acting as',
      tags: T,
      auth: 'optional',
      responses: { 200: { description: 'The actor', schema: Me } },
    },
    (c) => {
      const a = c.get('actor');
      const actions = accountActions(a);
      return c.json(
        a.kind === 'anonymous'
          ? { kind: 'anonymous', isAdmin: false, providerIds: [], memberships: [], actions }
          : {
              kind: 'user',
              id: a.id,
              name: a.name,
              email: a.email,
              isAdmin: a.isAdmin,
              providerIds: a.memberships.map((m: Membership) => m.providerId),
              memberships: a.memberships,
              actions,
            },
      );
    },
  );

  const issuer = deps.devIssuer;
  if (issuer) {
    api.route(
      app,
      {
        method: 'get',
        path: '/api/v1/dev/users',
        summary: 'Demo users to sign in as (dev auth only)',
        tags: ['Dev auth'],
        responses: { 200: { description: 'Users', schema: z.object({ items: z.array(DevUser) }) } },
      },
      async (c) => {
        const [users, members] = await Promise.all([listUsers(deps.db), membershipsByUser(deps.db)]);
        return c.json({
          items: users.map((u) => {
            const memberships = members.get(u.id) ?? [];
            return {
              id: u.id,
              name: u.name,
              isAdmin: u.isAdmin,
              providerIds: memberships.map((m: Membership) => m.providerId),
              memberships,
            };
          }),
        });
      },
    );
    api.route(
      app,
      {
        method: 'post',
        path: '/api/v1/dev/token',
        summary: 'Issue a token for a demo user (dev auth only)',
        tags: ['Dev auth'],
        body: DevTokenRequest,
        responses: { 200: { description: 'A bearer token', schema: DevTokenResponse } },
      },
      async (c) => {
        const { user } = await readJson(c, DevTokenRequest);
        const u = await findUser(deps.db, user);
        if (!u) throw validationFailed([{ path: 'user', message: 'no such demo user (see GET /api/v1/dev/users)' }]);
        const expiresIn = 8 * 3600;
        const token = await issuer.sign({ sub: u.id, name: u.name, ...(u.email ? { email: u.email } : {}) }, expiresIn);
        return c.json({ token, tokenType: 'Bearer' as const, expiresIn });
      },
    );
    api.route(
      app,
      {
        method: 'get',
        path: '/api/v1/dev/jwks.json',
        summary: "The dev issuer's public keys",
        tags: ['Dev auth'],
        responses: { 200: { description: 'JWKS' } },
      },
      (c) => c.json(issuer.jwks()),
    );
  }
}
