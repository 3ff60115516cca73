import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('has no dev token endpoint when only OIDC is configured', async () => {
    const res = await app.request('/api/v1/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"admin"}' });
    expect(res.status).toBe(404);
  });
});
