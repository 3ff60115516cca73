/** Finish the OIDC sign-in: check state, redeem the code with the PKCE verifier, keep the token. */
import { error, redirect } from '@sveltejs/kit';
import { exchangeCode, FLOW_COOKIE, oidcSettings } from '$lib/server/oidc';
import { SESSION_COOKIE } from '$lib/types';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
  const settings = oidcSettings();
  if (!settings) error(404, 'Sign-in through an identity provider is not configured.');
  const raw = event.cookies.get(FLOW_COOKIE);
  let flow: { state: string; verifier: string; returnTo: string; redirectUri: string; https: boolean };
  try {
    flow = JSON.parse(raw ?? '');
  } catch {
    error(400, 'The sign-in took too long or was started elsewhere; please sign in again.');
  }
  event.cookies.delete(FLOW_COOKIE, { path: '/signin', secure: flow.https });
  const params = event.url.searchParams;
  if (params.get('error')) error(401, `The identity provider refused the sign-in (${params.get('error')}).`);
  const code = params.get('code');
  if (!code || params.get('state') !== flow.state) error(400, 'The sign-in response does not match this browser; please sign in again.');
  let tokens: { accessToken: string; expiresIn: number };
  try {
    tokens = await exchangeCode(settings, code, flow.verifier, flow.redirectUri);
  } catch {
    error(502, 'The identity provider did not complete the sign-in; please try again.');
  }
  event.cookies.set(SESSION_COOKIE, tokens.accessToken, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: flow.https,
    maxAge: tokens.expiresIn,
  });
  redirect(303, flow.returnTo);
};
