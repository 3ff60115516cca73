/**
 * The web app end to end: the real server (seeded) and headless Chromium. A data manager edits a
 * collection and sees the change; server-side field errors and a concurrent edit (412) keep what was
 * typed; a researcher searches, narrows by a facet and opens a result; the search page works without JS;
 * title suggestions by keyboard; searching within a long facet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually, launchBrowser, signIn, startServer, waitForHydration, type RunningServer } from './harness.js';

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

async function withPage<T>(fn: (page: Page, ctx: BrowserContext) => Promise<T>, opts: { javaScriptEnabled?: boolean } = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...opts });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    const out = await fn(page, ctx);
    expect(errors, 'uncaught errors in the page').toEqual([]);
    return out;
  } finally {
    await ctx.close();
  }
}

/** A published collection of nci-idc (the demo `curator` manages that provider). */
async function curatorsCollection(): Promise<{ id: string; title: string }> {
  const res = await server.api('GET', '/api/v1/collections?providerId=nci-idc&state=published&limit=5', { as: 'curator' });
  expect(res.status).toBe(200);
  const first = res.body.items[0];
  expect(first, 'the seed has published nci-idc collections').toBeDefined();
  return { id: first.id, title: first.title };
}

const detailPath = (id: string) => `/collections/${encodeURIComponent(id)}`;

describe('managing a collection: controls from the API, one sign-in guard', () => {
  it('shows the data manager the actions the API offers, and a viewer of the same provider none', async () => {
    const { id } = await curatorsCollection();
    await withPage(async (page) => {
      await signIn(page, server.url, 'curator', detailPath(id));
      const panel = page.getByRole('region', { name: 'Manage' });
      await panel.getByRole('link', { name: 'Edit' }).waitFor();
      await panel.getByText('Withdraw…').waitFor();
      // Published: no Publish button and no Delete (only drafts are deleted).
      expect(await panel.getByRole('button', { name: 'Publish' }).count()).toBe(0);
      expect(await panel.getByText('Delete…').count()).toBe(0);
      await page.getByRole('link', { name: 'History' }).waitFor();
    });
    await withPage(async (page) => {
      await signIn(page, server.url, 'viewer', detailPath(id));
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.getByRole('region', { name: 'Manage' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'History' }).count()).toBe(0);
      const edit = await page.goto(`${server.url}${detailPath(id)}/edit`);
      expect(edit?.status()).toBe(403);
    });
  });

  it('sends anonymous visitors of guarded pages and form actions to sign-in, back to the page', async () => {
    const { id } = await curatorsCollection();
    const page = await fetch(`${server.url}${detailPath(id)}/edit`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`/signin?redirectTo=${encodeURIComponent(`${detailPath(id)}/edit`)}`);
    const action = await fetch(`${server.url}${detailPath(id)}?/withdraw`, {
      method: 'POST',
      redirect: 'manual',
      headers: { accept: 'text/html', origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'reason=anonymous',
    });
    expect(action.status).toBe(303);
    expect(action.headers.get('location')).toBe(`/signin?redirectTo=${encodeURIComponent(detailPath(id))}`);
    // An enhanced form (JavaScript) gets the same redirect in SvelteKit's JSON form.
    const enhanced = await fetch(`${server.url}${detailPath(id)}?/publish`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'x-sveltekit-action': 'true',
        origin: server.url,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: '',
    });
    expect(await enhanced.json()).toEqual({
      type: 'redirect',
      status: 303,
      location: `/signin?redirectTo=${encodeURIComponent(detailPath(id))}`,
    });
    const still = await server.api('GET', `/api/v1/collections/${encodeURIComponent(id)}`);
    expect(still.body.publicationState).toBe('published');
  });
});

