import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let t: TestApp;
beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp(tdb.database);
});
afterAll(async () => tdb.drop());

describe('OpenAPI, JSON Schema and health', () => {
  it('documents every route with problem+json errors', async () => {
    const res = await t.call('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const paths = Object.keys(res.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/collections',
        '/api/v1/collections/{id}',
        '/api/v1/import',
        '/api/v1/providers',
        '/api/v1/networks',
      ]),
    );
    const put = res.body.paths['/api/v1/collections/{id}'].put;
    expect(put.responses['422'].content['application/problem+json']).toBeDefined();
    expect(put.parameters.map((p: { name: string }) => p.name)).toContain('If-Match');
    expect(put.requestBody.content['application/json'].schema.properties.modalities).toBeDefined();
  });

  it('serves the browsable docs page and its assets', async () => {
    const page = await t.app.request('/api/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
    const js = await t.app.request('/api/docs/assets/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    expect((await t.app.request('/api/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });

  it('exports the collection model as JSON Schema', async () => {
    const res = await t.call('GET', '/api/v1/schema/collection.json');
    expect(res.status).toBe(200);
    expect(res.body.$schema).toContain('2020-12');
    expect(res.body.required).toEqual(expect.arrayContaining(['providerId', 'title', 'description', 'xnat']));
    expect(res.body.properties.deidentification).toBeDefined();
    expect(res.body.properties.dataUse).toBeDefined();
  });

  it('serves the vocabularies with codes and labels', async () => {
    const res = await t.call('GET', '/api/v1/vocabularies');
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('Magnetic Resonance');
  });

  it('reports liveness and readiness', async () => {
    expect((await t.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await t.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.database).toBe('ok');
  });
});
