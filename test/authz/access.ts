/**
 * Authorization matrix entries of the access workflow (cart, requests, review, messages,
 * notifications). The requester is `researcher`; the request is about a collection of this provider,
 * so its data managers (and admins) review it. Whoever may not know a request exists gets 404, never
 * 403; a reviewer (or admin) who may see it but not do the owner's part gets 403. Test/integration/
 * access-authz.test.ts holds the same expectations with a second researcher.
 */
import { expect } from 'vitest';
import type { Actor } from '../../server/auth/actor.js';
import { canReviewRequestsFor, isAdmin } from '../../server/policy/index.js';
import type { AuthzEntry, Fixture } from './types.js';

const FORM = {
  title: 'Matrix study',
  laySummary: 'A study to test who may do what.',
  abstract: 'An abstract long enough to pass.',
  purposes: [{ code: 'GRU' }],
  commercialUse: false,
};
type Stage = 'draft' | 'submitted' | 'approved' | 'active';

/** A request of the researcher in the given stage, about the provider's restricted collection. */
export const stage = (s: Stage) => async (f: Fixture) => {
  const as = f.users.researcher;
  const r = await f.call('POST', '/api/v1/requests', { as, body: { collectionIds: [f.accessCollectionId] } });
  if (r.status !== 201) throw new Error(`request: ${r.status} ${JSON.stringify(r.body)}`);
  const ids = { id: r.body.id as string, itemId: r.body.items[0].id as string };
  if (s === 'draft') return ids;
  await f.call('PUT', `/api/v1/requests/${ids.id}`, { as, body: FORM });
  const sub = await f.call('POST', `/api/v1/requests/${ids.id}/submit`, { as });
  if (sub.status !== 200) throw new Error(`submit: ${sub.status} ${JSON.stringify(sub.body)}`);
  if (s === 'submitted') return ids;
  const ok = await f.call('POST', `/api/v1/requests/${ids.id}/items/${ids.itemId}/decision`, {
    as: f.users.managerHere,
    body: { outcome: 'approve' },
  });
  if (ok.status !== 200) throw new Error(`decision: ${ok.status} ${JSON.stringify(ok.body)}`);
  if (s === 'active') await f.activate(ids.itemId);
  return ids;
};

const signedIn = (ok: number) => (a: Actor) => (a.kind === 'user' ? ok : 401);
const isRequester = (a: Actor, f: Fixture) => a.kind === 'user' && a.id === f.users.researcher;
const reviews = (a: Actor, f: Fixture) => canReviewRequestsFor(a, f.providerId);

/**
 * One request: 401 anonymous; 404 unless the requester, a reviewer of its provider (once submitted) or
 * an admin; then `ok` for those in `allowed`, 403 for the others who may see it.
 */
export const onRequest =
  (opts: { submitted: boolean; ok: number; allowed: ('requester' | 'reviewer' | 'admin')[] }) =>
  (a: Actor, f: Fixture): number => {
    if (a.kind !== 'user') return 401;
    const roles = new Set<string>();
    if (isRequester(a, f)) roles.add('requester');
    if (opts.submitted && reviews(a, f) && !isAdmin(a)) roles.add('reviewer');
    if (isAdmin(a)) roles.add('admin');
    if (roles.size === 0) return 404;
    return opts.allowed.some((r) => roles.has(r)) ? opts.ok : 403;
  };

const once = (method: AuthzEntry['method'], path: string, call: string, expected: AuthzEntry['expected'], body?: unknown): AuthzEntry => ({
  method,
  path,
  over: 'once',
  request: () => ({ path: call, body }),
  expected,
});

const onStage = (
  method: AuthzEntry['method'],
  path: string,
  s: Stage,
  call: (ids: Record<string, string>) => string,
  expected: AuthzEntry['expected'],
  body?: unknown,
): AuthzEntry => ({
  method,
  path,
  over: 'once',
  setup: stage(s),
  request: (_f, ids) => ({ path: call(ids), body }),
  expected,
});

const ALL = ['requester', 'reviewer', 'admin'] as const;
const R = '/api/v1/requests';

