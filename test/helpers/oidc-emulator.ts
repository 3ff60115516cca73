/**
 * A minimal OIDC provider for tests, faithful to what our server and web app rely on: discovery at
 * /.well-known/openid-configuration, a JWKS at jwks_uri (OpenID Connect Discovery 1.0, RFC 7517), and
 * the authorization code flow with PKCE S256 (RFC 6749 §4.1, RFC 7636) for one registered client.
 * The "login" approves at once as `user` (no login form). Access tokens are RS256 like Keycloak's.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export interface OidcEmulator {
  issuer: string;
  /** Registered client for the code flow, and the user the login approves as. */
  client: { id: string; secret?: string };
  user: { sub: string; name: string; email: string };
  /**
   * `key: 'foreign'` signs with a key the JWKS does not publish, under the published kid (a forger);
   * `key: 'previous'` with the key in use before the last rotation.
   */
  sign(claims: Record<string, unknown>, opts?: { audience?: string; expiresIn?: string; notBefore?: string; issuer?: string; key?: 'current' | 'previous' | 'foreign' }): Promise<string>;
  /** Start signing with a new key (new kid); the JWKS then publishes it, and the old one only if `keepOld`. */
  rotateKey(opts?: { keepOld?: boolean }): Promise<void>;
  close(): Promise<void>;
  discoveryHits: number;
}

export async function startOidcEmulator(
  opts: { clientId?: string; user?: { sub: string; name: string; email: string }; audience?: string } = {},
): Promise<OidcEmulator> {
  const client = { id: opts.clientId ?? 'catalogue-web' };
  const user = opts.user ?? { sub: 'f3c1-oidc-user', name: 'Olga Oidc', email: 'olga@example.org' };
  const codes = new Map<string, { redirectUri: string; challenge: string; clientId: string }>();
  type Key = { kid: string; privateKey: CryptoKey; jwk: JWK };
  const newKey = async (kid: string): Promise<Key> => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
  };
  let current = await newKey('test-rs256');
  let previous: Key | undefined;
  let published: Key[] = [current];
  const foreign = await newKey('foreign');
  let issuer = '';
  const state = { discoveryHits: 0 };
  const server: Server = createServer(async (req, res) => {
    res.setHeader('content-type', 'application/json');
    const url = new URL(req.url ?? '/', issuer);
    if (req.url === '/realms/test/.well-known/openid-configuration') {
      state.discoveryHits++;
      res.end(
        JSON.stringify({
          issuer,
          jwks_uri: `${issuer}/protocol/openid-connect/certs`,
          authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
          token_endpoint: `${issuer}/protocol/openid-connect/token`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else if (url.pathname === '/realms/test/protocol/openid-connect/auth') {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri') ?? '';
      if (q.get('client_id') !== client.id || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !redirectUri) {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: 'invalid_request' }));
        return;
      }
      const code = randomBytes(16).toString('hex');
      codes.set(code, { redirectUri, challenge: q.get('code_challenge')!, clientId: client.id });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      res.statusCode = 302;
      res.setHeader('location', back.toString());
      res.end();
    } else if (url.pathname === '/realms/test/protocol/openid-connect/token' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? ''); // codes are single-use
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (!grant || form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== grant.redirectUri || form.get('client_id') !== grant.clientId || challenge !== grant.challenge) {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: 'invalid_grant' }));
        return;
      }
      const accessToken = await sign({ ...user }, { audience: opts.audience ?? 'catalogue-api' });
      res.end(JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: 300 }));
    } else if (req.url === '/realms/test/protocol/openid-connect/certs') {
      res.end(JSON.stringify({ keys: published.map((k) => k.jwk) }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  issuer = `http://127.0.0.1:${port}/realms/test`;
  async function sign(claims: Record<string, unknown>, o: { audience?: string; expiresIn?: string; notBefore?: string; issuer?: string; key?: 'current' | 'previous' | 'foreign' } = {}) {
    const key = o.key === 'previous' ? previous! : current;
    const signer = o.key === 'foreign' ? foreign.privateKey : key.privateKey;
    let jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setIssuer(o.issuer ?? issuer)
      .setAudience(o.audience ?? 'catalogue-api')
      .setIssuedAt()
      .setExpirationTime(o.expiresIn ?? '5m');
    if (o.notBefore) jwt = jwt.setNotBefore(o.notBefore);
    return jwt.sign(signer);
  }
  let rotations = 0;
  async function rotateKey(o: { keepOld?: boolean } = {}) {
    previous = current;
    current = await newKey(`test-rs256-${++rotations}`);
    published = o.keepOld ? [current, previous] : [current];
  }
  return {
    issuer,
    client,
    user,
    get discoveryHits() {
      return state.discoveryHits;
    },
    sign,
    rotateKey,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
