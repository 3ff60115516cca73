/**
 * A minimal OIDC provider for tests, faithful to what a resource server relies on: discovery at
 * /.well-known/openid-configuration and a JWKS at jwks_uri (OpenID Connect Discovery 1.0, RFC 7517).
 * It signs access tokens with RS256 like Keycloak's default realm keys.
 */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export interface OidcEmulator {
  issuer: string;
  sign(claims: Record<string, unknown>, opts?: { audience?: string; expiresIn?: string; notBefore?: string; issuer?: string }): Promise<string>;
  close(): Promise<void>;
  discoveryHits: number;
}

export async function startOidcEmulator(): Promise<OidcEmulator> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-rs256', alg: 'RS256', use: 'sig' };
  let issuer = '';
  const state = { discoveryHits: 0 };
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/realms/test/.well-known/openid-configuration') {
      state.discoveryHits++;
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/realms/test/protocol/openid-connect/certs') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  issuer = `http://127.0.0.1:${port}/realms/test`;
  return {
    issuer,
    get discoveryHits() {
      return state.discoveryHits;
    },
    async sign(claims, opts = {}) {
      let jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-rs256' })
        .setIssuer(opts.issuer ?? issuer)
        .setAudience(opts.audience ?? 'catalogue-api')
        .setIssuedAt()
        .setExpirationTime(opts.expiresIn ?? '5m');
      if (opts.notBefore) jwt = jwt.setNotBefore(opts.notBefore);
      return jwt.sign(privateKey);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
