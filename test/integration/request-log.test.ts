/**
 * Logs are JSON lines through pino: one line per request with its request id and actor, and an
 * unexpected error logged with the request id the client was given (the client sees no internals).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let t: TestApp;
const lines: Record<string, any>[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase();
  const logger = createLogger('info', { destination: { write: (s: string) => void lines.push(JSON.parse(s)) } });
  t = await buildTestApp(tdb.database, {
    logger,
    modules: [
      {
        name: 'boom',
        routes: (app) =>
          app.get('/api/v1/boom', () => {
            throw new Error('connection to 10.0.0.7 refused (password=hunter2)');
          }),
      },
    ],
  });
});
afterAll(async () => tdb?.drop());

it('writes one JSON line per request with the request id and the actor', async () => {
  const user = await t.user();
  const res = await t.call('GET', '/api/v1/me', { as: user, headers: { 'x-request-id': 'req-abc-123' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('x-request-id')).toBe('req-abc-123');
  const line = lines.find((l) => l.msg === 'request' && l.reqId === 'req-abc-123');
  expect(line).toMatchObject({ level: 30, reqId: 'req-abc-123', actor: user, method: 'GET', path: '/api/v1/me', status: 200 });
  expect(typeof line!.time).toBe('string');
  expect(line!.ms).toBeGreaterThanOrEqual(0);

  await t.call('GET', '/api/v1/vocabularies', { headers: { 'x-request-id': 'req-anon' } });
  expect(lines.find((l) => l.reqId === 'req-anon')).toMatchObject({ actor: 'anonymous', status: 200 });
});

it('logs an unexpected error with the request id, and answers without internals', async () => {
  const res = await t.call('GET', '/api/v1/boom', { headers: { 'x-request-id': 'req-boom' } });
  expect(res.status).toBe(500);
  expect(res.body).toMatchObject({ code: 'internal_error', requestId: 'req-boom' });
  expect(JSON.stringify(res.body)).not.toMatch(/10\.0\.0\.7|hunter2|at \w+ \(/);
  const err = lines.find((l) => l.level === 50 && l.reqId === 'req-boom');
  expect(err).toBeDefined();
  expect(err!.err.message).toContain('connection to 10.0.0.7 refused');
  expect(err!.err.stack).toContain('request-log.test.ts');
  expect(lines.find((l) => l.msg === 'request' && l.reqId === 'req-boom')).toMatchObject({ status: 500 });
});
