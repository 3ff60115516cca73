/** The smaller 500s and leaks found by the reliability review (issue 7), each answered properly now. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueBed, stripSystem, validCollection, type CatalogueBed, type TestApp } from '../helpers/app.js';

let bed: CatalogueBed;
let t: TestApp;
let site: string;
let manager: string;
let admin: string;

beforeAll(async () => {
  bed = await catalogueBed();
  ({ t, site, manager, admin } = bed);
});
afterAll(async () => bed?.close());

describe('no 500 for client mistakes', () => {
  it('an If-Match beyond the integer range is a 412, for collections, providers and networks', async () => {
    const col = await t.collection(site);
    const huge = '"99999999999999999999999"';
    const put = await t.call('PUT', `/api/v1/collections/${encodeURIComponent(col.id)}`, {
      as: manager,
      body: stripSystem(col),
      headers: { 'if-match': huge },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(412);
    const body = { name: 'Renamed', description: 'A test imaging site', country: 'NL' };
    const p2 = await t.call('PUT', `/api/v1/providers/${site}`, { as: admin, body, headers: { 'if-match': '"2147483648"' } });
    expect(p2.status, JSON.stringify(p2.body)).toBe(412);
    // The largest int4 is a valid (if unlikely) revision: still a clean 412, not an overflow.
    const p3 = await t.call('PUT', `/api/v1/providers/${site}`, { as: admin, body, headers: { 'if-match': '"2147483647"' } });
    expect(p3.status).toBe(412);
    const net = await t.call('POST', '/api/v1/networks', { as: admin, body: { id: 'net-huge', name: 'Net', kind: 'network' } });
    expect(net.status, JSON.stringify(net.body)).toBe(201);
    const n2 = await t.call('PUT', '/api/v1/networks/net-huge', {
      as: admin,
      body: { name: 'Net 2', kind: 'network' },
      headers: { 'if-match': '"99999999999999999999"' },
    });
    expect(n2.status).toBe(412);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])(
    '/api/docs/assets/%s is a 404',
    async (name) => {
      const res = await t.call('GET', `/api/docs/assets/${name}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    },
  );

  it('two concurrent creates of the same collection: one 201, one 409 (never a 500)', async () => {
    const outcomes: number[][] = [];
    for (let i = 0; i < 15; i++) {
      const body = validCollection(site, { xnat: { instance: 'https://xnat.test.org', projectId: `RACE_${i}`, visibility: 'public' } });
      const pair = await Promise.all([
        t.call('POST', '/api/v1/collections', { as: manager, body }),
        t.call('POST', '/api/v1/collections', { as: manager, body }),
      ]);
      for (const r of pair) if (r.status === 409) expect(r.body.code).toBe('conflict');
      outcomes.push(pair.map((r) => r.status).sort());
    }
    expect(outcomes).toEqual(Array.from({ length: 15 }, () => [201, 409]));
  });
});

describe('session cookie that cannot be used', () => {
  it.each([
    ['quoted', 'session="abc'],
    ['non-ASCII', 'session=é'],
    ['empty', 'session='],
    ['without a value', 'x=1; session'],
    ['a garbage token', 'session=not.a.token'],
  ])('%s: 401 and the cookie cleared, never silently anonymous', async (_what, cookie) => {
    const res = await t.app.request('/api/v1/me', { headers: { cookie } });
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe('unauthenticated');
    expect(res.headers.get('set-cookie')).toMatch(/^session=;.*Max-Age=0/);
  });

  it('requests without a session cookie stay anonymous', async () => {
    const res = await t.app.request('/api/v1/me', { headers: { cookie: 'sessionx=1; other=2' } });
    expect(res.status).toBe(200);
    expect((await res.json()).kind).toBe('anonymous');
  });
});

describe('every error response carries X-Request-Id', () => {
  it.each([
    ['GET', '/api/v1/nope', undefined, 404],
    ['GET', '/api/v1/collections/unknown-id', undefined, 404],
    ['GET', '/api/v1/collections?limit=0', undefined, 400],
    ['GET', '/api/v1/collections?q=%00', undefined, 422],
    ['DELETE', '/api/v1/collections/unknown-id', undefined, 404],
    ['GET', '/api/docs/assets/constructor', undefined, 404],
  ] as const)('%s %s', async (method, path, body, status) => {
    const res = await t.app.request(path, { method, body, headers: { 'content-type': 'application/json', 'x-request-id': 'trace-123' } });
    expect(res.status).toBe(status);
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    expect((await res.json()).requestId).toBe('trace-123');
  });

  it('generates one when the client sends none', async () => {
    const res = await t.app.request('/api/v1/collections/unknown-id');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('private collections leak nothing', () => {
  it('a withdrawn collection shows outsiders no more in the list than in its tombstone', async () => {
    const col = await t.collection(site, { title: 'Withdrawn study', acronym: 'WDS' });
    const w = await t.call('POST', `/api/v1/collections/${encodeURIComponent(col.id)}/withdraw`, {
      as: manager,
      body: { reason: 'consent withdrawn' },
    });
    expect(w.status).toBe(200);
    const tomb = await t.call('GET', `/api/v1/collections/${encodeURIComponent(col.id)}`);
    const list = await t.call('GET', `/api/v1/collections?state=withdrawn&providerId=${site}`);
    const item = list.body.items.find((i: { id: string }) => i.id === col.id);
    expect(item).toBeDefined();
    // Keys with content beyond the tombstone's: only the list's required shape (empty lists, a date).
    const extra = Object.entries(item)
      .filter(([k]) => !(k in tomb.body))
      .filter(([, v]) => !(Array.isArray(v) && v.length === 0))
      .map(([k]) => k);
    expect(extra).toEqual(['modifiedAt']);
    expect(item.modifiedAt).toBe(tomb.body.withdrawnAt);
    // Its data managers still see the full summary.
    const mine = await t.call('GET', `/api/v1/collections?state=withdrawn&providerId=${site}`, { as: manager });
    expect(mine.body.items.find((i: { id: string }) => i.id === col.id).modalities.length).toBeGreaterThan(0);
  });

  it('a hidden id answers exactly what an unknown id answers: status, headers and body, on every single-record read', async () => {
    const priv = await t.collection(site, { xnat: { instance: 'https://xnat.test.org', projectId: 'PRIV_SAME', visibility: 'private' } });
    const draft = await t.collection(site, {}, { publish: false });
    const outsider = await t.user();
    // An unknown id of the same length, so that nothing but the id can differ.
    const unknownLike = (id: string) => `${id.slice(0, -1)}${id.endsWith('z') ? 'y' : 'z'}`;
    const answer = async (path: string, id: string, as?: string) => {
      const res = await t.call('GET', path.replace(':id', encodeURIComponent(id)), { as });
      const headers = [...res.headers.entries()].filter(([k]) => k !== 'x-request-id' && k !== 'date');
      const body = JSON.stringify({ ...res.body, requestId: undefined }).replaceAll(encodeURIComponent(id), ':id');
      return { status: res.status, headers, body };
    };
    for (const hidden of [priv.id, draft.id]) {
      for (const path of ['/api/v1/collections/:id', '/api/v1/collections/:id/same-dataset', '/api/v1/collections/:id/revisions']) {
        for (const as of [undefined, outsider]) {
          const seen = await answer(path, hidden, as);
          const unknown = await answer(path, unknownLike(hidden), as);
          expect(seen.status, `${path} as ${as ?? 'anonymous'}`).toBe(404);
          expect(seen, `${path} as ${as ?? 'anonymous'}`).toEqual(unknown);
        }
      }
    }
  });

  it("a private id's 404 does the same work as an unknown id's (no timing oracle)", async () => {
    const priv = await t.collection(site, { xnat: { instance: 'https://xnat.test.org', projectId: 'PRIV_TIMING', visibility: 'private' } });
    const known = `/api/v1/collections/${encodeURIComponent(priv.id)}`;
    const unknown = `/api/v1/collections/${encodeURIComponent(`${site}:collection:priv_timinh`)}`;
    const time = async (path: string) => {
      const t0 = performance.now();
      const res = await t.app.request(path);
      expect(res.status).toBe(404);
      await res.text();
      return performance.now() - t0;
    };
    for (let i = 0; i < 30; i++) await Promise.all([time(known), time(unknown)]); // warm-up
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 300; i++) {
      if (i % 2) {
        a.push(await time(known));
        b.push(await time(unknown));
      } else {
        b.push(await time(unknown));
        a.push(await time(known));
      }
    }
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const [mp, mu] = [median(a), median(b)];
    console.info(`404 medians: private ${mp.toFixed(3)} ms, unknown ${mu.toFixed(3)} ms`);
    expect(mp).toBeLessThan(mu * 1.15 + 0.05);
  });
});
