/**
 * Web sign-in through the configured OIDC provider: authorization code flow with PKCE (RFC 7636).
 * The access token becomes the `session` cookie that the API verifies like any bearer token.
 * Settings come from the environment the server validated at start-up (server/config.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { env } from '$env/dynamic/private';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scopes: string;
}

export function oidcSettings(): OidcSettings | undefined {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID) return undefined;
  return {
    issuer: env.OIDC_ISSUER.replace(/\/$/, ''),
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET || undefined,
    scopes: env.OIDC_SCOPES || 'openid profile email',
  };
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

let discovery: { issuer: string; doc: Promise<Discovery> } | undefined;

export function discover(s: OidcSettings): Promise<Discovery> {
  if (discovery?.issuer !== s.issuer) {
    const doc = fetch(`${s.issuer}/.well-known/openid-configuration`).then(async (res) => {
      if (!res.ok) throw new Error(`OIDC discovery failed: HTTP ${res.status}`);
      const d = (await res.json()) as Discovery;
      if (!d.authorization_endpoint || !d.token_endpoint) throw new Error('OIDC discovery document lacks endpoints');
      return d;
    });
    doc.catch(() => (discovery = undefined)); // retry on the next sign-in
    discovery = { issuer: s.issuer, doc };
  }
  return discovery.doc;
}

const b64url = (b: Buffer) => b.toString('base64url');

/** State, nonce and PKCE verifier for one sign-in, kept in a short-lived httpOnly cookie. */
export function newFlow(returnTo: string) {
  const verifier = b64url(randomBytes(32));
  return {
    state: b64url(randomBytes(16)),
    verifier,
    challenge: b64url(createHash('sha256').update(verifier).digest()),
    returnTo,
  };
}

export async function authorizationUrl(s: OidcSettings, flow: ReturnType<typeof newFlow>, redirectUri: string) {
  const d = await discover(s);
  const u = new URL(d.authorization_endpoint);
  u.search = new URLSearchParams({
    response_type: 'code',
    client_id: s.clientId,
    redirect_uri: redirectUri,
    scope: s.scopes,
    state: flow.state,
    code_challenge: flow.challenge,
    code_challenge_method: 'S256',
  }).toString();
  return u.toString();
}

export async function exchangeCode(s: OidcSettings, code: string, verifier: string, redirectUri: string) {
  const d = await discover(s);
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: s.clientId,
    code_verifier: verifier,
  });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (s.clientSecret) {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(s.clientId)}:${encodeURIComponent(s.clientSecret)}`).toString('base64')}`;
  }
  const res = await fetch(d.token_endpoint, { method: 'POST', headers, body });
  if (!res.ok) throw new Error(`token endpoint answered HTTP ${res.status}`);
  const tokens = (await res.json()) as { access_token?: string; expires_in?: number };
  if (!tokens.access_token) throw new Error('token endpoint returned no access_token');
  return { accessToken: tokens.access_token, expiresIn: tokens.expires_in ?? 3600 };
}

export const FLOW_COOKIE = 'oidc_flow';
