/** Thin HTTP routes of collections: list, read, write, lifecycle, revisions, same-dataset links. */
import type { Hono } from 'hono';
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
import { CollectionRevisions } from '../../schemas/history.js';
import { serviceContext as ctx } from '../http/context.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import { pathId, readJson, readJsonValue, readQuery } from '../http/validate.js';
import * as collections from './collections.js';
import { collectionRevisions } from './history.js';
import { IF_MATCH, ifMatch, withEtag } from './http-etag.js';
import { sameDatasetOf } from './same-dataset.js';

const SameDatasetItem = z.object({ id: z.string(), title: z.string(), providerId: z.string(), providerName: z.string() });

export function collectionRoutes(app: Hono<AppEnv>, api: ApiRegistry) {
  const T = ['Collections'];
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/collections',
      summary: 'List collections you may see (cursor paging)',
      tags: T,
      auth: 'optional',
      query: CollectionListQuery,
      responses: { 200: { description: 'A page', schema: Page(CollectionSummary) } },
    },
    async (c) => c.json(await collections.listCollections(ctx(c), readQuery(c, CollectionListQuery))),
  );

  api.route(
    app,
    {
      method: 'post',
      path: '/api/v1/collections',
      summary: 'Create a collection (draft)',
      tags: T,
      auth: 'required',
      body: CollectionInput,
      responses: { 201: { description: 'Created', schema: Collection } },
    },
    async (c) => {
      const created = await collections.createCollection(ctx(c), await readJsonValue(c));
      c.header('Location', `/api/v1/collections/${encodeURIComponent(created.id)}`);
      return withEtag(c, created, 201);
    },
  );

  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/collections/:id',
      summary: 'Read a collection (withdrawn ones as a tombstone)',
      tags: T,
      auth: 'optional',
      responses: { 200: { description: 'The collection', schema: z.union([Collection, CollectionTombstone]) } },
    },
    async (c) => withEtag(c, await collections.getCollection(ctx(c), pathId(c, 'id', 'collection'))),
  );

  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/collections/:id/same-dataset',
      summary: "Other providers' collections of the same dataset (same DOI or landing page) that you may see",
      tags: T,
      auth: 'optional',
      responses: { 200: { description: 'Also catalogued by', schema: z.object({ items: z.array(SameDatasetItem) }) } },
    },
    async (c) => c.json({ items: await sameDatasetOf(ctx(c), pathId(c, 'id', 'collection')) }),
  );

  api.route(
    app,
    {
      method: 'put',
      path: '/api/v1/collections/:id',
      summary: 'Replace a collection (optimistic concurrency)',
      tags: T,
      auth: 'required',
      body: CollectionInput,
      headers: IF_MATCH,
      responses: {
        200: { description: 'Updated', schema: Collection },
        412: { description: 'Changed since you read it' },
        428: { description: 'If-Match missing' },
      },
    },
    async (c) => {
      const id = pathId(c, 'id', 'collection');
      const body = await readJsonValue(c);
      return withEtag(c, await collections.updateCollection(ctx(c), id, body, ifMatch(c)));
    },
  );

  api.route(
    app,
    {
      method: 'delete',
      path: '/api/v1/collections/:id',
      summary: 'Delete a draft',
      tags: T,
      auth: 'required',
      responses: { 204: { description: 'Deleted' }, 409: { description: 'Not a draft' } },
    },
    async (c) => {
      await collections.deleteCollection(ctx(c), pathId(c, 'id', 'collection'));
      return c.body(null, 204);
    },
  );

  api.route(
    app,
    {
      method: 'post',
      path: '/api/v1/collections/:id/publish',
      summary: 'Publish a draft (or re-publish a withdrawn collection)',
      tags: T,
      auth: 'required',
      responses: {
        200: { description: 'Published', schema: Collection },
        409: { description: 'Already published' },
        422: { description: 'Fields missing for publication' },
      },
    },
    async (c) => withEtag(c, await collections.publishCollection(ctx(c), pathId(c, 'id', 'collection'))),
  );

  api.route(
    app,
    {
      method: 'post',
      path: '/api/v1/collections/:id/withdraw',
      summary: 'Withdraw a published collection (it stays as a tombstone)',
      tags: T,
      auth: 'required',
      body: WithdrawInput,
      responses: { 200: { description: 'Withdrawn', schema: Collection } },
    },
    async (c) => {
      const id = pathId(c, 'id', 'collection');
      const { reason } = await readJson(c, WithdrawInput);
      return withEtag(c, await collections.withdrawCollection(ctx(c), id, reason));
    },
  );

  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/collections/:id/revisions',
      summary: 'The history of a collection: every revision, who made it and what changed (its editors)',
      tags: T,
      auth: 'required',
      responses: {
        200: { description: 'Revisions, newest first', schema: CollectionRevisions },
        404: { description: 'No such collection (or you may not see it)' },
      },
    },
    async (c) => c.json(await collectionRevisions(ctx(c), pathId(c, 'id', 'collection'))),
  );
}
