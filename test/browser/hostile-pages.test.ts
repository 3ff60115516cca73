/**
 * Hostile input against the web pages of the real server: NUL and unpaired surrogates in paths,
 * query strings and forms, CR/LF/NUL in the sign-in return path, unusable session cookies. Never a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './harness.js';

let server: RunningServer;
let someId: string;

beforeAll(async () => {
  server = await startServer();
  const list = await server.api('GET', '/api/v1/collections?limit=1');
  someId = list.body.items[0].id;
});
afterAll(async () => server?.stop());

const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { redirect: 'manual', headers });

describe('web pages under hostile input', () => {
  const pages = () => ['/', '/collections', `/collections/${encodeURIComponent(someId)}`, `/collections/${encodeURIComponent(someId)}/edit`, '/collections/new', '/import', '/signin', '/signout'];
  const bad = ['%00', 'a%00b', '%ED%A0%80', '%C0%80', '%0D%0A', '%FF'];

  it('NUL and friends in every query parameter of every page: no 5xx', async () => {
    const params = ['q', 'modality', 'bodyPart', 'providerId', 'state', 'cursor', 'page', 'sort', 'filter[modality]', 'range[subjects]', 'redirectTo'];
    let tried = 0;
    for (const page of pages()) {
      for (const p of params) {
        for (const v of bad) {
          const res = await get(`${page}?${encodeURIComponent(p)}=${v}`);
          await res.arrayBuffer();
          tried++;
          expect(res.status, `${page}?${p}=${v}`).toBeLessThan(500);
        }
      }
    }
    expect(tried).toBeGreaterThan(400);
  });

  it('NUL in path segments: no 5xx', async () => {
    for (const path of ['/collections/a%00b', '/collections/a%00b/edit', '/%00', '/collections/%ED%A0%80', '/import%00']) {
      const res = await get(path);
      await res.arrayBuffer();
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it('the collections list with a NUL filter explains the filter instead of failing', async () => {
    const res = await get('/collections?q=%00');
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/cannot be stored/);
  });

  it.each(['/%0D%0ASet-Cookie:%20x=1', '/a%0Ab', '/a%00b', '/a%0Db', '/%5C%5Cevil.example', '//evil.example', '/ok%E2%80%A8'])(
    'a sign-in return path %s falls back to a safe one',
    async (target) => {
      const page = await get(`/signin?redirectTo=${target}`);
      expect(page.status).toBeLessThan(500);
      const html = await page.text();
      expect(html).not.toMatch(/Set-Cookie:/i);
      const form = new URLSearchParams({ user: 'researcher', redirectTo: decodeURIComponent(target) });
      const res = await fetch(`${server.url}/signin`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
        body: form,
      });
      expect(res.status).toBe(303);
      const location = res.headers.get('location')!;
      expect(location.startsWith('/') && !location.startsWith('//')).toBe(true);
      // eslint-disable-next-line no-control-regex -- the point
      expect(location).not.toMatch(/[\u0000-\u001f\\]/);
      expect(res.headers.get('set-cookie') ?? '').not.toMatch(/x=1/);
    },
  );

  it('an unusable session cookie is forgotten, and the page still renders', async () => {
    for (const cookie of ['session="abc', 'session=not.a.token', 'session=a%00b']) {
      const res = await get('/collections', { cookie });
      expect(res.status, cookie).toBeLessThan(500);
      expect(res.headers.get('set-cookie') ?? '', cookie).toMatch(/session=;/);
    }
  });
});
