/**
 * First impressions, in the real browser: the home page says what the catalogue holds before any search; on a
 * 390 px phone the first result is in the first screen and the filters open from a button; the detail page
 * leads with the description, counts and how to get access; axe-core finds no serious or critical violation
 * on home, results, detail, edit, import and sign-in at desktop and phone widths.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eventually, launchBrowser, signIn, startServer, waitForHydration, type RunningServer } from './harness.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

let server: RunningServer;
let browser: Browser;
let published: { id: string; title: string };

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // The seed is indexed in the background: wait until search answers with hits.
  await eventually('the seed to be searchable', async () => {
    const r = await server.api('GET', '/api/v1/search?hitsPerPage=1');
    return r.status === 200 && r.body.total > 0 ? true : undefined;
  });
  const list = await server.api('GET', '/api/v1/collections?providerId=nci-idc&state=published&limit=1', { as: 'curator' });
  published = list.body.items[0];
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function withPage<T>(viewport: { width: number; height: number }, fn: (page: Page) => Promise<T>): Promise<T> {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  try {
    return await fn(page);
  } finally {
    await ctx.close();
  }
}

interface AxeResult {
  id: string;
  impact?: string;
  help: string;
  nodes: { target: string[] }[];
}

/** Serious and critical axe-core violations on the current page. */
async function axeProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  })) as AxeResult[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

const detailPath = (id: string) => `/collections/${encodeURIComponent(id)}`;

describe('first impressions', () => {
  it('the home page says what the catalogue holds before any search', async () => {
    await withPage(DESKTOP, async (page) => {
      await page.goto(`${server.url}/`);
      const overview = page.getByRole('region', { name: 'What the catalogue holds' });
      await expect.poll(() => overview.textContent()).toMatch(/Collections\s*[\d,]+/);
      const text = (await overview.textContent()) ?? '';
      expect(text).toMatch(/Providers\s*[1-9]/);
      expect(text).toMatch(/Subjects\s*[\d,]{3,}/);
      expect(await overview.locator('.bars li').count()).toBeGreaterThan(2);
    });
  });

  it('on a phone the first result is in the first screen and the filters open from a button', async () => {
    await withPage(PHONE, async (page) => {
      for (const path of ['/', '/?q=lung']) {
        await page.goto(`${server.url}${path}`);
        await waitForHydration(page);
        const box = await page.locator('ol.hits > li').first().boundingBox();
        expect(box, `a first result on ${path}`).not.toBeNull();
        expect(box!.y + 40, path).toBeLessThan(PHONE.height);
      }
      await expect.poll(() => page.locator('#filters').isVisible()).toBe(false);
      await page.getByRole('button', { name: /^Filters/ }).click();
      await expect.poll(() => page.locator('#filters').isVisible()).toBe(true);
    });
  });

  it('the detail page leads with the description, counts and how to get access', async () => {
    await withPage(DESKTOP, async (page) => {
      await page.goto(`${server.url}${detailPath(published.id)}`);
      const y = async (sel: string) => (await page.locator(sel).first().boundingBox())?.y ?? Number.POSITIVE_INFINITY;
      const desc = await y('.md');
      const counts = await y('dl.counts');
      const access = await y('#get-access-title');
      const content = await y('#content-title, #access-title');
      expect(desc).toBeLessThan(counts);
      expect(counts).toBeLessThan(access);
      expect(access).toBeLessThan(content);
      const body = (await page.textContent('main')) ?? '';
      expect(body).not.toMatch(/seed\/|PROVENANCE\.md|catalogue\.json/);
    });
  });

  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`axe-core: no serious or critical violations (${name})`, async () => {
      const problems: string[] = [];
      await withPage(viewport, async (page) => {
        for (const path of ['/', '/?q=lung', detailPath(published.id), '/signin']) {
          await page.goto(`${server.url}${path}`);
          await waitForHydration(page);
          problems.push(...(await axeProblems(page)).map((p) => `${path}: ${p}`));
        }
        await signIn(page, server.url, 'curator', `${detailPath(published.id)}/edit`);
        problems.push(...(await axeProblems(page)).map((p) => `edit: ${p}`));
        await page.goto(`${server.url}/import`);
        await waitForHydration(page);
        problems.push(...(await axeProblems(page)).map((p) => `import: ${p}`));
      });
      expect(problems).toEqual([]);
    });
  }
});
