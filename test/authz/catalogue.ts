/** Authorization matrix entries of the catalogue module (collections, import, providers, networks, contacts). */
import { expect } from 'vitest';
import { can, canAtProvider, providerActions } from '../../server/policy/index.js';
import {
  adminOnly,
  atProvider,
  changeCollection,
  collectionRole,
  expectedActions,
  open,
  readCollection,
  type AuthzEntry,
} from './types.js';

const col = (id: string) => `/api/v1/collections/${encodeURIComponent(id)}`;

export const entries: AuthzEntry[] = [
  {
    method: 'get',
    path: '/api/v1/collections',
    over: 'collection',
    // Asked for the record's own state, so withdrawn ones are listed too.
    request: (f) => ({ path: `/api/v1/collections?providerId=${f.providerId}&state=${f.record.publicationState}&limit=200` }),
    expected: open(),
    check: (res, a, f) => {
      // Listed iff the policy lets the actor see it; with its actions.
      const item = res.body.items.find((i: { id: string }) => i.id === f.record.id);
      expect(!!item).toBe(can(a, 'view', f.record));
      if (!item) return;
      expect(item.actions).toEqual(expectedActions(a, f.record));
      // Those who only see the tombstone of a withdrawn collection see no more of it in the list.
      expect({ summary: 'visibility' in item, modalities: item.modalities.length > 0 }).toEqual({
        summary: can(a, 'read', f.record),
        modalities: can(a, 'read', f.record),
      });
    },
  },
  {
    method: 'get',
    path: '/api/v1/collections/:id',
    over: 'collection',
    request: (f) => ({ path: col(f.record.id) }),
    expected: readCollection,
    check: (res, a, f) => {
      expect(res.body.actions).toEqual(expectedActions(a, f.record));
      // Outsiders get the tombstone of a withdrawn collection, never its full record.
      expect('description' in res.body).toBe(can(a, 'read', f.record));
    },
  },
  {
    method: 'put',
    path: '/api/v1/collections/:id',
    over: 'collection',
    request: (f) => ({
      path: col(f.record.id),
      body: f.collectionDoc(f.providerId, {
        id: f.record.id,
        title: 'Changed by the matrix',
        xnat: { instance: 'https://xnat.test.org', projectId: f.record.id.split(':').pop(), visibility: f.record.visibility },
      }),
      headers: { 'if-match': '*' },
    }),
    expected: changeCollection('edit', 200),
  },
  {
    method: 'get',
    path: '/api/v1/collections/:id/revisions',
    over: 'collection',
    request: (f) => ({ path: `${col(f.record.id)}/revisions` }),
    expected: collectionRole('history', 200),
  },
  {
    method: 'get',
    path: '/api/v1/collections/:id/same-dataset',
    over: 'collection',
    request: (f) => ({ path: `${col(f.record.id)}/same-dataset` }),
    expected: readCollection,
  },
  {
    method: 'delete',
    path: '/api/v1/collections/:id',
    over: 'collection',
    request: (f) => ({ path: col(f.record.id) }),
    expected: changeCollection('delete', 204),
  },
  {
    method: 'post',
    path: '/api/v1/collections/:id/publish',
    over: 'collection',
    request: (f) => ({ path: `${col(f.record.id)}/publish` }),
    expected: changeCollection('publish', 200),
  },
  {
    method: 'post',
    path: '/api/v1/collections/:id/withdraw',
    over: 'collection',
    request: (f) => ({ path: `${col(f.record.id)}/withdraw`, body: { reason: 'matrix' } }),
    expected: changeCollection('withdraw', 200),
  },
  {
    method: 'post',
    path: '/api/v1/collections',
    over: 'once',
    request: (f) => ({ path: '/api/v1/collections', body: f.collectionDoc(f.providerId) }),
    expected: atProvider('createCollection', 201),
  },
  {
    method: 'post',
    path: '/api/v1/import',
    over: 'once',
    request: (f) => ({ path: '/api/v1/import', body: { collections: [f.collectionDoc(f.providerId)], publish: false } }),
    expected: (a) => (a.kind === 'user' ? 200 : 401),
    check: (res, a, f) => {
      // Per record: written only for those who may create collections at the provider.
      expect(res.body.records[0].outcome).toBe(canAtProvider(a, 'createCollection', f.providerId) ? 'created' : 'rejected');
    },
  },
  { method: 'get', path: '/api/v1/providers', over: 'once', request: () => ({ path: '/api/v1/providers' }), expected: open() },
  {
    method: 'get',
    path: '/api/v1/providers/:id',
    over: 'once',
    request: (f) => ({ path: `/api/v1/providers/${f.providerId}` }),
    expected: open(),
    check: (res, a, f) => expect(res.body.actions).toEqual(providerActions(a, f.providerId)),
  },
  {
    method: 'put',
    path: '/api/v1/providers/:id',
    over: 'once',
    request: (f) => ({
      path: `/api/v1/providers/${f.providerId}`,
      body: { name: `Provider ${f.providerId}`, description: 'A test imaging site', country: 'NL' },
      headers: { 'if-match': '*' },
    }),
    expected: atProvider('edit', 200),
  },
  {
    method: 'post',
    path: '/api/v1/providers',
    over: 'once',
    request: (f) => ({ path: '/api/v1/providers', body: { id: f.uid('prov'), name: 'New', description: 'New site' } }),
    expected: adminOnly(201),
  },
  {
    method: 'get',
    path: '/api/v1/providers/:id/contacts',
    over: 'once',
    request: (f) => ({ path: `/api/v1/providers/${f.providerId}/contacts` }),
    expected: open(),
  },
  {
    method: 'put',
    path: '/api/v1/contacts',
    over: 'once',
    request: (f) => ({
      path: '/api/v1/contacts',
      body: { id: f.uid('contact'), providerId: f.providerId, lastName: 'Contact', email: 'c@example.org' },
    }),
    expected: atProvider('edit', 200),
  },
  {
    method: 'post',
    path: '/api/v1/providers/:id/members',
    over: 'once',
    request: (f) => ({ path: `/api/v1/providers/${f.providerId}/members`, body: { userId: f.bystander, role: 'viewer' } }),
    expected: atProvider('manageMembers', 204),
  },
  {
    method: 'delete',
    path: '/api/v1/providers/:id/members/:userId',
    over: 'once',
    request: (f) => ({ path: `/api/v1/providers/${f.providerId}/members/${f.bystander}` }),
    expected: atProvider('manageMembers', 204),
  },
  { method: 'get', path: '/api/v1/networks', over: 'once', request: () => ({ path: '/api/v1/networks' }), expected: open() },
  { method: 'get', path: '/api/v1/networks/:id', over: 'once', request: () => ({ path: '/api/v1/networks/net-matrix' }), expected: open() },
  {
    method: 'post',
    path: '/api/v1/networks',
    over: 'once',
    request: (f) => ({ path: '/api/v1/networks', body: { id: f.uid('net'), kind: 'project', name: 'New network' } }),
    expected: adminOnly(201),
  },
  {
    method: 'put',
    path: '/api/v1/networks/:id',
    over: 'once',
    request: () => ({
      path: '/api/v1/networks/net-matrix',
      body: { kind: 'project', name: 'Matrix network' },
      headers: { 'if-match': '*' },
    }),
    expected: adminOnly(200),
  },
];
