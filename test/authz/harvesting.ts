/**
 * Authorization matrix entries of harvesting (OAI-PMH and DCAT). Harvesters are anonymous: these
 * routes show what anonymous may see whoever asks, so a data manager's own private draft is not
 * harvested either (a record is exposed iff anonymous may read it).
 */
import { expect } from 'vitest';
import { can } from '../../server/policy/index.js';
import type { AuthzEntry, Fixture } from './types.js';

const ANON = { kind: 'anonymous' } as const;
const exposed = (f: Fixture) => can(ANON, 'read', f.record);

export const entries: AuthzEntry[] = [
  {
    method: 'get',
    path: '/oai',
    over: 'collection',
    request: (f) => ({
      path: `/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(`oai:catalogue.test.org:${f.record.id}`)}`,
    }),
    expected: () => 200,
    check: (res, _a, f) => {
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      expect(text.includes(f.record.title), 'the record is harvested iff anonymous may read it').toBe(exposed(f));
    },
  },
  {
    method: 'post',
    path: '/oai',
    over: 'once',
    request: () => ({ path: '/oai', body: 'verb=Identify', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    expected: () => 200,
  },
  { method: 'get', path: '/api/v1/catalog', over: 'once', request: () => ({ path: '/api/v1/catalog' }), expected: () => 200 },
  {
    method: 'get',
    path: '/api/v1/catalog/datasets/:id',
    over: 'collection',
    request: (f) => ({ path: `/api/v1/catalog/datasets/${encodeURIComponent(f.record.id)}` }),
    expected: (_a, f) => (exposed(f) ? 200 : 404),
  },
];
