/** Auth routes: who am I, the dev issuer (token, users, JWKS) when enabled, provider membership. */
import type { Hono } from 'hono';
import { z } from 'zod';
import { Id } from '../../schemas/common.js';
import type { Db } from '../db/client.js';
import { forbidden, notFound, unauthenticated, validationFailed } from '../http/errors.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import { pathId, readJson } from '../http/validate.js';
import { Membership, ProviderRole } from '../../schemas/policy.js';
import { accountActions, canAtProvider } from '../policy/index.js';
import type { Actor } from './actor.js';
import { addMember, findUser, listUsers, membershipsByUser, removeMember } from './queries.js';
import { getProviderRow } from '../catalogue/queries.js';
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
  actions: z.array(z.enum(['import', 'createCollection', 'admin'])),
});

const DevTokenRequest = z.object({ user: Id }).strict();
const DevTokenResponse = z.object({ token: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number() });
const DevUser = z.object({ id: z.string(), name: z.string(), isAdmin: z.boolean(), providerIds: z.array(z.string()), memberships: z.array(Membership) });
const MemberRequest = z.object({ userId: Id, role: ProviderRole.default('data_manager') }).strict();

export function authRoutes(app: Hono<AppEnv>, api: ApiRegistry, deps: { db: Db; devIssuer?: DevIssuer }) {
  const T = ['Auth'];
  api.route(app, { method: 'get', path: '/api/v1/me', summary: 'Who the request is acting as', tags: T, auth: 'optional', responses: { 200: { description: 'The actor', schema: Me } } },
    (c) => {
      const a = c.get('actor');
      const actions = accountActions(a);
      return c.json(
        a.kind === 'anonymous'
          ? { kind: 'anonymous', isAdmin: false, providerIds: [], memberships: [], actions }
          : { kind: 'user', id: a.id, name: a.name, email: a.email, isAdmin: a.isAdmin, providerIds: a.memberships.map((m: Membership) => m.providerId), memberships: a.memberships, actions },
      );
    });

  const issuer = deps.devIssuer;
  if (issuer) {
    api.route(app, { method: 'get', path: '/api/v1/dev/users', summary: 'Demo users to sign in as (dev auth only)', tags: ['Dev auth'], responses: { 200: { description: 'Users', schema: z.object({ items: z.array(DevUser) }) } } },
      async (c) => {
        const [users, members] = await Promise.all([listUsers(deps.db), membershipsByUser(deps.db)]);
        return c.json({
          items: users.map((u) => {
            const memberships = members.get(u.id) ?? [];
            return { id: u.id, name: u.name, isAdmin: u.isAdmin, providerIds: memberships.map((m: Membership) => m.providerId), memberships };
          }),
        });
      });
    api.route(app, { method: 'post', path: '/api/v1/dev/token', summary: 'Issue a token for a demo user (dev auth only)', tags: ['Dev auth'], body: DevTokenRequest, responses: { 200: { description: 'A bearer token', schema: DevTokenResponse } } },
      async (c) => {
        const { user } = await readJson(c, DevTokenRequest);
        const u = await findUser(deps.db, user);
        if (!u) throw validationFailed([{ path: 'user', message: 'no such demo user (see GET /api/v1/dev/users)' }]);
        const expiresIn = 8 * 3600;
        const token = await issuer.sign({ sub: u.id, name: u.name, ...(u.email ? { email: u.email } : {}) }, expiresIn);
        return c.json({ token, tokenType: 'Bearer' as const, expiresIn });
      });
    api.route(app, { method: 'get', path: '/api/v1/dev/jwks.json', summary: "The dev issuer's public keys", tags: ['Dev auth'], responses: { 200: { description: 'JWKS' } } },
      (c) => c.json(issuer.jwks()));
  }

  const A = ['Admin'];
  api.route(app, { method: 'post', path: '/api/v1/providers/:id/members', summary: 'Give a user a role at the provider: data manager (default) or viewer (admins)', tags: A, auth: 'required', body: MemberRequest, responses: { 204: { description: 'Added' } } },
    async (c) => {
      const providerId = pathId(c, 'id', 'provider');
      requireMemberManager(c.get('actor'), providerId);
      if (!(await getProviderRow(deps.db, providerId))) throw notFound('provider');
      const { userId, role } = await readJson(c, MemberRequest);
      if (!(await findUser(deps.db, userId))) throw validationFailed([{ path: 'userId', message: 'no such user (users appear after their first sign-in)' }]);
      await addMember(deps.db, providerId, userId, role);
      return c.body(null, 204);
    });
  api.route(app, { method: 'delete', path: '/api/v1/providers/:id/members/:userId', summary: 'Remove a member of the provider (admins)', tags: A, auth: 'required', responses: { 204: { description: 'Removed' } } },
    async (c) => {
      requireMemberManager(c.get('actor'), pathId(c, 'id', 'provider'));
      await removeMember(deps.db, pathId(c, 'id', 'provider'), pathId(c, 'userId', 'user'));
      return c.body(null, 204);
    });
}

function requireMemberManager(a: Actor, providerId: string) {
  if (a.kind !== 'user') throw unauthenticated();
  if (!canAtProvider(a, 'manageMembers', providerId)) throw forbidden('Only catalogue admins manage memberships.');
}
