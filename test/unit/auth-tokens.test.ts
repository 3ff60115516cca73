/**
 * Bearer-token verification (server/auth/tokens.ts) without a database: the dev issuer, the OIDC
 * verifier against the OIDC emulator (a real local HTTP server with discovery and a JWKS), and
 * anyVerifier. Each refusal is a token that must never name a user.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anyVerifier,
  createDevIssuer,
  DEV_AUDIENCE,
  DEV_ISSUER,
  InvalidToken,
  oidcVerifier,
  type TokenVerifier,
} from '../../server/auth/tokens.js';
import { startOidcEmulator, type OidcEmulator } from '../helpers/oidc-emulator.js';

let dir: string;
let idp: OidcEmulator;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tokens-'));
  idp = await startOidcEmulator();
});
afterAll(async () => {
  await idp.close();
  rmSync(dir, { recursive: true, force: true });
});

const refused = async (v: TokenVerifier, token: string, message = 'token rejected') => {
  const err = await v.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidToken);
  expect((err as Error).message).toBe(message);
};

/** A token signed with the dev issuer's own private key (read from its key file), claims chosen by the test. */
async function forge(keyFile: string, build: (jwt: SignJWT) => SignJWT, claims: Record<string, unknown> = {}) {
  const jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  const key = await importJWK(jwk, 'ES256');
  return build(new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: jwk.kid })).sign(key);
}
const valid = (jwt: SignJWT) => jwt.setSubject('u-1').setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setIssuedAt().setExpirationTime('1h');

describe('the dev issuer', () => {
  it('signs tokens its verifier accepts, naming the subject, name and email', async () => {
    const dev = await createDevIssuer();
    const token = await dev.sign({ sub: 'u-1', name: 'Ann', email: 'ann@example.org' });
    expect(await dev.verifier.verify(token)).toEqual({ sub: 'u-1', name: 'Ann', email: 'ann@example.org' });
    const claims = decodeJwt(token);
    // Spelled out: sessions signed before an upgrade (key kept in the data directory) must stay valid after it.
    expect(claims).toMatchObject({ sub: 'u-1', iss: 'urn:dicom-miabis:dev-issuer', aud: 'dicom-miabis-api', name: 'Ann' });
    expect(claims.exp! - claims.iat!).toBe(8 * 3600); // default lifetime: 8 hours
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: dev.jwks().keys[0]!.kid });
  });

  it('publishes only the public key, for signatures', async () => {
    const dev = await createDevIssuer();
    const [key, ...more] = dev.jwks().keys;
    expect(more).toEqual([]);
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(key!.kid).toMatch(/^dev-[0-9a-z]+$/);
    expect(key).not.toHaveProperty('d');
  });

  it('keeps its key in the key file (owner-only), so tokens survive a restart', async () => {
    const keyFile = path.join(dir, 'nested', 'deeper', 'dev-key.json');
    const first = await createDevIssuer(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(keyFile, 'utf8'))).toHaveProperty('d');
    const token = await first.sign({ sub: 'u-2' });
    const second = await createDevIssuer(keyFile);
    expect(second.jwks()).toEqual(first.jwks());
    expect(await second.verifier.verify(token)).toEqual({ sub: 'u-2' });
    // A new issuer without the file has another key and refuses the token.
    await refused((await createDevIssuer()).verifier, token);
  });

  it('honours the lifetime it is asked for; expired tokens are refused (30 s clock tolerance)', async () => {
    const dev = await createDevIssuer();
    const short = await dev.sign({ sub: 'u-3' }, 60);
    const c = decodeJwt(short);
    expect(c.exp! - c.iat!).toBe(60);
    await refused(dev.verifier, await dev.sign({ sub: 'u-3' }, -120));
    expect(await dev.verifier.verify(await dev.sign({ sub: 'u-3' }, -5))).toEqual({ sub: 'u-3' });
  });

  it('refuses tokens from another issuer or for another audience, even under its own key', async () => {
    const keyFile = path.join(dir, 'forge-key.json');
    const dev = await createDevIssuer(keyFile);
    expect(await dev.verifier.verify(await forge(keyFile, valid))).toEqual({ sub: 'u-1' });
    await refused(dev.verifier, await forge(keyFile, (j) => valid(j).setIssuer('urn:someone-else')));
    await refused(dev.verifier, await forge(keyFile, (j) => valid(j).setAudience('another-api')));
    await refused(dev.verifier, await forge(keyFile, (j) => j.setSubject('u-1').setIssuer(DEV_ISSUER).setExpirationTime('1h')));
    await refused(dev.verifier, await forge(keyFile, (j) => valid(j).setNotBefore('10m')));
  });

  it('refuses a token without a subject (or an empty one)', async () => {
    const keyFile = path.join(dir, 'nosub-key.json');
    const dev = await createDevIssuer(keyFile);
    const noSub = (j: SignJWT) => j.setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setExpirationTime('1h');
    await refused(dev.verifier, await forge(keyFile, noSub), 'token has no subject');
    await refused(dev.verifier, await forge(keyFile, (j) => noSub(j).setSubject('')), 'token has no subject');
  });

  it('refuses HS256 and unsigned tokens (algorithm confusion) and garbage', async () => {
    const dev = await createDevIssuer();
    const hs = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-1')
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    await refused(dev.verifier, hs);
    const [, body] = (await dev.sign({ sub: 'u-1' })).split('.');
    await refused(dev.verifier, `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`);
    await refused(dev.verifier, 'not-a-jwt');
  });

  it('takes the name from `name`, else `preferred_username`; ignores empty or non-string values', async () => {
    const keyFile = path.join(dir, 'names-key.json');
    const dev = await createDevIssuer(keyFile);
    const v = (claims: Record<string, unknown>) => forge(keyFile, valid, claims).then((t) => dev.verifier.verify(t));
    expect(await v({ preferred_username: 'annie' })).toEqual({ sub: 'u-1', name: 'annie' });
    expect(await v({ name: 'Ann', preferred_username: 'annie' })).toEqual({ sub: 'u-1', name: 'Ann' });
    expect(await v({ name: '', preferred_username: 'annie' })).toEqual({ sub: 'u-1', name: 'annie' });
    expect(await v({ name: 42, email: ['a@b'] })).toEqual({ sub: 'u-1' });
    expect(await v({ email: '' })).toEqual({ sub: 'u-1' });
    const r = await v({ email: 'a@example.org' });
    expect(r).toEqual({ sub: 'u-1', email: 'a@example.org' });
    expect(Object.keys(r).sort()).toEqual(['email', 'name', 'sub']); // name present, undefined
  });
});

