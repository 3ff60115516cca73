/** Thin HTTP routes of the catalogue: validate, call one verb, shape the response. */
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import {
  Collection,
  CollectionInput,
  CollectionListQuery,
  CollectionSummary,
  CollectionTombstone,
  WithdrawInput,
} from '../../schemas/collection.js';
import { Page } from '../../schemas/common.js';
import { ImportReport, ImportRequest } from '../../schemas/import.js';
import { Contact, ContactInput, Network, NetworkInput, Provider, ProviderInput, ProviderPatch, NetworkPatch } from '../../schemas/provider.js';
import { CollectionRevisions } from '../../schemas/history.js';
import { Id } from '../../schemas/common.js';
import { ProviderRole } from '../../schemas/policy.js';
import { serviceContext as ctx } from '../http/context.js';
import { payloadTooLarge } from '../http/errors.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import { pathId, readJson, readJsonValue, readQuery } from '../http/validate.js';
import * as collections from './collections.js';
import { collectionRevisions } from './history.js';
import { importCollections } from './import.js';
import { addMembership, removeMembership } from './memberships.js';
import * as networks from './networks.js';
import { sameDatasetOf } from './same-dataset.js';
import * as providers from './providers.js';
import { etagOf, parseIfMatch } from './rules.js';

const SameDatasetItem = z.object({ id: z.string(), title: z.string(), providerId: z.string(), providerName: z.string() });

const IF_MATCH = [{ name: 'If-Match', required: true, description: 'ETag from the last read ("<revision>"); 412 if it changed since' }];

const CONTACT_IF_MATCH = [{ name: 'If-Match', required: false, description: 'To replace an existing contact: its ETag ("<revision>"); 428 without it, 412 if it changed since' }];

const MemberRequest = z.object({ userId: Id, role: ProviderRole.default('data_manager') }).strict();

