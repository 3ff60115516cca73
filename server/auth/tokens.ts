/**
 * Bearer-token verification with jose. Production: tokens from the configured OIDC issuer, keys
 * from its JWKS (discovered or configured), RS256/ES256 only, exp/nbf/iss/aud checked.
 * Embedded default and tests: our own dev issuer with a key generated on first start and kept in
 * the data directory, so tokens survive restarts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';

export const DEV_ISSUER = 'urn:dicom-miabis:dev-issuer';
export const DEV_AUDIENCE = 'dicom-miabis-api';
const ALGS = ['RS256', 'ES256'];

export interface TokenClaims {
  sub: string;
  name?: string;
  email?: string;
}

export interface TokenVerifier {
  verify(token: string): Promise<TokenClaims>;
}

export class InvalidToken extends Error {}

export interface DevIssuer {
  sign(claims: TokenClaims, ttlSeconds?: number): Promise<string>;
  jwks(): { keys: JWK[] };
  verifier: TokenVerifier;
}

/** Load (or create and keep) the dev issuer's ES256 key. Without a file the key lives in memory. */
export async function createDevIssuer(keyFile?: string): Promise<DevIssuer> {
  let privateJwk: JWK;
  if (keyFile && existsSync(keyFile)) {
    privateJwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  } else {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: `dev-${Date.now().toString(36)}` };
    if (keyFile) {
      mkdirSync(path.dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
    }
  }
  const privateKey = await importJWK(privateJwk, 'ES256');
  const { d: _d, ...publicJwk } = privateJwk;
  const jwks = { keys: [{ ...publicJwk, use: 'sig' }] };
  const verifier = jwksVerifier(createLocalJWKSet(jwks), DEV_ISSUER, DEV_AUDIENCE);
  return {
    async sign(claims, ttlSeconds = 8 * 3600) {
      const { sub, ...rest } = claims;
      return new SignJWT({ ...rest })
        .setProtectedHeader({ alg: 'ES256', kid: publicJwk.kid })
        .setSubject(sub)
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey);
    },
    jwks: () => jwks,
    verifier,
  };
}

function jwksVerifier(keys: JWTVerifyGetKey, issuer: string, audience?: string): TokenVerifier {
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, { issuer, audience, algorithms: ALGS, clockTolerance: 30 }));
      } catch {
        throw new InvalidToken('token rejected');
      }
      if (!payload.sub) throw new InvalidToken('token has no subject');
      return {
        sub: payload.sub,
        name: str(payload.name) ?? str(payload.preferred_username),
        email: str(payload.email),
      };
    },
  };
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** Verifier for an external OIDC issuer; the JWKS URL comes from discovery unless configured. */
export function oidcVerifier(
  oidc: { issuer: string; audience?: string; jwksUrl?: string },
  fetchImpl: typeof fetch = fetch,
): TokenVerifier {
  let inner: Promise<TokenVerifier> | undefined;
  const load = async () => {
    let jwksUrl = oidc.jwksUrl;
    if (!jwksUrl) {
      const res = await fetchImpl(`${oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
      if (!res.ok) throw new Error(`OIDC discovery failed: HTTP ${res.status}`);
      jwksUrl = ((await res.json()) as { jwks_uri?: string }).jwks_uri;
      if (!jwksUrl) throw new Error('OIDC discovery document has no jwks_uri');
    }
    return jwksVerifier(createRemoteJWKSet(new URL(jwksUrl)), oidc.issuer, oidc.audience);
  };
  return {
    async verify(token) {
      inner ??= load().catch((e) => {
        inner = undefined; // retry discovery on the next request
        throw e;
      });
      return (await inner).verify(token);
    },
  };
}

/** Try each verifier in turn (dev issuer beside a real one is possible in staging). */
export function anyVerifier(verifiers: TokenVerifier[]): TokenVerifier {
  return {
    async verify(token) {
      let last: unknown = new InvalidToken('no issuer configured');
      for (const v of verifiers) {
        try {
          return await v.verify(token);
        } catch (e) {
          last = e;
        }
      }
      throw last;
    },
  };
}
