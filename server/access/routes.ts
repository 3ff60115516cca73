/** Thin HTTP routes of access requests: validate, call one verb, shape the response. */
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import {
  AccessFormDraft,
  AccessRequest,
  AssignInput,
  Attachment,
  Cart,
  CartItemInput,
  CreateRequestInput,
  DecisionInput,
  History,
  Message,
  MessageInput,
  MessageList,
  OptionalReasonInput,
  PolicyConflict,
  RequestList,
} from '../../schemas/access.js';
import type { ServiceContext } from '../core/context.js';
import { payloadTooLarge } from '../http/errors.js';
import { serviceContext } from '../http/context.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import { pathId, readJson, readQuery } from '../http/validate.js';
import * as decisions from './decisions.js';
import { history } from './inbox.js';
import type { AccessHooks } from './hooks.js';
import * as messages from './messages.js';
import * as read from './read.js';
import * as requests from './requests.js';
import { inboxRoutes } from './inbox-routes.js';

export interface AccessRouteDeps {
  hooks: AccessHooks;
}

/** Bodies are optional on command endpoints: no body (whatever the content type) counts as `{}`. */
const optionalJson = <S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> => readJson(c, schema, { emptyAs: {} });

export function accessRoutes(app: Hono<AppEnv>, api: ApiRegistry, deps: AccessRouteDeps) {
  const ctx = (c: Context<AppEnv>): ServiceContext => serviceContext(c);
  const T = ['Access requests'];
  const R = '/api/v1/requests/:id';
  const id = (c: Context) => pathId(c, 'id', 'request');
  const itemId = (c: Context) => pathId(c, 'itemId', 'item');
  const reqOut = {
    200: { description: 'The request as you may see it', schema: AccessRequest },
    409: { description: 'Illegal transition (code illegal_transition)' },
  };

  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/cart',
      summary: 'Your cart of collections to request',
      tags: T,
      auth: 'required',
      responses: { 200: { description: 'The cart', schema: Cart } },
    },
    async (c) => c.json(await requests.getCart(ctx(c))),
  );
  api.route(
    app,
    {
      method: 'post',
      path: '/api/v1/cart/items',
      summary: 'Add a collection to your cart',
      tags: T,
      auth: 'required',
      body: CartItemInput,
      responses: {
        201: { description: 'The cart', schema: Cart },
        404: { description: 'No such collection (or not visible)' },
        409: { description: 'Open access: nothing to request (code not_requestable)' },
      },
    },
    async (c) => c.json(await requests.addToCart(ctx(c), (await readJson(c, CartItemInput)).collectionId), 201),
  );
  api.route(
    app,
    {
      method: 'delete',
      path: '/api/v1/cart/items/:collectionId',
      summary: 'Remove a collection from your cart',
      tags: T,
      auth: 'required',
      responses: { 204: { description: 'Removed (or was not there)' } },
    },
    async (c) => {
      await requests.removeFromCart(ctx(c), pathId(c, 'collectionId', 'collection'));
      return c.body(null, 204);
    },
  );

  api.route(
    app,
    {
      method: 'post',
      path: '/api/v1/requests',
      summary: 'Create a draft request from your cart or from collection ids',
      tags: T,
      auth: 'required',
      body: CreateRequestInput,
      responses: {
        201: { description: 'The draft', schema: AccessRequest },
        409: { description: 'Cart empty or a collection not requestable' },
      },
    },
    async (c) => {
      const created = await requests.createRequest(ctx(c), await optionalJson(c, CreateRequestInput));
      c.header('Location', `/api/v1/requests/${created.id}`);
      return c.json(created, 201);
    },
  );
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/requests',
      summary: 'Your requests (admins: all)',
      tags: T,
      auth: 'required',
      responses: { 200: { description: 'Requests', schema: RequestList } },
    },
    async (c) => c.json(await read.listRequests(ctx(c))),
  );
  api.route(
    app,
    {
      method: 'get',
      path: R,
      summary: "Read a request (owners see their provider's items only)",
      tags: T,
      auth: 'required',
      responses: reqOut,
    },
    async (c) => c.json(await read.getRequest(ctx(c), id(c))),
  );
  api.route(
    app,
    {
      method: 'put',
      path: R,
      summary: 'Save the form answers (draft autosave; after a return, opens a new version)',
      tags: T,
      auth: 'required',
      body: AccessFormDraft,
      responses: reqOut,
    },
    async (c) => c.json(await requests.saveForm(ctx(c), id(c), await readJson(c, z.unknown()))),
  );
  api.route(
    app,
    {
      method: 'get',
      path: `${R}/policy-check`,
      summary: "Conflicts of the current answers with each collection's policy",
      tags: T,
      auth: 'required',
      responses: { 200: { description: 'Conflicts', schema: z.object({ conflicts: z.array(PolicyConflict) }) } },
    },
    async (c) => c.json(await requests.policyCheck(ctx(c), id(c))),
  );
  api.route(
    app,
    {
      method: 'post',
      path: `${R}/submit`,
      summary: 'Submit (or resubmit after a return); each collection goes to its provider',
      tags: T,
      auth: 'required',
      responses: { ...reqOut, 422: { description: 'Form incomplete (code form_incomplete, errors[].path)' } },
    },
    async (c) => c.json(await requests.submitRequest(ctx(c), id(c))),
  );
  api.route(
    app,
    {
      method: 'post',
      path: `${R}/withdraw`,
      summary: 'Withdraw every undecided item',
      tags: T,
      auth: 'required',
      body: OptionalReasonInput,
      responses: reqOut,
    },
    async (c) => c.json(await requests.withdrawRequest(ctx(c), id(c), (await optionalJson(c, OptionalReasonInput)).reason)),
  );
  api.route(
    app,
    {
      method: 'post',
      path: `${R}/renew`,
      summary: 'Renew: a new draft for the granted collections, prefilled',
      tags: T,
      auth: 'required',
      responses: { 201: { description: 'The new draft', schema: AccessRequest }, 409: { description: 'Nothing granted to renew' } },
    },
    async (c) => {
      const created = await requests.renewRequest(ctx(c), id(c));
      c.header('Location', `/api/v1/requests/${created.id}`);
      return c.json(created, 201);
    },
  );

  const I = `${R}/items/:itemId`;
  api.route(
    app,
    { method: 'post', path: `${I}/review`, summary: 'Take an item into review (owner)', tags: T, auth: 'required', responses: reqOut },
    async (c) => c.json(await decisions.startReview(ctx(c), id(c), itemId(c))),
  );
  api.route(
    app,
    {
      method: 'post',
      path: `${I}/decision`,
      summary: 'Approve, reject or return an item (data manager of its provider)',
      tags: T,
      auth: 'required',
      body: DecisionInput,
      responses: reqOut,
    },
    async (c) => c.json(await decisions.decideItem(ctx(c), deps.hooks, id(c), itemId(c), await readJson(c, DecisionInput))),
  );
  api.route(
    app,
    {
      method: 'post',
      path: `${I}/revoke`,
      summary: 'Revoke granted access (owner)',
      tags: T,
      auth: 'required',
      body: OptionalReasonInput,
      responses: reqOut,
    },
    async (c) =>
      c.json(await decisions.revokeItem(ctx(c), deps.hooks, id(c), itemId(c), (await optionalJson(c, OptionalReasonInput)).reason)),
  );
  api.route(
    app,
    {
      method: 'post',
      path: `${I}/grant`,
      summary: "Ask XNAT for an approved item's role again (e.g. after its XNAT was registered)",
      tags: T,
      auth: 'required',
      responses: reqOut,
    },
    async (c) => c.json(await decisions.retryGrant(ctx(c), deps.hooks, id(c), itemId(c))),
  );
  api.route(
    app,
    {
      method: 'post',
      path: `${I}/withdraw`,
      summary: 'Withdraw one item, also granted access (researcher); its XNAT role is removed',
      tags: T,
      auth: 'required',
      body: OptionalReasonInput,
      responses: reqOut,
    },
    async (c) =>
      c.json(await requests.withdrawItem(ctx(c), deps.hooks, id(c), itemId(c), (await optionalJson(c, OptionalReasonInput)).reason)),
  );
  api.route(
    app,
    {
      method: 'post',
      path: `${I}/assign`,
      summary: 'Reassign an item to another decider (admin)',
      tags: T,
      auth: 'required',
      body: AssignInput,
      responses: reqOut,
    },
    async (c) => c.json(await decisions.assignItem(ctx(c), id(c), itemId(c), (await readJson(c, AssignInput)).assigneeId)),
  );

  api.route(
    app,
    {
      method: 'get',
      path: `${R}/history`,
      summary: 'Every step of the request, from the audit log',
      tags: T,
      auth: 'required',
      responses: { 200: { description: 'Events', schema: History } },
    },
    async (c) => c.json(await history(ctx(c), id(c))),
  );
  api.route(
    app,
    {
      method: 'get',
      path: `${R}/messages`,
      summary: 'Messages you may read on this request',
      tags: T,
      auth: 'required',
      responses: { 200: { description: 'Messages', schema: MessageList } },
    },
    async (c) => c.json(await messages.listMessages(ctx(c), id(c))),
  );
  api.route(
    app,
    {
      method: 'post',
      path: `${R}/messages`,
      summary: 'Post a message to all owners or privately to one provider',
      tags: T,
      auth: 'required',
      body: MessageInput,
      responses: { 201: { description: 'Posted', schema: Message } },
    },
    async (c) => c.json(await messages.postMessage(ctx(c), id(c), await readJson(c, MessageInput)), 201),
  );

  const limit = messages.ATTACHMENT_LIMIT_BYTES;
  app.use(
    `${R}/attachments`,
    bodyLimit({
      maxSize: limit,
      onError: () => {
        throw payloadTooLarge(`Attachments are limited to ${limit / 1024 / 1024} MB.`);
      },
    }),
  );
  api.route(
    app,
    {
      method: 'post',
      path: `${R}/attachments`,
      summary: 'Upload an attachment (raw body; PDF or image, sniffed from the content; 5 MB)',
      description:
        'Send the file as the body; name it with `?filename=`. Refer to it from a message (`attachmentIds`) or the form (`ethics.attachmentId`).',
      tags: T,
      auth: 'required',
      query: z.object({ filename: z.string().max(300).optional() }),
      responses: {
        201: { description: 'Stored', schema: Attachment },
        413: { description: 'Too large' },
        415: { description: 'Not a PDF or image (code attachment_refused)' },
      },
    },
    async (c) => {
      const { filename } = readQuery(c, z.object({ filename: z.string().max(300).optional() }));
      const bytes = Buffer.from(await c.req.arrayBuffer());
      return c.json(await messages.uploadAttachment(ctx(c), id(c), filename ?? 'attachment', bytes), 201);
    },
  );
  api.route(
    app,
    {
      method: 'get',
      path: `${R}/attachments/:attachmentId`,
      summary: 'Download an attachment (reads are logged)',
      tags: T,
      auth: 'required',
      responses: { 200: { description: 'The file', contentType: 'application/octet-stream' } },
    },
    async (c) => {
      const row = await messages.readAttachment(ctx(c), id(c), pathId(c, 'attachmentId', 'attachment'));
      return new Response(new Uint8Array(row.bytes), {
        headers: {
          'content-type': row.contentType,
          'content-disposition': `attachment; filename="${row.filename}"`,
          'x-content-type-options': 'nosniff',
        },
      });
    },
  );

  inboxRoutes(app, api);
}
