/**
 * The History tab end to end: a data manager edits a collection through the API and reads who
 * changed what on the collection's History tab; a researcher sees no tab and is refused the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, signIn, startServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('collection history in the web app', () => {
  it('shows editors every revision with who and which fields changed; others get no tab', async () => {
    const list = await server.api('GET', '/api/v1/collections?providerId=nci-idc&state=published&limit=1', { as: 'curator' });
    const id: string = list.body.items[0].id;
    const path = `/collections/${encodeURIComponent(id)}`;
    const cur = await server.api('GET', `/api/v1/collections/${encodeURIComponent(id)}`, { as: 'curator' });
    const {
      publicationState: _p,
      derived: _d,
      createdAt: _c,
      modifiedAt: _m,
      publishedAt: _pa,
      revision: _r,
      actions: _a,
      ...doc
    } = cur.body;
    const put = await server.api('PUT', `/api/v1/collections/${encodeURIComponent(id)}`, {
      as: 'curator',
      body: { ...doc, keywords: [...(doc.keywords ?? []), 'history-tab'] },
      headers: { 'if-match': cur.headers.get('etag')! },
    });
    expect(put.status).toBe(200);

    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    try {
      await signIn(page, server.url, 'curator', path);
      await page.getByRole('link', { name: 'History', exact: true }).click();
      await page.waitForURL((u) => u.pathname.endsWith('/history'));
      const rows = page.locator('table.history tbody tr');
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
      const newest = (await rows.first().textContent()) ?? '';
      expect(newest).toContain('Carl Curator');
      expect(newest).toContain('Edited');
      expect(newest).toContain('keywords');
      expect((await rows.last().textContent()) ?? '').toContain('Created');
    } finally {
      await ctx.close();
    }

    const other = await browser.newContext();
    const p2 = await other.newPage();
    try {
      await signIn(p2, server.url, 'researcher', path);
      expect(await p2.getByRole('link', { name: 'History', exact: true }).count()).toBe(0);
      const res = await p2.goto(`${server.url}${path}/history`);
      expect(res?.status()).toBe(403);
    } finally {
      await other.close();
    }
  });
});
