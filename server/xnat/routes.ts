/** Thin HTTP routes of the XNAT module: validate, call one verb, shape the response. */
import type { Context, Hono } from 'hono';
import { serviceContext as ctx } from '../http/context.js';
import { z } from 'zod';
import {
  ProjectSyncStatus,
  ReconcileRequest,
  XnatAccount,
  XnatAccountInput,
  XnatConnectionTest,
  XnatGrant,
  XnatInstance,
  XnatInstanceInput,
  XnatInstancePatch,
} from '../../schemas/xnat.js';
import { unauthenticated } from '../http/errors.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import { pathId, readJson } from '../http/validate.js';
import * as grants from './grants.js';
import * as instances from './instances.js';

/** Mounted by the app: `modules: [xnatRoutes]`. Verbs get the request's service context (jobs included). */
export function xnatRoutes(app: Hono<AppEnv>, api: ApiRegistry): void {
  const T = ['XNAT'];
  const A = '/api/v1/admin/xnat';
  const list = (s: z.ZodType) => z.object({ items: z.array(s) });

  api.route(
    app,
    {
      method: 'get',
      path: `${A}/instances`,
      summary: 'XNAT instances (credentials are never returned)',
      tags: T,
      auth: 'required',
      responses: { 200: { description: 'Instances', schema: list(XnatInstance) } },
    },
    async (c) => c.json(await instances.listInstances(ctx(c))),
  );
  api.route(
    app,
    {
      method: 'post',
      path: `${A}/instances`,
      summary: 'Register an XNAT instance (alias token preferred)',
      tags: T,
      auth: 'required',
      body: XnatInstanceInput,
      responses: { 201: { description: 'Registered', schema: XnatInstance }, 409: { description: 'Id or key in use' } },
    },
    async (c) => {
      // Who may register comes before what: anonymous gets 401, not a validation problem.
      instances.requireAdmin(ctx(c));
      const input = await readJson(c, XnatInstanceInput);
      return c.json(await instances.createInstance(ctx(c), input), 201);
    },
  );
  api.route(
    app,
    {
      method: 'patch',
      path: `${A}/instances/:id`,
      summary: 'Change an XNAT instance (name, URL, key, credentials)',
      tags: T,
      auth: 'required',
      body: XnatInstancePatch,
      responses: { 200: { description: 'Updated', schema: XnatInstance } },
    },
    async (c) => {
      const id = pathId(c, 'id', 'XNAT instance');
      instances.requireAdmin(ctx(c));
      const patch = await readJson(c, XnatInstancePatch);
      return c.json(await instances.updateInstance(ctx(c), id, patch));
    },
  );
  api.route(
    app,
    {
      method: 'delete',
      path: `${A}/instances/:id`,
      summary: 'Remove an XNAT instance without grants',
      tags: T,
      auth: 'required',
      responses: { 204: { description: 'Removed' }, 409: { description: 'Grants exist' } },
    },
    async (c) => {
      const id = pathId(c, 'id', 'XNAT instance');
      await instances.deleteInstance(ctx(c), id);
      return c.body(null, 204);
    },
  );
  api.route(
    app,
    {
      method: 'post',
      path: `${A}/instances/:id/test`,
      summary: 'Connection test: sign in with the stored credentials',
      tags: T,
      auth: 'required',
      responses: { 200: { description: 'Result (ok or why not)', schema: XnatConnectionTest } },
    },
    async (c) => {
      const id = pathId(c, 'id', 'XNAT instance');
      return c.json(await instances.testInstance(ctx(c), id));
    },
  );
  api.route(
    app,
    {
      method: 'post',
      path: `${A}/reconcile`,
      summary: 'Queue a reconcile (all projects, one instance, or one project)',
      tags: T,
      auth: 'required',
      body: ReconcileRequest,
      responses: { 202: { description: 'Queued', schema: z.object({ queued: z.number().int() }) } },
    },
    async (c) => {
      const body = c.req.header('content-length') === '0' || !c.req.header('content-type') ? {} : await readJson(c, ReconcileRequest);
      return c.json(await grants.queueReconcile(ctx(c), body), 202);
    },
  );
  api.route(
    app,
    {
      method: 'get',
      path: `${A}/status`,
      summary: 'Sync status per project: in_sync, drift or failing',
      tags: T,
      auth: 'required',
      responses: { 200: { description: 'Per project', schema: list(ProjectSyncStatus) } },
    },
    async (c) => c.json(await grants.syncStatus(ctx(c))),
  );
  api.route(
    app,
    {
      method: 'get',
      path: `${A}/grants/failing`,
      summary: 'Grants that failed (dead letters) or are failing',
      tags: T,
      auth: 'required',
      responses: { 200: { description: 'Grants', schema: list(XnatGrant) } },
    },
    async (c) => c.json(await grants.failingGrants(ctx(c))),
  );
  api.route(
    app,
    {
      method: 'post',
      path: `${A}/grants/:id/retry`,
      summary: 'Retry a failed grant or revoke',
      tags: T,
      auth: 'required',
      responses: { 202: { description: 'Queued again', schema: XnatGrant } },
    },
    async (c) => {
      const id = pathId(c, 'id', 'grant');
      return c.json(await grants.retryGrant(ctx(c), id), 202);
    },
  );
  api.route(
    app,
    {
      method: 'put',
      path: `${A}/accounts/:userId/:instanceId`,
      summary: "Set a user's XNAT username on an instance (checked in XNAT)",
      tags: T,
      auth: 'required',
      body: XnatAccountInput,
      responses: { 200: { description: 'Set', schema: XnatAccount }, 422: { description: 'No such user in that XNAT' } },
    },
    async (c) => {
      const userId = pathId(c, 'userId', 'user');
      const instanceId = pathId(c, 'instanceId', 'XNAT instance');
      const { username } = await readJson(c, XnatAccountInput);
      instances.requireAdmin(ctx(c));
      return c.json(await instances.setAccount(ctx(c), userId, instanceId, username));
    },
  );

  const me = (c: Context<AppEnv>) => {
    const a = c.get('actor');
    if (a.kind !== 'user') throw unauthenticated();
    return a.id;
  };
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/me/xnat-accounts',
      summary: 'Your XNAT usernames per instance',
      tags: T,
      auth: 'required',
      responses: { 200: { description: 'Accounts', schema: list(XnatAccount) } },
    },
    async (c) => c.json(await instances.listAccounts(ctx(c), me(c))),
  );
  api.route(
    app,
    {
      method: 'put',
      path: '/api/v1/me/xnat-accounts/:instanceId',
      summary: 'Set your XNAT username on an instance (checked in XNAT)',
      tags: T,
      auth: 'required',
      body: XnatAccountInput,
      responses: { 200: { description: 'Set', schema: XnatAccount }, 422: { description: 'No such user in that XNAT' } },
    },
    async (c) => {
      const userId = me(c);
      const instanceId = pathId(c, 'instanceId', 'XNAT instance');
      const { username } = await readJson(c, XnatAccountInput);
      return c.json(await instances.setAccount(ctx(c), userId, instanceId, username));
    },
  );
  api.route(
    app,
    {
      method: 'delete',
      path: '/api/v1/me/xnat-accounts/:instanceId',
      summary: 'Remove your XNAT username on an instance',
      tags: T,
      auth: 'required',
      responses: { 204: { description: 'Removed' } },
    },
    async (c) => {
      const userId = me(c);
      const instanceId = pathId(c, 'instanceId', 'XNAT instance');
      await instances.removeAccount(ctx(c), userId, instanceId);
      return c.body(null, 204);
    },
  );
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/me/xnat-grants',
      summary: 'Your XNAT roles: state and a link into XNAT',
      tags: T,
      auth: 'required',
      responses: { 200: { description: 'Grants', schema: list(XnatGrant) } },
    },
    async (c) => c.json(await grants.myGrants(ctx(c))),
  );
}