describe('editing a collection', () => {
  it('a data manager edits the title, saves, and sees it on the detail page', async () => {
    const { id } = await curatorsCollection();
    const newTitle = `Edited in the browser ${Date.now()}`;
    await withPage(async (page) => {
      await signIn(page, server.url, 'curator', detailPath(id));
      await expect.poll(() => page.textContent('header.site')).toContain('Carl Curator');
      await page.getByRole('link', { name: 'Edit', exact: true }).click();
      await page.waitForURL((u) => u.pathname.endsWith('/edit'));
      await page.getByLabel('Title').fill(newTitle);
      await Promise.all([
        page.waitForURL((u) => !u.pathname.endsWith('/edit')),
        page.getByRole('button', { name: 'Save changes' }).click(),
      ]);
      await expect.poll(() => page.textContent('h1')).toBe(newTitle);
      expect(await page.getByRole('status').first().textContent()).toContain('saved');
    });
    const after = await server.api('GET', `/api/v1/collections/${encodeURIComponent(id)}`);
    expect(after.body.title).toBe(newTitle);
  });

  it('shows the server’s field errors next to the fields and keeps every typed value', async () => {
    const { id } = await curatorsCollection();
    await withPage(async (page) => {
      await signIn(page, server.url, 'curator', `${detailPath(id)}/edit`);
      await page.getByLabel('Title').fill('A title that must survive the error');
      await page.getByLabel('Youngest age').fill('80');
      await page.getByLabel('Oldest age').fill('20');
      await page.getByRole('button', { name: 'Save changes' }).click();
      const summary = page.getByRole('alert');
      await expect.poll(() => summary.textContent()).toContain('Youngest age');
      expect(await page.getByLabel('Youngest age').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Title').inputValue()).toBe('A title that must survive the error');
      expect(await page.getByLabel('Oldest age').inputValue()).toBe('20');
      expect(page.url()).toContain('/edit');
    });
    const after = await server.api('GET', `/api/v1/collections/${encodeURIComponent(id)}`);
    expect(after.body.title).not.toBe('A title that must survive the error');
  });

  it('reports a concurrent change (412) without losing the input, and can save over it', async () => {
    const { id } = await curatorsCollection();
    await withPage(async (page) => {
      await signIn(page, server.url, 'curator', `${detailPath(id)}/edit`);
      await page.getByLabel('Title').fill('My edit');
      // Someone else saves first.
      const current = await server.api('GET', `/api/v1/collections/${encodeURIComponent(id)}`, { as: 'curator' });
      const { publicationState, derived, createdAt, modifiedAt, publishedAt, withdrawnAt, withdrawnReason, revision, actions, ...doc } =
        current.body;
      void [publicationState, derived, createdAt, modifiedAt, publishedAt, withdrawnAt, withdrawnReason, actions];
      const theirs = await server.api('PUT', `/api/v1/collections/${encodeURIComponent(id)}`, {
        as: 'admin',
        body: { ...doc, acronym: 'THEIRS' },
        headers: { 'if-match': `"${revision}"` },
      });
      expect(theirs.status).toBe(200);

      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Someone else changed this collection');
      expect(await page.getByLabel('Title').inputValue()).toBe('My edit');

      await Promise.all([
        page.waitForURL((u) => !u.pathname.endsWith('/edit')),
        page.getByRole('button', { name: 'Save mine anyway' }).click(),
      ]);
      await expect.poll(() => page.textContent('h1')).toBe('My edit');
    });
  });
});

describe('searching', () => {
  beforeAll(async () => {
    // The seed is indexed by the outbox worker shortly after start-up.
    await eventually(
      'the search index to hold the seed',
      async () => {
        const res = await server.api('GET', '/api/v1/search?q=lung&hitsPerPage=1');
        return res.status === 200 && res.body.total > 0 ? true : undefined;
      },
      120_000,
    );
  });

  it('searches, narrows by a facet and opens a result', async () => {
    await withPage(async (page) => {
      await page.goto(server.url);
      await waitForHydration(page);
      await page.getByRole('combobox', { name: 'Search collections' }).fill('lung');
      await Promise.all([page.waitForURL((u) => u.searchParams.get('q') === 'lung'), page.keyboard.press('Enter')]);
      const heading = page.locator('#results-title');
      await expect.poll(() => heading.textContent()).toMatch(/\d+ collections? for “lung”/);
      const before = Number((await heading.textContent())!.replace(/[^\d].*$/s, '').replace(/,/g, ''));

      const modality = page.locator('details.facet', { has: page.locator('summary', { hasText: 'Modality' }) });
      const ct = modality.getByRole('checkbox', { name: /Computed Tomography/ });
      await Promise.all([page.waitForURL((u) => u.searchParams.getAll('modality').includes('CT')), ct.check()]);
      await expect.poll(() => page.getByRole('list', { name: 'Active filters' }).textContent()).toContain('Modality: Computed Tomography');
      await expect
        .poll(async () => Number((await heading.textContent())!.replace(/[^\d].*$/s, '').replace(/,/g, '')))
        .toBeLessThanOrEqual(before);
      expect(await ct.isChecked()).toBe(true);
      // Disjunctive counts: the other modalities stay offered, with what they would add.
      const offered = await modality.locator('input[type=checkbox]:not(:checked)').count();
      expect(offered, 'other modalities still listed after ticking CT').toBeGreaterThan(0);

      const first = page.locator('ol.hits article h3 a').first();
      const title = (await first.textContent())!.trim();
      await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/collections/')), first.click()]);
      await expect.poll(() => page.textContent('h1')).toBe(title);
      expect(await page.textContent('main')).toContain('Computed Tomography');

      await page.goBack();
      await page.waitForURL((u) => u.searchParams.getAll('modality').includes('CT'));
      await expect
        .poll(() =>
          page
            .getByRole('checkbox', { name: /Computed Tomography/ })
            .first()
            .isChecked(),
        )
        .toBe(true);
    });
  });

  it('renders the first page of results without JavaScript', async () => {
    await withPage(
      async (page) => {
        const res = await page.goto(`${server.url}/?q=lung&modality=CT`);
        expect(res?.status()).toBe(200);
        expect(await page.textContent('#results-title')).toMatch(/collections? for “lung”/);
        expect(await page.locator('ol.hits > li').count()).toBeGreaterThan(0);
        expect(
          await page
            .getByRole('checkbox', { name: /Computed Tomography/ })
            .first()
            .isChecked(),
        ).toBe(true);
        // Plain controls: a search field (no combobox), full facet lists (no "search within" box).
        expect(await page.getByRole('searchbox', { name: 'Search collections' }).count()).toBe(1);
        expect(await page.getByRole('combobox', { name: 'Search collections' }).count()).toBe(0);
        expect(await page.getByRole('searchbox', { name: /values$/ }).count()).toBe(0);
      },
      { javaScriptEnabled: false },
    );
  });

  it('suggests collections while typing, usable with the keyboard', async () => {
    await withPage(async (page) => {
      await page.goto(server.url);
      await waitForHydration(page);
      const box = page.getByRole('combobox', { name: 'Search collections' });
      await box.click();
      await box.pressSequentially('lun', { delay: 40 });
      const list = page.getByRole('listbox', { name: 'Suggested collections' });
      await expect.poll(() => list.isVisible()).toBe(true);
      expect(await box.getAttribute('aria-expanded')).toBe('true');
      const options = list.getByRole('option');
      expect(await options.count()).toBeGreaterThan(0);
      expect((await options.first().textContent())!.toLowerCase()).toContain('lun');

      await page.keyboard.press('ArrowDown');
      const first = options.first();
      expect(await first.getAttribute('aria-selected')).toBe('true');
      expect(await box.getAttribute('aria-activedescendant')).toBe(await first.getAttribute('id'));
      await page.keyboard.press('Escape');
      await expect.poll(() => list.isVisible()).toBe(false);
      expect(await box.inputValue()).toBe('lun');

      await page.keyboard.press('ArrowDown');
      const title = (await first.locator('.title').textContent())!.trim();
      await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/collections/')), page.keyboard.press('Enter')]);
      await expect.poll(() => page.textContent('h1')).toBe(title);
    });
  });

  it('searches within a long facet through the facet-value API and applies a value found there', async () => {
    const all = await server.api('GET', '/api/v1/search?hitsPerPage=0');
    const icd: Record<string, number> = all.body.facets.icd10;
    expect(Object.keys(icd).length, 'the seed has many ICD-10 values').toBeGreaterThan(8);
    expect(icd.C34, 'the seed has lung cancer (C34)').toBeGreaterThan(0);
    await withPage(async (page) => {
      await page.goto(`${server.url}/?modality=CT`);
      await waitForHydration(page);
      // By label: typing narrows a long list to the matching values.
      const body = page.locator('details.facet', { has: page.locator('summary', { hasText: 'Body part' }) });
      await body.getByRole('searchbox', { name: 'Search Body part values' }).fill('lung');
      await expect
        .poll(async () => {
          const labels = await body.locator('label.opt .text').allTextContents();
          return labels.length > 0 && labels.every((l) => /lung/i.test(l));
        })
        .toBe(true);

      const group = page.locator('details.facet', { has: page.locator('summary', { hasText: 'ICD-10 code' }) });
      await group.locator(':scope > summary').click();
      const within = group.getByRole('searchbox', { name: 'Search ICD-10 code values' });
      // "c34.1" is neither a listed code nor a label: only the server (which normalises it to C34) finds it.
      await within.fill('c34.1');
      const c34 = group.locator('input[type=checkbox][value="C34"]');
      await expect.poll(() => c34.isVisible()).toBe(true);
      await expect.poll(() => group.getByRole('status').textContent()).toMatch(/\d+ matching values?/);
      await Promise.all([page.waitForURL((u) => u.searchParams.getAll('icd10').includes('C34')), c34.check()]);
      expect(new URL(page.url()).searchParams.getAll('modality')).toEqual(['CT']);
      await expect.poll(() => page.getByRole('list', { name: 'Active filters' }).textContent()).toContain('ICD-10 code');
    });
  });
});
