/**
 * The access-request flow end to end: the real server (seeded, mail to a real SMTP server) and
 * headless Chromium. A researcher requests two collections of different providers; one owner
 * approves, the other rejects; the researcher sees both outcomes; the mail arrived; the history
 * shows every step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startSmtp } from '../helpers/access.js';
import { eventually, launchBrowser, signIn, startServer, waitForHydration, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer({ SMTP_URL: smtp.url });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.stop();
});

async function withPage<T>(fn: (page: Page) => Promise<T>, opts: { javaScriptEnabled?: boolean } = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...opts });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    const out = await fn(page);
    expect(errors, 'uncaught errors in the page').toEqual([]);
    return out;
  } finally {
    await ctx.close();
  }
}

async function firstCollection(providerId: string): Promise<{ id: string; title: string }> {
  const res = await server.api('GET', `/api/v1/collections?providerId=${providerId}&state=published&limit=1`);
  expect(res.body.items[0], `a published collection of ${providerId}`).toBeDefined();
  return res.body.items[0];
}

const collectionPage = (id: string) => `/collections/${encodeURIComponent(id)}`;

describe('access request in the browser', () => {
  it('two providers decide independently; the researcher sees both; mail and history record it', async () => {
    const a = await firstCollection('eucanimage-uc1'); // decided by eu-curator
    const b = await firstCollection('eucanimage-worc'); // decided by worc-curator

    // The researcher fills the cart from two collection pages and requests both.
    const id = await withPage(async (page) => {
      await signIn(page, server.url, 'researcher', collectionPage(a.id));
      for (const c of [a, b]) {
        await page.goto(server.url + collectionPage(c.id));
        await waitForHydration(page);
        await page.getByRole('button', { name: 'Add to access cart' }).click();
        await page.getByText('Added to your').waitFor();
      }
      await page.goto(`${server.url}/cart`);
      await expect.poll(() => page.locator('ul[aria-label="Collections in the cart"] li').count()).toBe(2);
      await Promise.all([
        page.waitForURL(/\/requests\/req-/),
        page.getByRole('button', { name: /Request access to 2 collections/ }).click(),
      ]);
      await waitForHydration(page);
      await page.getByLabel('Project title').fill('Radiomics across two sites');
      await page.getByLabel(/Lay summary/).fill('We compare tumour images from two hospitals.');
      await page.getByLabel('Scientific abstract').fill('A retrospective multi-centre radiomics study.');
      await page.getByLabel('Purpose (Data Use Ontology)').selectOption('DUO:0000006');
      await page.getByLabel('No', { exact: true }).check();
      // Autosave keeps the draft without pressing a button.
      await page.getByText(/Draft saved/).waitFor();
      const id = /\/requests\/(req-[0-9a-f]+)/.exec(page.url())![1]!;
      const draft = await server.api('GET', `/api/v1/requests/${id}`, { as: 'researcher' });
      expect(draft.body.form.title).toBe('Radiomics across two sites');
      await page.getByRole('button', { name: 'Submit request' }).click();
      await page.getByText('Submitted. Each collection').waitFor();
      // A private message with an ethics letter to the first provider only.
      await page.locator('textarea[name="body"]').fill('Our ethics approval is attached.');
      await page.locator('select[name="audience"]').selectOption('eucanimage-uc1');
      await page
        .getByLabel(/Attachment/)
        .setInputFiles({ name: 'ethics.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByRole('link', { name: 'ethics.pdf' }).waitFor();
      return id;
    });

    // eu-curator approves A from the inbox; worc-curator rejects B with a reason.
    for (const [user, col, outcome] of [
      ['eu-curator', a, 'approve'],
      ['worc-curator', b, 'reject'],
    ] as const) {
      await withPage(async (page) => {
        await signIn(page, server.url, user, '/inbox');
        const row = page.locator('tr', { hasText: col.title });
        await expect.poll(() => row.count()).toBe(1);
        await Promise.all([page.waitForURL(/\/requests\/req-/), row.getByRole('link').click()]);
        await waitForHydration(page);
        // Only the owner's own collection is shown, and the private message only to its addressee.
        expect(await page.locator('article.item').count()).toBe(1);
        const msgs = (await page.locator('section[aria-labelledby="msg-title"]').textContent()) ?? '';
        if (user === 'eu-curator') expect(msgs).toContain('Our ethics approval is attached.');
        else expect(msgs).not.toContain('Our ethics approval is attached.');
        const card = page.locator('article.item', { hasText: col.title });
        await card.getByLabel(outcome === 'approve' ? 'Approve' : 'Reject', { exact: true }).check();
        if (outcome === 'reject') await card.getByLabel(/Reason or message/).fill('Our consent does not cover this purpose.');
        await card.getByRole('button', { name: 'Record decision' }).click();
        await expect
          .poll(() => card.locator('[data-status]').first().getAttribute('data-status'))
          .toBe(outcome === 'approve' ? 'approved' : 'rejected');
      });
    }

    // The researcher sees both outcomes and the full history.
    await withPage(async (page) => {
      await signIn(page, server.url, 'researcher', `/requests/${id}`);
      const cardA = page.locator(`article.item[data-collection="${a.id}"]`);
      const cardB = page.locator(`article.item[data-collection="${b.id}"]`);
      expect(await cardA.locator('header [data-status]').getAttribute('data-status')).toBe('approved');
      expect(await cardB.locator('header [data-status]').getAttribute('data-status')).toBe('rejected');
      await expect.poll(() => cardB.textContent()).toContain('Our consent does not cover this purpose.');
      const history = (await page.locator('ol.history').textContent()) ?? '';
      for (const step of [
        'request.created',
        'request.form_saved',
        'item.submitted',
        'item.review_started',
        'item.approved',
        'item.rejected',
      ])
        expect(history).toContain(step);
    });
    const hist = await server.api('GET', `/api/v1/requests/${id}/history`, { as: 'researcher' });
    const types = hist.body.events.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'item.submitted')).toHaveLength(2);
    expect(types).toEqual(expect.arrayContaining(['item.approved', 'item.rejected']));

    // Mail reached the SMTP server: owners on submit, the researcher on each decision, in one thread.
    await eventually('decision mail to the researcher', async () => {
      const got = smtp.mail.filter((m) => m.to.includes('rosa.researcher@example.org'));
      return got.length >= 2 ? got : undefined;
    });
    const toRosa = smtp.mail.filter((m) => m.to.includes('rosa.researcher@example.org'));
    expect(toRosa.map((m) => m.subject).join('\n')).toMatch(/approved/);
    expect(toRosa.map((m) => m.subject).join('\n')).toMatch(/rejected/);
    expect(toRosa[1]!.inReplyTo).toBe(toRosa[0]!.messageId);
    expect(smtp.mail.some((m) => m.to.includes('eva.curator@example.org') && m.subject.includes('[Data owner]'))).toBe(true);
    expect(smtp.mail.some((m) => m.to.includes('wim.curator@example.org') && m.subject.includes('[Data owner]'))).toBe(true);
  });

  it('works without JavaScript: cart, request form, submit, withdraw', async () => {
    const c = await firstCollection('eucanimage-uc4-5');
    await withPage(
      async (page) => {
        await page.goto(`${server.url}/signin?redirectTo=${encodeURIComponent(collectionPage(c.id))}`);
        await Promise.all([
          page.waitForURL((u) => !u.pathname.startsWith('/signin')),
          page.click('button[name="user"][value="researcher2"]'),
        ]);
        await page.getByRole('button', { name: 'Add to access cart' }).click();
        await page.getByText('Added to your').waitFor();
        await page.goto(`${server.url}/cart`);
        await Promise.all([
          page.waitForURL(/\/requests\/req-/),
          page.getByRole('button', { name: /Request access to 1 collection/ }).click(),
        ]);
        const id = /\/requests\/(req-[0-9a-f]+)/.exec(page.url())![1]!;
        // Submitting an incomplete form names the missing fields and keeps what was typed.
        await page.getByLabel('Project title').fill('No-JS study');
        await page.getByRole('button', { name: 'Submit request' }).click();
        await page.getByText('The form is not complete').waitFor();
        expect(await page.getByLabel('Project title').inputValue()).toBe('No-JS study');
        await page.getByLabel(/Lay summary/).fill('A study done without scripts.');
        await page.getByLabel('Scientific abstract').fill('Forms post to the server and back.');
        await page.getByLabel('Purpose (Data Use Ontology)').selectOption('DUO:0000042');
        await page.getByLabel('No', { exact: true }).check();
        await page.getByRole('button', { name: 'Submit request' }).click();
        await page.getByText('Submitted. Each collection').waitFor();
        await page.getByRole('button', { name: 'Withdraw request' }).click();
        await expect
          .poll(async () => (await server.api('GET', `/api/v1/requests/${id}`, { as: 'researcher2' })).body.items[0].status)
          .toBe('withdrawn');
      },
      { javaScriptEnabled: false },
    );
  });
});