export function catalogueRoutes(app: Hono<AppEnv>, api: ApiRegistry, deps: { importBodyLimitBytes: number }) {
  const withEtag = (c: Context<AppEnv>, body: object, status: 200 | 201 = 200) => {
    if ('revision' in body && typeof body.revision === 'number') c.header('ETag', etagOf(body.revision));
    return c.json(body, status);
  };
  const T = ['Collections'];

  api.route(app, { method: 'get', path: '/api/v1/collections', summary: 'List collections you may see (cursor paging)', tags: T, auth: 'optional', query: CollectionListQuery, responses: { 200: { description: 'A page', schema: Page(CollectionSummary) } } },
    async (c) => c.json(await collections.listCollections(ctx(c), readQuery(c, CollectionListQuery))));

  api.route(app, { method: 'post', path: '/api/v1/collections', summary: 'Create a collection (draft)', tags: T, auth: 'required', body: CollectionInput, responses: { 201: { description: 'Created', schema: Collection } } },
    async (c) => {
      const created = await collections.createCollection(ctx(c), await readJsonValue(c));
      c.header('Location', `/api/v1/collections/${encodeURIComponent(created.id)}`);
      return withEtag(c, created, 201);
    });

  api.route(app, { method: 'get', path: '/api/v1/collections/:id', summary: 'Read a collection (withdrawn ones as a tombstone)', tags: T, auth: 'optional', responses: { 200: { description: 'The collection', schema: z.union([Collection, CollectionTombstone]) } } },
    async (c) => withEtag(c, await collections.getCollection(ctx(c), pathId(c, 'id', 'collection'))));

  api.route(app, { method: 'get', path: '/api/v1/collections/:id/same-dataset', summary: 'Other providers\' collections of the same dataset (same DOI or landing page) that you may see', tags: T, auth: 'optional', responses: { 200: { description: 'Also catalogued by', schema: z.object({ items: z.array(SameDatasetItem) }) } } },
    async (c) => c.json({ items: await sameDatasetOf(ctx(c), pathId(c, 'id', 'collection')) }));

  api.route(app, { method: 'put', path: '/api/v1/collections/:id', summary: 'Replace a collection (optimistic concurrency)', tags: T, auth: 'required', body: CollectionInput, headers: IF_MATCH, responses: { 200: { description: 'Updated', schema: Collection }, 412: { description: 'Changed since you read it' }, 428: { description: 'If-Match missing' } } },
    async (c) => {
      const id = pathId(c, 'id', 'collection');
      const body = await readJsonValue(c);
      return withEtag(c, await collections.updateCollection(ctx(c), id, body, parseIfMatch(c.req.header('if-match'))));
    });

  api.route(app, { method: 'delete', path: '/api/v1/collections/:id', summary: 'Delete a draft', tags: T, auth: 'required', responses: { 204: { description: 'Deleted' }, 409: { description: 'Not a draft' } } },
    async (c) => {
      await collections.deleteCollection(ctx(c), pathId(c, 'id', 'collection'));
      return c.body(null, 204);
    });

  api.route(app, { method: 'post', path: '/api/v1/collections/:id/publish', summary: 'Publish a draft (or re-publish a withdrawn collection)', tags: T, auth: 'required', responses: { 200: { description: 'Published', schema: Collection }, 409: { description: 'Already published' }, 422: { description: 'Fields missing for publication' } } },
    async (c) => withEtag(c, await collections.publishCollection(ctx(c), pathId(c, 'id', 'collection'))));

  api.route(app, { method: 'post', path: '/api/v1/collections/:id/withdraw', summary: 'Withdraw a published collection (it stays as a tombstone)', tags: T, auth: 'required', body: WithdrawInput, responses: { 200: { description: 'Withdrawn', schema: Collection } } },
    async (c) => {
      const id = pathId(c, 'id', 'collection');
      const { reason } = await readJson(c, WithdrawInput);
      return withEtag(c, await collections.withdrawCollection(ctx(c), id, reason));
    });

  api.route(app, { method: 'get', path: '/api/v1/collections/:id/revisions', summary: 'The history of a collection: every revision, who made it and what changed (its editors)', tags: T, auth: 'required', responses: { 200: { description: 'Revisions, newest first', schema: CollectionRevisions }, 404: { description: 'No such collection (or you may not see it)' } } },
    async (c) => c.json(await collectionRevisions(ctx(c), pathId(c, 'id', 'collection'))));

  // Bulk import: its own, larger body limit.
  const importLimit = bodyLimit({
    maxSize: deps.importBodyLimitBytes,
    onError: () => { throw payloadTooLarge(`Import bodies are limited to ${deps.importBodyLimitBytes} bytes; split the list.`); },
  });
  app.use('/api/v1/import', importLimit);
  api.route(app, { method: 'post', path: '/api/v1/import', summary: 'Import a JSON list of collection documents', description: 'Each record is validated and written on its own: valid records are imported even when others fail. Send `Accept: application/x-ndjson` to receive progress lines `{"progress":{"done","total"}}` followed by `{"report":…}`.', tags: ['Import'], auth: 'required', body: ImportRequest, responses: { 200: { description: 'Per-record report', schema: ImportReport } } },
    async (c) => {
      // Records with text the database cannot store are rejected one by one in the report.
      const req = await readJson(c, ImportRequest, { itemsCheckedByCaller: 'collections' });
      const actorCtx = ctx(c);
      if ((c.req.header('accept') ?? '').includes('application/x-ndjson')) {
        const encoder = new TextEncoder();
        const stream = new ReadableStream({
          async start(controller) {
            const send = (o: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(o)}\n`));
            try {
              let last = 0;
              const report = await importCollections(actorCtx, req.collections, {
                publish: req.publish,
                dryRun: req.dryRun,
                onProgress: (done, total) => {
                  if (done === total || Date.now() - last > 100) { last = Date.now(); send({ progress: { done, total } }); }
                },
              });
              send({ report });
            } catch {
              send({ error: { code: 'internal_error', detail: 'The import stopped; records reported so far are written.' } });
            }
            controller.close();
          },
        });
        return new Response(stream, { headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' } });
      }
      return c.json(await importCollections(actorCtx, req.collections, { publish: req.publish, dryRun: req.dryRun }));
    });

  // Providers, networks, contacts ----------------------------------------------------------
  const P = ['Providers'];
  api.route(app, { method: 'get', path: '/api/v1/providers', summary: 'List providers', tags: P, responses: { 200: { description: 'All providers', schema: z.object({ items: z.array(Provider) }) } } },
    async (c) => c.json(await providers.listProviders(ctx(c))));
  api.route(app, { method: 'post', path: '/api/v1/providers', summary: 'Create a provider (admins)', tags: P, auth: 'required', body: ProviderInput, responses: { 201: { description: 'Created', schema: Provider } } },
    async (c) => withEtag(c, await providers.createProvider(ctx(c), await readJsonValue(c)), 201));
  api.route(app, { method: 'get', path: '/api/v1/providers/:id', summary: 'Read a provider', tags: P, responses: { 200: { description: 'The provider', schema: Provider } } },
    async (c) => withEtag(c, await providers.getProvider(ctx(c), pathId(c, 'id', 'provider'))));
  api.route(app, { method: 'put', path: '/api/v1/providers/:id', summary: 'Update a provider (its data managers, admins)', tags: P, auth: 'required', body: ProviderPatch, headers: IF_MATCH, responses: { 200: { description: 'Updated', schema: Provider } } },
    async (c) => {
      const id = pathId(c, 'id', 'provider');
      const body = await readJsonValue(c);
      return withEtag(c, await providers.updateProvider(ctx(c), id, body, parseIfMatch(c.req.header('if-match'))));
    });
  api.route(app, { method: 'get', path: '/api/v1/providers/:id/contacts', summary: "List a provider's contacts", tags: P, responses: { 200: { description: 'Contacts', schema: z.object({ items: z.array(Contact) }) } } },
    async (c) => c.json(await providers.listContacts(ctx(c), pathId(c, 'id', 'provider'))));
  api.route(app, { method: 'put', path: '/api/v1/contacts', summary: 'Create or replace a contact of a provider (If-Match needed to replace)', tags: P, auth: 'required', body: ContactInput, headers: CONTACT_IF_MATCH, responses: { 200: { description: 'Saved', schema: Contact }, 412: { description: 'Changed since you read it' }, 428: { description: 'If-Match missing for an existing contact' } } },
    async (c) => {
      const body = await readJsonValue(c);
      return withEtag(c, await providers.putContact(ctx(c), body, parseIfMatch(c.req.header('if-match'))));
    });

  const N = ['Networks'];
  api.route(app, { method: 'get', path: '/api/v1/networks', summary: 'List networks and projects', tags: N, responses: { 200: { description: 'All networks', schema: z.object({ items: z.array(Network) }) } } },
    async (c) => c.json(await networks.listNetworks(ctx(c))));
  api.route(app, { method: 'post', path: '/api/v1/networks', summary: 'Create a network (admins)', tags: N, auth: 'required', body: NetworkInput, responses: { 201: { description: 'Created', schema: Network } } },
    async (c) => withEtag(c, await networks.createNetwork(ctx(c), await readJsonValue(c)), 201));
  api.route(app, { method: 'get', path: '/api/v1/networks/:id', summary: 'Read a network', tags: N, responses: { 200: { description: 'The network', schema: Network } } },
    async (c) => withEtag(c, await networks.getNetwork(ctx(c), pathId(c, 'id', 'network'))));
  api.route(app, { method: 'put', path: '/api/v1/networks/:id', summary: 'Update a network (admins)', tags: N, auth: 'required', body: NetworkPatch, headers: IF_MATCH, responses: { 200: { description: 'Updated', schema: Network } } },
    async (c) => {
      const id = pathId(c, 'id', 'network');
      const body = await readJsonValue(c);
      return withEtag(c, await networks.updateNetwork(ctx(c), id, body, parseIfMatch(c.req.header('if-match'))));
    });

  const A = ['Admin'];
  api.route(app, { method: 'post', path: '/api/v1/providers/:id/members', summary: 'Give a user a role at the provider: data manager (default) or viewer (admins)', tags: A, auth: 'required', body: MemberRequest, responses: { 204: { description: 'Added' } } },
    async (c) => {
      const providerId = pathId(c, 'id', 'provider');
      const { userId, role } = await readJson(c, MemberRequest);
      await addMembership(ctx(c), providerId, userId, role);
      return c.body(null, 204);
    });
  api.route(app, { method: 'delete', path: '/api/v1/providers/:id/members/:userId', summary: 'Remove a member of the provider (admins)', tags: A, auth: 'required', responses: { 204: { description: 'Removed' } } },
    async (c) => {
      await removeMembership(ctx(c), pathId(c, 'id', 'provider'), pathId(c, 'userId', 'user'));
      return c.body(null, 204);
    });
}
