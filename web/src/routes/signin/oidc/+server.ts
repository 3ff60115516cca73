/** Start the OIDC sign-in: remember state + PKCE verifier, send the browser to the provider. */
import { error, redirect } from '@sveltejs/kit';
import { safeReturn } from '$lib/server/errors';
import { authorizationUrl, FLOW_COOKIE, newFlow, oidcSettings } from '$lib/server/oidc';
import { isHttps } from '$lib/server/origin';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
  const settings = oidcSettings();
  if (!settings) error(404, 'Sign-in through an identity provider is not configured.');
  // adapter-node cannot know the public scheme without ORIGIN; the sign-in page that linked here can.
  const https = isHttps(event);
  const origin = process.env.ORIGIN?.replace(/\/$/, '') ?? `${https ? 'https' : 'http'}://${event.url.host}`;
  const redirectUri = `${origin}/signin/callback`;
  const flow = { ...newFlow(safeReturn(event.url.searchParams.get('redirectTo'))), redirectUri, https };
  event.cookies.set(FLOW_COOKIE, JSON.stringify(flow), {
    path: '/signin',
    httpOnly: true,
    sameSite: 'lax',
    secure: https,
    maxAge: 600,
  });
  let target: string;
  try {
    target = await authorizationUrl(settings, flow, redirectUri);
  } catch {
    error(503, 'The identity provider cannot be reached; try again shortly.');
  }
  redirect(302, target);
};
