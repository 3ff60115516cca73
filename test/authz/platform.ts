/** Authorization matrix entries of auth, dev sign-in, the model and search. */
import { expect } from 'vitest';
import { accountActions, can } from '../../server/policy/index.js';
import { adminOnly, open, type AuthzEntry } from './types.js';

export const entries: AuthzEntry[] = [
  {
    method: 'get',
    path: '/api/v1/me',
    over: 'once',
    request: () => ({ path: '/api/v1/me' }),
    expected: open(),
    check: (res, a) => expect(res.body.actions).toEqual(accountActions(a)),
  },
  { method: 'get', path: '/api/v1/dev/users', over: 'once', request: () => ({ path: '/api/v1/dev/users' }), expected: open() },
  {
    method: 'post',
    path: '/api/v1/dev/token',
    over: 'once',
    request: (f) => ({ path: '/api/v1/dev/token', body: { user: f.bystander } }),
    expected: open(),
  },
  { method: 'get', path: '/api/v1/dev/jwks.json', over: 'once', request: () => ({ path: '/api/v1/dev/jwks.json' }), expected: open() },
  {
    method: 'get',
    path: '/api/v1/schema/collection.json',
    over: 'once',
    request: () => ({ path: '/api/v1/schema/collection.json' }),
    expected: open(),
  },
  { method: 'get', path: '/api/v1/vocabularies', over: 'once', request: () => ({ path: '/api/v1/vocabularies' }), expected: open() },
  {
    method: 'get',
    path: '/api/v1/search',
    over: 'collection',
    needsIndex: true,
    request: (f) => ({ path: `/api/v1/search?filter[provider]=${f.providerId}&hitsPerPage=100` }),
    expected: open(),
    check: (res, a, f) => {
      // Found (and counted) iff the actor may see it; only published collections are searchable.
      const found = res.body.hits.some((h: { id: string }) => h.id === f.record.id);
      expect(found).toBe(can(a, 'view', f.record) && f.record.publicationState === 'published');
      expect(res.body.total).toBe(res.body.hits.length);
    },
  },
  {
    method: 'get',
    path: '/api/v1/search/facets/:facet',
    over: 'collection',
    needsIndex: true,
    request: (f) => ({ path: `/api/v1/search/facets/provider?q=${f.providerId}` }),
    expected: open(),
    check: (res, a, f) => {
      const v = res.body.values.find((x: { value: string }) => x.value === f.providerId);
      // Plus the provider's collection the access requests are about (public, published).
      expect(v?.count ?? 0).toBe((can(a, 'view', f.record) && f.record.publicationState === 'published' ? 1 : 0) + 1);
    },
  },
  {
    method: 'get',
    path: '/api/v1/search/suggest',
    over: 'collection',
    needsIndex: true,
    request: (f) => ({ path: `/api/v1/search/suggest?q=${encodeURIComponent(f.record.title)}` }),
    expected: open(),
    check: (res, a, f) => {
      const found = res.body.suggestions.some((s: { id: string }) => s.id === f.record.id);
      expect(found).toBe(can(a, 'view', f.record) && f.record.publicationState === 'published');
    },
  },
  {
    method: 'post',
    path: '/api/v1/admin/reindex',
    over: 'once',
    request: () => ({ path: '/api/v1/admin/reindex' }),
    expected: adminOnly(202),
  },
  {
    method: 'get',
    path: '/api/v1/admin/reindex/status',
    over: 'once',
    request: () => ({ path: '/api/v1/admin/reindex/status' }),
    expected: adminOnly(200),
  },
];
