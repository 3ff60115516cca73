/** Access routes around the workflow: the owners' inbox, notifications, preferences, time-to-decision stats, captured dev mail. */
import type { Context, Hono } from 'hono';
import { DecisionStats, Inbox, InboxQuery, MailList, NotificationList, Preferences, PreferencesInput } from '../../schemas/access.js';
import type { ServiceContext } from '../core/context.js';
import { notFound } from '../http/errors.js';
import { serviceContext } from '../http/context.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import { pathId, readJson, readQuery } from '../http/validate.js';
import * as owners from './inbox.js';
import * as messages from './messages.js';
import { mailCaptured } from './notify.js';

export function inboxRoutes(app: Hono<AppEnv>, api: ApiRegistry) {
  const ctx = (c: Context<AppEnv>): ServiceContext => serviceContext(c);
  const T = ['Access requests'];
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/inbox',
      summary: 'Items awaiting your decision (filter by collection, status, age) and unread notifications',
      tags: T,
      auth: 'required',
      query: InboxQuery,
      responses: { 200: { description: 'Inbox', schema: Inbox } },
    },
    async (c) => c.json(await owners.inbox(ctx(c), readQuery(c, InboxQuery))),
  );
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/notifications',
      summary: 'Your notifications',
      tags: T,
      auth: 'required',
      responses: { 200: { description: 'Notifications', schema: NotificationList } },
    },
    async (c) => c.json(await messages.listNotifications(ctx(c))),
  );
  api.route(
    app,
    {
      method: 'post',
      path: '/api/v1/notifications/read',
      summary: 'Mark all your notifications read',
      tags: T,
      auth: 'required',
      responses: { 204: { description: 'Done' } },
    },
    async (c) => {
      await messages.markNotificationsRead(ctx(c));
      return c.body(null, 204);
    },
  );
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/me/notification-preferences',
      summary: 'How you are notified per event class',
      tags: T,
      auth: 'required',
      responses: { 200: { description: 'Preferences', schema: Preferences } },
    },
    async (c) => c.json(await messages.getPreferences(ctx(c))),
  );
  api.route(
    app,
    {
      method: 'put',
      path: '/api/v1/me/notification-preferences',
      summary: 'Set immediately / daily / off per event class',
      tags: T,
      auth: 'required',
      body: PreferencesInput,
      responses: { 200: { description: 'Preferences', schema: Preferences } },
    },
    async (c) => c.json(await messages.setPreferences(ctx(c), await readJson(c, PreferencesInput))),
  );

  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/collections/:id/access-stats',
      summary: 'Time to decision and approval rate (shown from 5 decisions)',
      tags: T,
      auth: 'optional',
      responses: { 200: { description: 'Statistics', schema: DecisionStats } },
    },
    async (c) => c.json(await owners.decisionStats(ctx(c), pathId(c, 'id', 'collection'))),
  );

  // Dev only: the mail the embedded default captured instead of sending.
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/dev/mail',
      summary: 'Captured mail (embedded default only; 404 when mail goes to SMTP)',
      tags: ['Dev'],
      responses: { 200: { description: 'Mail', schema: MailList } },
    },
    async (c) => {
      if (!mailCaptured()) throw notFound('API endpoint');
      return c.json(await messages.capturedMail(ctx(c)));
    },
  );
}