describe('the OIDC verifier', () => {
  it('finds the JWKS through discovery once (trailing slash tolerated) and accepts RS256 tokens', async () => {
    const urls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    const v = oidcVerifier({ issuer: `${idp.issuer}/`, audience: 'catalogue-api' }, counting);
    // The issuer claim must match the configured issuer exactly; the emulator signs without the slash.
    await refused(v, await idp.sign({ sub: 'u-9' }));
    expect(urls).toEqual([`${idp.issuer}/.well-known/openid-configuration`]);
    const exact = oidcVerifier({ issuer: idp.issuer, audience: 'catalogue-api' }, counting);
    expect(await exact.verify(await idp.sign({ sub: 'u-9', name: 'Nine' }))).toEqual({ sub: 'u-9', name: 'Nine' });
    expect(await exact.verify(await idp.sign({ sub: 'u-10' }))).toEqual({ sub: 'u-10' });
    expect(urls.filter((u) => u.endsWith('/.well-known/openid-configuration'))).toHaveLength(2);
  });

  it('refuses another audience, another issuer, a foreign key, an expired token, a missing subject', async () => {
    const v = oidcVerifier({ issuer: idp.issuer, audience: 'catalogue-api' });
    await refused(v, await idp.sign({ sub: 'u-1' }, { audience: 'someone-else' }));
    await refused(v, await idp.sign({ sub: 'u-1' }, { issuer: 'http://evil.example/realms/test' }));
    await refused(v, await idp.sign({ sub: 'u-1' }, { key: 'foreign' }));
    await refused(v, await idp.sign({ sub: 'u-1' }, { expiresIn: '-2m' }));
    await refused(v, await idp.sign({}), 'token has no subject');
  });

  it('without an audience configured, accepts any audience', async () => {
    const v = oidcVerifier({ issuer: idp.issuer });
    expect(await v.verify(await idp.sign({ sub: 'u-1' }, { audience: 'whatever' }))).toEqual({ sub: 'u-1' });
  });

  it('uses a configured JWKS URL without discovery', async () => {
    const urls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    const v = oidcVerifier(
      { issuer: idp.issuer, audience: 'catalogue-api', jwksUrl: `${idp.issuer}/protocol/openid-connect/certs` },
      counting,
    );
    expect(await v.verify(await idp.sign({ sub: 'u-1' }))).toEqual({ sub: 'u-1' });
    expect(urls).toEqual([]);
  });

  it('reports a failed discovery, and tries discovery again on the next request', async () => {
    const answers = [
      new Response('down', { status: 503 }),
      Response.json({ issuer: idp.issuer }),
      Response.json({ jwks_uri: `${idp.issuer}/protocol/openid-connect/certs` }),
    ];
    const scripted: typeof fetch = async () => answers.shift()!;
    const v = oidcVerifier({ issuer: idp.issuer, audience: 'catalogue-api' }, scripted);
    const token = await idp.sign({ sub: 'u-1' });
    await expect(v.verify(token)).rejects.toThrow('OIDC discovery failed: HTTP 503');
    await expect(v.verify(token)).rejects.toThrow('OIDC discovery document has no jwks_uri');
    expect(await v.verify(token)).toEqual({ sub: 'u-1' });
    expect(answers).toEqual([]);
  });
});

describe('anyVerifier', () => {
  it('accepts a token any of its verifiers accepts', async () => {
    const a = await createDevIssuer();
    const b = await createDevIssuer();
    const both = anyVerifier([a.verifier, b.verifier]);
    expect(await both.verify(await a.sign({ sub: 'from-a' }))).toEqual({ sub: 'from-a' });
    expect(await both.verify(await b.sign({ sub: 'from-b' }))).toEqual({ sub: 'from-b' });
  });

  it('throws the last refusal when none accepts, and refuses everything when empty', async () => {
    const a = await createDevIssuer();
    const failing: TokenVerifier = { verify: () => Promise.reject(new Error('boom')) };
    await expect(anyVerifier([a.verifier, failing]).verify('x')).rejects.toThrow('boom');
    await refused(anyVerifier([failing, a.verifier]), 'x');
    await refused(anyVerifier([]), 'x', 'no issuer configured');
  });
});
