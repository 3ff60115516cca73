/**
 * Production sign-in: with OIDC_ISSUER + OIDC_CLIENT_ID and dev auth off, the web app signs people in
 * through the identity provider (authorization code + PKCE) and the API accepts the resulting token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcEmulator, type OidcEmulator } from '../helpers/oidc-emulator.js';
import { launchBrowser, startServer, type RunningServer } from './harness.js';
import type { Browser } from 'playwright-core';

let idp: OidcEmulator;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  idp = await startOidcEmulator();
  server = await startServer({
    DEV_AUTH: 'false',
    OIDC_ISSUER: idp.issuer,
    OIDC_AUDIENCE: 'catalogue-api',
    OIDC_CLIENT_ID: idp.client.id,
    SEED: 'true',
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await idp?.close();
});

describe('sign-in through the identity provider', () => {
  it('signs in, shows the user, and has no dev sign-in', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/signin`);
    expect(await page.getByRole('list', { name: 'Demo users' }).count()).toBe(0);
    await page.getByRole('link', { name: /organisation account/i }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
    await expect.poll(() => page.getByText(idp.user.name).count()).toBeGreaterThan(0);
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    expect(me).toMatchObject({ kind: 'user', id: idp.user.sub, email: idp.user.email });
    expect((await server.api('POST', '/api/v1/dev/token', { body: { user: 'admin' } })).status).toBe(404);
    await page.close();
  });

  it('refuses a callback without the browser\'s sign-in flow cookie', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${server.url}/signin/callback?code=forged&state=forged`);
    expect(res?.status()).toBe(400);
    expect(await page.getByText(/took too long or was started elsewhere/).count()).toBeGreaterThan(0);
    expect(await page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).kind)).toBe('anonymous');
    await page.close();
  });

  it('refuses a callback whose state does not match the browser, even with a valid flow cookie and code', async () => {
    // Login CSRF: the provider's real answer (a valid code for this browser's flow) arrives with another
    // state, as when an attacker plants their own callback URL. The flow cookie is there, so it is the
    // state comparison that must refuse it.
    const page = await browser.newPage();
    // Walk the redirects by hand (Playwright cannot intercept the later hops of a redirect chain);
    // page.request shares the browser's cookie jar, so the flow cookie lands in the browser.
    const start = await page.request.get(`${server.url}/signin/oidc?redirectTo=%2Fcollections`, { maxRedirects: 0 });
    expect(start.status()).toBe(302);
    const answer = await page.request.get(start.headers()['location']!, { maxRedirects: 0 });
    const callback = new URL(answer.headers()['location']!);
    expect(callback.pathname).toBe('/signin/callback');
    expect(callback.searchParams.get('code')).toBeTruthy();
    expect((await page.context().cookies(`${server.url}/signin/callback`)).map((c) => c.name)).toContain('oidc_flow');
    callback.searchParams.set('state', 'attacker-state');
    const res = await page.goto(callback.toString());
    expect(res?.status()).toBe(400);
    expect(await page.getByText(/does not match this browser/).count()).toBeGreaterThan(0);
    expect(await page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).kind)).toBe('anonymous');
    await page.close();
  });

  it.each(['https://evil.example/', '//evil.example/', '/\\evil.example/', '/%09/evil.example/', '/.//evil.example/'])(
    'returns to a local page, never to %j, after signing in',
    async (target) => {
      const page = await browser.newPage();
      const seen: string[] = [];
      // Stop at our own redirect: record where the callback sends the browser instead of following it.
      await page.route('**/*', (route) => {
        const host = new URL(route.request().url()).host;
        if (host !== new URL(server.url).host && host !== new URL(idp.issuer).host) {
          seen.push(route.request().url());
          return route.abort();
        }
        return route.continue();
      });
      await page.goto(`${server.url}/signin/oidc?redirectTo=${target.startsWith('/%') ? target : encodeURIComponent(target)}`);
      await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
      expect(seen).toEqual([]);
      expect(new URL(page.url()).host).toBe(new URL(server.url).host);
      expect(new URL(page.url()).pathname).toBe('/');
      await page.close();
    },
  );
});
