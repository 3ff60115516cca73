/** Thin HTTP routes of networks and projects. */
import type { Hono } from 'hono';
import { z } from 'zod';
import { Network, NetworkInput, NetworkPatch } from '../../schemas/provider.js';
import { serviceContext as ctx } from '../http/context.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import { pathId, readJsonValue } from '../http/validate.js';
import { IF_MATCH, ifMatch, withEtag } from './http-etag.js';
import * as networks from './networks.js';

export function networkRoutes(app: Hono<AppEnv>, api: ApiRegistry) {
  const N = ['Networks'];
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/networks',
      summary: 'List networks and projects',
      tags: N,
      responses: { 200: { description: 'All networks', schema: z.object({ items: z.array(Network) }) } },
    },
    async (c) => c.json(await networks.listNetworks(ctx(c))),
  );
  api.route(
    app,
    {
      method: 'post',
      path: '/api/v1/networks',
      summary: 'Create a network (admins)',
      tags: N,
      auth: 'required',
      body: NetworkInput,
      responses: { 201: { description: 'Created', schema: Network } },
    },
    async (c) => withEtag(c, await networks.createNetwork(ctx(c), await readJsonValue(c)), 201),
  );
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/networks/:id',
      summary: 'Read a network',
      tags: N,
      responses: { 200: { description: 'The network', schema: Network } },
    },
    async (c) => withEtag(c, await networks.getNetwork(ctx(c), pathId(c, 'id', 'network'))),
  );
  api.route(
    app,
    {
      method: 'put',
      path: '/api/v1/networks/:id',
      summary: 'Update a network (admins)',
      tags: N,
      auth: 'required',
      body: NetworkPatch,
      headers: IF_MATCH,
      responses: { 200: { description: 'Updated', schema: Network } },
    },
    async (c) => {
      const id = pathId(c, 'id', 'network');
      const body = await readJsonValue(c);
      return withEtag(c, await networks.updateNetwork(ctx(c), id, body, ifMatch(c)));
    },
  );
}