export const entries: AuthzEntry[] = [
  once('get', '/api/v1/cart', '/api/v1/cart', signedIn(200)),
  {
    method: 'post',
    path: '/api/v1/cart/items',
    over: 'once',
    request: (f) => ({ path: '/api/v1/cart/items', body: { collectionId: f.accessCollectionId } }),
    expected: signedIn(201),
  },
  {
    method: 'delete',
    path: '/api/v1/cart/items/:collectionId',
    over: 'once',
    request: (f) => ({ path: `/api/v1/cart/items/${encodeURIComponent(f.accessCollectionId)}` }),
    expected: signedIn(204),
  },
  {
    method: 'post',
    path: R,
    over: 'once',
    request: (f) => ({ path: R, body: { collectionIds: [f.accessCollectionId] } }),
    expected: signedIn(201),
  },
  once('get', R, R, signedIn(200)),
  // A draft is the requester's own business: reviewers do not know it exists yet.
  {
    ...onStage('get', `${R}/:id`, 'submitted', (r) => `${R}/${r.id}`, onRequest({ submitted: true, ok: 200, allowed: [...ALL] })),
    // The item offers the policy's actions (the web shows review controls from them): a provider's
    // viewer sees nothing to decide, and the requester never decides their own request.
    check: (res, a, f) => {
      const want = isRequester(a, f) ? [] : [...(reviews(a, f) ? ['decide'] : []), ...(isAdmin(a) ? ['assign'] : [])];
      expect(res.body.items[0].actions).toEqual(want);
    },
  },
  onStage('put', `${R}/:id`, 'draft', (r) => `${R}/${r.id}`, onRequest({ submitted: false, ok: 200, allowed: ['requester'] }), FORM),
  onStage(
    'get',
    `${R}/:id/policy-check`,
    'draft',
    (r) => `${R}/${r.id}/policy-check`,
    onRequest({ submitted: false, ok: 200, allowed: ['requester', 'admin'] }),
  ),
  // The draft lacks its form, so the requester gets that far and no further (422).
  onStage(
    'post',
    `${R}/:id/submit`,
    'draft',
    (r) => `${R}/${r.id}/submit`,
    onRequest({ submitted: false, ok: 422, allowed: ['requester'] }),
  ),
  onStage(
    'post',
    `${R}/:id/withdraw`,
    'submitted',
    (r) => `${R}/${r.id}/withdraw`,
    onRequest({ submitted: true, ok: 200, allowed: ['requester', 'admin'] }),
  ),
  onStage(
    'post',
    `${R}/:id/renew`,
    'approved',
    (r) => `${R}/${r.id}/renew`,
    onRequest({ submitted: true, ok: 201, allowed: ['requester'] }),
  ),
  onStage(
    'post',
    `${R}/:id/items/:itemId/withdraw`,
    'submitted',
    (r) => `${R}/${r.id}/items/${r.itemId}/withdraw`,
    onRequest({ submitted: true, ok: 200, allowed: ['requester', 'admin'] }),
    { reason: 'matrix' },
  ),
  // Asking XNAT again for an approved item's role: any party to the request may (it changes no decision).
  onStage(
    'post',
    `${R}/:id/items/:itemId/grant`,
    'approved',
    (r) => `${R}/${r.id}/items/${r.itemId}/grant`,
    onRequest({ submitted: true, ok: 200, allowed: [...ALL] }),
  ),
  onStage(
    'post',
    `${R}/:id/items/:itemId/review`,
    'submitted',
    (r) => `${R}/${r.id}/items/${r.itemId}/review`,
    onRequest({ submitted: true, ok: 200, allowed: ['reviewer', 'admin'] }),
  ),
  onStage(
    'post',
    `${R}/:id/items/:itemId/decision`,
    'submitted',
    (r) => `${R}/${r.id}/items/${r.itemId}/decision`,
    onRequest({ submitted: true, ok: 200, allowed: ['reviewer', 'admin'] }),
    { outcome: 'reject', reason: 'matrix' },
  ),
  onStage(
    'post',
    `${R}/:id/items/:itemId/revoke`,
    'active',
    (r) => `${R}/${r.id}/items/${r.itemId}/revoke`,
    onRequest({ submitted: true, ok: 200, allowed: ['reviewer', 'admin'] }),
    { reason: 'matrix' },
  ),
  // Assigning a reviewer is the admins' (a reviewer sees the request but may not assign it).
  {
    method: 'post',
    path: `${R}/:id/items/:itemId/assign`,
    over: 'once',
    setup: stage('submitted'),
    request: (f, r) => ({ path: `${R}/${r.id}/items/${r.itemId}/assign`, body: { assigneeId: f.users.managerHere } }),
    expected: onRequest({ submitted: true, ok: 200, allowed: ['admin'] }),
  },
  onStage(
    'get',
    `${R}/:id/history`,
    'submitted',
    (r) => `${R}/${r.id}/history`,
    onRequest({ submitted: true, ok: 200, allowed: [...ALL] }),
  ),
  onStage(
    'get',
    `${R}/:id/messages`,
    'submitted',
    (r) => `${R}/${r.id}/messages`,
    onRequest({ submitted: true, ok: 200, allowed: [...ALL] }),
  ),
  onStage(
    'post',
    `${R}/:id/messages`,
    'submitted',
    (r) => `${R}/${r.id}/messages`,
    onRequest({ submitted: true, ok: 201, allowed: [...ALL] }),
    { body: 'hi' },
  ),
  // Attachments are uploaded as raw PDF bodies; whoever may see the request may add one.
  {
    method: 'post',
    path: `${R}/:id/attachments`,
    over: 'once',
    setup: stage('submitted'),
    request: (_f, r) => ({
      path: `${R}/${r.id}/attachments?filename=a.pdf`,
      body: '%PDF-1.4\n%%EOF\n',
      headers: { 'content-type': 'application/pdf' },
    }),
    expected: onRequest({ submitted: true, ok: 201, allowed: [...ALL] }),
  },
  // No such attachment: those who may see the request learn that (404), like everyone else.
  onStage(
    'get',
    `${R}/:id/attachments/:attachmentId`,
    'submitted',
    (r) => `${R}/${r.id}/attachments/00000000-0000-4000-8000-000000000000`,
    (a) => (a.kind === 'user' ? 404 : 401),
  ),
  once('get', '/api/v1/inbox', '/api/v1/inbox', signedIn(200)),
  once('get', '/api/v1/notifications', '/api/v1/notifications', signedIn(200)),
  once('post', '/api/v1/notifications/read', '/api/v1/notifications/read', signedIn(204)),
  once('get', '/api/v1/me/notification-preferences', '/api/v1/me/notification-preferences', signedIn(200)),
  once('put', '/api/v1/me/notification-preferences', '/api/v1/me/notification-preferences', signedIn(200), { message: 'daily' }),
  // Counts of granted access to a public collection are public.
  {
    method: 'get',
    path: '/api/v1/collections/:id/access-stats',
    over: 'once',
    request: (f) => ({ path: `/api/v1/collections/${encodeURIComponent(f.accessCollectionId)}/access-stats` }),
    expected: () => 200,
  },
  // The dev mail box (embedded default only): open like the other dev routes.
  once('get', '/api/v1/dev/mail', '/api/v1/dev/mail', () => 200),
];
