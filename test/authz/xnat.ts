/**
 * Authorization matrix entries of the XNAT sync: the admin routes (instances, reconcile, status,
 * failing grants, accounts of others) are admins' only; `me/xnat-*` are any signed-in user's own.
 * Ids that do not exist: admins learn that (404), nobody else gets that far.
 */
import { adminOnly, type AuthzEntry } from './types.js';

const A = '/api/v1/admin/xnat';
const NONE = '00000000-0000-4000-8000-000000000000';
const signedIn = (ok: number) => (a: { kind: string }) => (a.kind === 'user' ? ok : 401);

export const entries: AuthzEntry[] = [
  { method: 'get', path: `${A}/instances`, over: 'once', request: () => ({ path: `${A}/instances` }), expected: adminOnly(200) },
  // A malformed instance: refused as input (422) for admins; the role check comes first.
  {
    method: 'post',
    path: `${A}/instances`,
    over: 'once',
    request: (f) => ({
      path: `${A}/instances`,
      body: { id: f.uid('x'), name: 'Matrix XNAT', baseUrl: 'not a url', auth: { kind: 'basic', username: 'u', password: 'p' } },
    }),
    expected: adminOnly(422),
  },
  {
    method: 'patch',
    path: `${A}/instances/:id`,
    over: 'once',
    // An empty name: refused as input (422) for admins; the role check comes before the body is read.
    request: () => ({ path: `${A}/instances/${NONE}`, body: { name: '' } }),
    expected: adminOnly(422),
  },
  {
    method: 'delete',
    path: `${A}/instances/:id`,
    over: 'once',
    request: () => ({ path: `${A}/instances/${NONE}` }),
    expected: adminOnly(404),
  },
  {
    method: 'post',
    path: `${A}/instances/:id/test`,
    over: 'once',
    request: () => ({ path: `${A}/instances/${NONE}/test` }),
    expected: adminOnly(404),
  },
  { method: 'post', path: `${A}/reconcile`, over: 'once', request: () => ({ path: `${A}/reconcile`, body: {} }), expected: adminOnly(202) },
  { method: 'get', path: `${A}/status`, over: 'once', request: () => ({ path: `${A}/status` }), expected: adminOnly(200) },
  { method: 'get', path: `${A}/grants/failing`, over: 'once', request: () => ({ path: `${A}/grants/failing` }), expected: adminOnly(200) },
  {
    method: 'post',
    path: `${A}/grants/:id/retry`,
    over: 'once',
    request: () => ({ path: `${A}/grants/${NONE}/retry` }),
    expected: adminOnly(404),
  },
  {
    method: 'put',
    path: `${A}/accounts/:userId/:instanceId`,
    over: 'once',
    request: (f) => ({ path: `${A}/accounts/${f.bystander}/${NONE}`, body: { username: 'matrix' } }),
    expected: adminOnly(404),
  },
  {
    method: 'get',
    path: '/api/v1/me/xnat-accounts',
    over: 'once',
    request: () => ({ path: '/api/v1/me/xnat-accounts' }),
    expected: signedIn(200),
  },
  {
    method: 'put',
    path: '/api/v1/me/xnat-accounts/:instanceId',
    over: 'once',
    // An empty username: refused as input (422) for users; anonymous callers are refused before the body is read.
    request: () => ({ path: `/api/v1/me/xnat-accounts/${NONE}`, body: { username: '' } }),
    expected: signedIn(422),
  },
  {
    method: 'delete',
    path: '/api/v1/me/xnat-accounts/:instanceId',
    over: 'once',
    request: () => ({ path: `/api/v1/me/xnat-accounts/${NONE}` }),
    expected: signedIn(404),
  },
  {
    method: 'get',
    path: '/api/v1/me/xnat-grants',
    over: 'once',
    request: () => ({ path: '/api/v1/me/xnat-grants' }),
    expected: signedIn(200),
  },
];
