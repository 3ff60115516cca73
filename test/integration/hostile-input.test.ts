import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, validCollection, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let t: TestApp;
let site: string;
let manager: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp(tdb.database, { bodyLimitBytes: 64 * 1024, importBodyLimitBytes: 256 * 1024 });
  site = await t.provider();
  manager = await t.user({ providerIds: [site] });
});
afterAll(async () => tdb.drop());

const expectProblem = (res: { status: number; body: any; headers: Headers }, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, code, type: expect.stringContaining('/problems/'), title: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules|postgres|drizzle|stack/i);
};

const creates: [string, string][] = [
  ['POST', '/api/v1/collections'],
  ['POST', '/api/v1/providers'],
  ['POST', '/api/v1/networks'],
  ['PUT', '/api/v1/contacts'],
  ['POST', '/api/v1/import'],
];
// Every endpoint with a body; the body is read before anything else is looked up.
const writes: [string, string][] = [
  ...creates,
  ['PUT', '/api/v1/collections/any-id'],
  ['POST', '/api/v1/collections/any-id/withdraw'],
  ['PUT', '/api/v1/providers/any-id'],
  ['PUT', '/api/v1/networks/any-id'],
  ['POST', '/api/v1/dev/token'],
];

describe('hostile input never yields a 5xx', () => {
  it.each(writes)('%s %s: malformed JSON → 400 malformed_json', async (method, path) => {
    const admin = await t.user({ admin: true });
    const res = await t.call(method, path, { as: admin, body: '{"title": "unterminated', headers: { 'content-type': 'application/json' } });
    expectProblem(res, 400, 'malformed_json');
  });

  it.each(creates)('%s %s: wrong types → 422 naming the fields', async (method, path) => {
    const admin = await t.user({ admin: true });
    const res = await t.call(method, path, { as: admin, body: { id: 42, title: ['x'], collections: 'all', providerId: false } });
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.errors.length).toBeGreaterThan(0);
    for (const e of res.body.errors) expect(typeof e.path).toBe('string');
  });

  it.each(writes)('%s %s: not JSON → 415', async (method, path) => {
    const admin = await t.user({ admin: true });
    const res = await t.call(method, path, { as: admin, body: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('rejects unknown fields by name instead of silently dropping them', async () => {
    const res = await t.call('POST', '/api/v1/collections', { as: manager, body: { ...validCollection(site), colour: 'blue' } });
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.errors[0].message).toContain('colour');
  });

  it('names nested field paths', async () => {
    const res = await t.call('POST', '/api/v1/collections', {
      as: manager,
      body: validCollection(site, { subjectsCount: -3, xnat: { instance: 'ftp://x', projectId: 'bad id!', visibility: 'secret' as 'public' } }),
    });
    expectProblem(res, 422, 'validation_failed');
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['subjectsCount', 'xnat.instance', 'xnat.projectId', 'xnat.visibility']));
  });

  it('answers a huge body with 413 before reading it all', async () => {
    const big = JSON.stringify({ ...validCollection(site), description: 'x'.repeat(200 * 1024) });
    const res = await t.call('POST', '/api/v1/collections', { as: manager, body: big });
    expectProblem(res, 413, 'payload_too_large');
    const imp = await t.call('POST', '/api/v1/import', { as: manager, body: JSON.stringify({ collections: [{ d: 'x'.repeat(300 * 1024) }] }) });
    expectProblem(imp, 413, 'payload_too_large');
  });

  it('answers unknown ids and ids with odd characters with 404', async () => {
    expectProblem(await t.call('GET', '/api/v1/collections/does-not-exist'), 404, 'not_found');
    expectProblem(await t.call('GET', `/api/v1/collections/${encodeURIComponent("x' OR '1'='1")}`), 404, 'not_found');
    expectProblem(await t.call('GET', `/api/v1/collections/${'a'.repeat(5000)}`), 404, 'not_found');
    expectProblem(await t.call('GET', '/api/v1/providers/nope'), 404, 'not_found');
    expectProblem(await t.call('GET', '/api/v1/no-such-endpoint'), 404, 'not_found');
  });

  it('rejects bad query parameters with 400 naming them', async () => {
    const res = await t.call('GET', '/api/v1/collections?limit=100000&colour=red');
    expectProblem(res, 400, 'bad_request');
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('query.limit');
    expect(paths.join(' ')).toContain('colour');
    expectProblem(await t.call('GET', '/api/v1/collections?cursor=%%%'), 400, 'bad_request');
  });

  it('rejects garbage and expired tokens with 401, not as anonymous', async () => {
    const res = await t.call('GET', '/api/v1/me', { headers: { authorization: 'Bearer not.a.jwt' } });
    expectProblem(res, 401, 'unauthenticated');
    const expired = await t.issuer.sign({ sub: 'someone' }, -60);
    expectProblem(await t.call('GET', '/api/v1/me', { headers: { authorization: `Bearer ${expired}` } }), 401, 'unauthenticated');
    expectProblem(await t.call('GET', '/api/v1/me', { headers: { authorization: 'Basic YTpi' } }), 401, 'unauthenticated');
  });
});

describe('session cookie', () => {
  it('authenticates same-site requests and refuses cross-site writes', async () => {
    const token = await t.issuer.sign({ sub: manager, name: manager });
    const ok = await t.app.request('/api/v1/me', { headers: { cookie: `session=${token}` } });
    expect((await ok.json()).id).toBe(manager);
    const cross = await t.app.request('/api/v1/collections', {
      method: 'POST',
      headers: { cookie: `session=${token}`, origin: 'https://evil.example', host: 'catalogue.example.org', 'content-type': 'application/json' },
      body: JSON.stringify(validCollection(site)),
    });
    expect(cross.status).toBe(403);
    const junk = await t.app.request('/api/v1/collections', {
      method: 'POST',
      headers: { cookie: `session=${token}`, origin: '::::', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(junk.status).toBe(403);
  });
});
