/** Thin HTTP routes of providers, their contacts and their members. */
import type { Hono } from 'hono';
import { z } from 'zod';
import { Id } from '../../schemas/common.js';
import { ProviderRole } from '../../schemas/policy.js';
import { Contact, ContactInput, Provider, ProviderInput, ProviderPatch } from '../../schemas/provider.js';
import { serviceContext as ctx } from '../http/context.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import { pathId, readJson, readJsonValue } from '../http/validate.js';
import { IF_MATCH, ifMatch, withEtag } from './http-etag.js';
import { addMembership, removeMembership } from './memberships.js';
import * as providers from './providers.js';

const CONTACT_IF_MATCH = [
  {
    name: 'If-Match',
    required: false,
    description: 'To replace an existing contact: its ETag ("<revision>"); 428 without it, 412 if it changed since',
  },
];

const MemberRequest = z.object({ userId: Id, role: ProviderRole.default('data_manager') }).strict();

export function providerRoutes(app: Hono<AppEnv>, api: ApiRegistry) {
  const P = ['Providers'];
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/providers',
      summary: 'List providers',
      tags: P,
      responses: { 200: { description: 'All providers', schema: z.object({ items: z.array(Provider) }) } },
    },
    async (c) => c.json(await providers.listProviders(ctx(c))),
  );
  api.route(
    app,
    {
      method: 'post',
      path: '/api/v1/providers',
      summary: 'Create a provider (admins)',
      tags: P,
      auth: 'required',
      body: ProviderInput,
      responses: { 201: { description: 'Created', schema: Provider } },
    },
    async (c) => withEtag(c, await providers.createProvider(ctx(c), await readJsonValue(c)), 201),
  );
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/providers/:id',
      summary: 'Read a provider',
      tags: P,
      responses: { 200: { description: 'The provider', schema: Provider } },
    },
    async (c) => withEtag(c, await providers.getProvider(ctx(c), pathId(c, 'id', 'provider'))),
  );
  api.route(
    app,
    {
      method: 'put',
      path: '/api/v1/providers/:id',
      summary: 'Update a provider (its data managers, admins)',
      tags: P,
      auth: 'required',
      body: ProviderPatch,
      headers: IF_MATCH,
      responses: { 200: { description: 'Updated', schema: Provider } },
    },
    async (c) => {
      const id = pathId(c, 'id', 'provider');
      const body = await readJsonValue(c);
      return withEtag(c, await providers.updateProvider(ctx(c), id, body, ifMatch(c)));
    },
  );
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/providers/:id/contacts',
      summary: "List a provider's contacts",
      tags: P,
      responses: { 200: { description: 'Contacts', schema: z.object({ items: z.array(Contact) }) } },
    },
    async (c) => c.json(await providers.listContacts(ctx(c), pathId(c, 'id', 'provider'))),
  );
  api.route(
    app,
    {
      method: 'put',
      path: '/api/v1/contacts',
      summary: 'Create or replace a contact of a provider (If-Match needed to replace)',
      tags: P,
      auth: 'required',
      body: ContactInput,
      headers: CONTACT_IF_MATCH,
      responses: {
        200: { description: 'Saved', schema: Contact },
        412: { description: 'Changed since you read it' },
        428: { description: 'If-Match missing for an existing contact' },
      },
    },
    async (c) => {
      const body = await readJsonValue(c);
      return withEtag(c, await providers.putContact(ctx(c), body, ifMatch(c)));
    },
  );

  const A = ['Admin'];
  api.route(
    app,
    {
      method: 'post',
      path: '/api/v1/providers/:id/members',
      summary: 'Give a user a role at the provider: data manager (default) or viewer (admins)',
      tags: A,
      auth: 'required',
      body: MemberRequest,
      responses: { 204: { description: 'Added' } },
    },
    async (c) => {
      const providerId = pathId(c, 'id', 'provider');
      const { userId, role } = await readJson(c, MemberRequest);
      await addMembership(ctx(c), providerId, userId, role);
      return c.body(null, 204);
    },
  );
  api.route(
    app,
    {
      method: 'delete',
      path: '/api/v1/providers/:id/members/:userId',
      summary: 'Remove a member of the provider (admins)',
      tags: A,
      auth: 'required',
      responses: { 204: { description: 'Removed' } },
    },
    async (c) => {
      await removeMembership(ctx(c), pathId(c, 'id', 'provider'), pathId(c, 'userId', 'user'));
      return c.body(null, 204);
    },
  );
}
