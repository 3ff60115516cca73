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

  it('refuses a callback whose state does not match the browser', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${server.url}/signin/callback?code=forged&state=forged`);
    expect(res?.status()).toBe(400);
    expect(await page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).kind)).toBe('anonymous');
    await page.close();
  });
});
