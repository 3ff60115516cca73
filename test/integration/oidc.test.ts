import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../server/app.js';
import { oidcVerifier } from '../../server/auth/tokens.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startOidcEmulator, type OidcEmulator } from '../helpers/oidc-emulator.js';

let tdb: TestDatabase;
let idp: OidcEmulator;
let app: ReturnType<typeof createApp>['app'];

beforeAll(async () => {
  tdb = await createTestDatabase();
  idp = await startOidcEmulator();
  ({ app } = createApp({
    database: tdb.database,
    verifier: oidcVerifier({ issuer: idp.issuer, audience: 'catalogue-api' }),
    adminUsers: ['boss-sub'],
  }));
});
afterAll(async () => {
  await idp.close();
  await tdb.drop();
});

const me = async (token: string) => {
  const res = await app.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('tokens from an external OIDC issuer', () => {
  it('accepts a valid RS256 token found through discovery and creates the user', async () => {
    const res = await me(await idp.sign({ sub: 'u-123', name: 'Ines Investigator', email: 'ines@example.org' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'user', id: 'u-123', name: 'Ines Investigator', isAdmin: false });
    expect(idp.discoveryHits).toBe(1);
  });

  it('makes ADMIN_USERS admins at sign-in', async () => {
    expect((await me(await idp.sign({ sub: 'boss-sub', name: 'Boss' }))).body.isAdmin).toBe(true);
  });

  it.each([
    ['another audience', { audience: 'some-other-api' }],
    ['another issuer', { issuer: 'https://evil.example.org/realms/test' }],
    ['an expired token', { expiresIn: '-2m' }],
    ['a token not valid yet', { notBefore: '10m' }],
  ])('rejects %s with 401', async (_what, opts) => {
    const res = await me(await idp.sign({ sub: 'u-123' }, opts));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
  });

  it('rejects HS256 tokens and unsigned tokens (algorithm confusion)', async () => {
    const hs = await new SignJWT({ sub: 'u-123' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(idp.issuer)
      .setAudience('catalogue-api')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect((await me(hs)).status).toBe(401);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'u-123', iss: idp.issuer, aud: 'catalogue-api', exp: 9e9 })).toString('base64url')}.`;
    expect((await me(none)).status).toBe(401);
  });

  it('rejects a token signed with a key the issuer does not publish, even under its key id', async () => {
    const forged = await idp.sign({ sub: 'u-123', name: 'Forger' }, { key: 'foreign' });
    const res = await me(forged);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
  });

  it.each([
    ['no sub claim', { name: 'Nobody' }],
    ['an empty sub', { sub: '', name: 'Nobody' }],
  ])('rejects a validly signed token with %s', async (_what, claims) => {
    const res = await me(await idp.sign(claims));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
  });

  it('follows a key rotation: new key accepted once published, retired key refused', async () => {
    // A separate issuer and app, so the rotation does not disturb the other tests' key cache.
    const rotating = await startOidcEmulator();
    const { app: rotApp } = createApp({ database: tdb.database, verifier: oidcVerifier({ issuer: rotating.issuer, audience: 'catalogue-api' }) });
    const who = async (token: string) => (await rotApp.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status;
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      expect(await who(await rotating.sign({ sub: 'rot-user' }))).toBe(200);
      // The provider publishes the next key beside the old one, then signs with it.
      await rotating.rotateKey({ keepOld: true });
      // jose refetches a JWKS for an unknown kid at most every 30 s; let that pass.
      vi.setSystemTime(Date.now() + 31_000);
      expect(await who(await rotating.sign({ sub: 'rot-user' }))).toBe(200);
      expect(await who(await rotating.sign({ sub: 'rot-user' }, { key: 'previous' }))).toBe(200);
      // Later the old key is withdrawn: tokens signed with it stop working.
      await rotating.rotateKey();
      vi.setSystemTime(Date.now() + 31_000);
      expect(await who(await rotating.sign({ sub: 'rot-user' }))).toBe(200);
      expect(await who(await rotating.sign({ sub: 'rot-user' }, { key: 'previous' }))).toBe(401);
    } finally {
      vi.useRealTimers();
      await rotating.close();
    }
  });

  it('has no dev token endpoint when only OIDC is configured', async () => {
    const res = await app.request('/api/v1/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"admin"}' });
    expect(res.status).toBe(404);
  });
});
