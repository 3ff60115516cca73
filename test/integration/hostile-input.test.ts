import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, validCollection, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { accessModule } from '../../server/access/index.js';
import { metricsModule } from '../../server/metrics/index.js';
import { harvestingModule } from '../../server/oai/index.js';
import { xnatModule } from '../../server/xnat/index.js';

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

describe('text the database cannot store (NUL, unpaired surrogates)', () => {
  const NUL = '%00';
  // Raw JSON text: JSON.stringify would keep a lone surrogate as an escape too, but be explicit.
  const nulJson = (s: string) => s.replaceAll('@@', '\\u0000');
  const surrogateJson = (s: string) => s.replaceAll('@@', '\\ud800');

  it('every endpoint of the OpenAPI document, with NUL in each path and query parameter, answers without a 5xx', async () => {
    // The app as `npm start` mounts it (but search, which needs Meilisearch: search-tightening covers it).
    const full = await buildTestApp(tdb.database, {
      modules: [accessModule(), xnatModule, metricsModule, harvestingModule(tdb.database.db, { pageSize: 50, repositoryName: 'Test' })],
    });
    const admin = await full.user({ admin: true });
    const doc = full.openapi() as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>> };
    let tried = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const params = op.parameters ?? [];
        const filled = (bad: string | null) => path.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => (bad === name ? `a${NUL}b` : 'any-id'));
        const variants: string[] = [];
        for (const p of params.filter((x) => x.in === 'path')) variants.push(filled(p.name));
        for (const p of params.filter((x) => x.in === 'query')) variants.push(`${filled(null)}?${encodeURIComponent(p.name)}=a${NUL}b`);
        variants.push(`${filled(null)}?q=${NUL}&${NUL}=x`);
        for (const as of [undefined, admin]) {
          for (const url of variants) {
            const body = op.requestBody ? nulJson('{"title": "@@"}') : undefined;
            const res = await full.call(method.toUpperCase(), url, { as, body });
            tried++;
            expect(res.status, `${method} ${url}`).toBeLessThan(500);
            if (res.status === 422) expect(res.body.code).toBe('invalid_characters');
          }
        }
      }
    }
    expect(tried).toBeGreaterThan(100);
    // OAI-PMH answers in its own protocol: NUL in any argument must not reach SQL either.
    for (const q of ['verb=%00', 'verb=ListRecords&metadataPrefix=%00', 'verb=ListRecords&metadataPrefix=oai_dc&from=%00', 'verb=ListRecords&resumptionToken=a%00b', 'verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:x:%00', 'verb=ListRecords&metadataPrefix=oai_dc&set=%00', 'verb=ListIdentifiers&metadataPrefix=oai_dc&until=2020-01-01%00']) {
      const res = await full.call('GET', `/oai?${q}`);
      expect(res.status, q).toBeLessThan(500);
    }
  });

  it('a NUL in a list query parameter is a 422 naming it (it used to reach SQL)', async () => {
    for (const p of ['q', 'modality', 'bodyPart', 'providerId', 'cursor']) {
      const res = await t.call('GET', `/api/v1/collections?${p}=x%00y`);
      expectProblem(res, 422, 'invalid_characters');
      expect(res.body.errors).toEqual([expect.objectContaining({ path: `query.${p}`, code: 'invalid_characters' })]);
      expect(res.headers.get('x-request-id')).toBeTruthy();
    }
  });

  it.each([
    ['NUL', nulJson],
    ['an unpaired surrogate', surrogateJson],
  ])('%s anywhere in a JSON body is a 422 with the field path', async (_what, inject) => {
    const good = validCollection(site);
    const text = JSON.stringify({ ...good, conditions: ['ok', { label: 'PLACEHOLDER' }] }).replace('"PLACEHOLDER"', inject('"x@@y"'));
    const res = await t.call('POST', '/api/v1/collections', { as: manager, body: text });
    expectProblem(res, 422, 'invalid_characters');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['conditions[1].label']);
    // As a key, and in every write endpoint with a body.
    for (const [method, path] of writes) {
      const r = await t.call(method, path, { as: manager, body: inject('{"@@": 1, "title": "@@"}') });
      expectProblem(r, 422, 'invalid_characters');
      expect(r.body.errors.length).toBe(2);
    }
  });

  it('a NUL in the session cookie is a 422, not a 500', async () => {
    const res = await t.app.request('/api/v1/collections', { headers: { cookie: 'session=a%00b' } });
    expect(res.status).toBe(422);
  });

  it('in a bulk import, a record with such text is rejected on its own and the others are imported', async () => {
    const a = validCollection(site, { title: 'Fine one', xnat: { instance: 'https://xnat.test.org', projectId: 'NUL_OK_1', visibility: 'public' } });
    const b = validCollection(site, { title: 'PLACEHOLDER', xnat: { instance: 'https://xnat.test.org', projectId: 'NUL_BAD', visibility: 'public' } });
    const c = validCollection(site, { title: 'Fine two', xnat: { instance: 'https://xnat.test.org', projectId: 'NUL_OK_2', visibility: 'public' } });
    const d = validCollection(site, { title: 'PLACEHOLDER', xnat: { instance: 'https://xnat.test.org', projectId: 'SURR_BAD', visibility: 'public' } });
    const text = JSON.stringify({ collections: [a, b, c, d] })
      .replace('"PLACEHOLDER"', '"bad\\u0000title"')
      .replace('"PLACEHOLDER"', '"bad\\udc00title"');
    for (const ndjson of [false, true]) {
      const res = await t.app.request('/api/v1/import', {
        method: 'POST',
        headers: { authorization: `Bearer ${await t.issuer.sign({ sub: manager, name: manager })}`, 'content-type': 'application/json', ...(ndjson ? { accept: 'application/x-ndjson' } : {}) },
        body: text,
      });
      expect(res.status).toBe(200);
      const raw = await res.text();
      const report = ndjson ? JSON.parse(raw.trim().split('\n').at(-1)!).report : JSON.parse(raw);
      expect(report.records.map((r: { outcome: string }) => r.outcome)).toEqual(
        ndjson ? ['unchanged', 'rejected', 'unchanged', 'rejected'] : ['created', 'rejected', 'created', 'rejected'],
      );
      expect(report.records[1].errors).toEqual([expect.objectContaining({ path: 'title', code: 'invalid_characters' })]);
      expect(report.records[3].errors).toEqual([expect.objectContaining({ path: 'title', code: 'invalid_characters' })]);
    }
  });
});
