/** Dev sign-in: pick a demo user; the API issues a token that we keep in the `session` cookie. */
import { fail, redirect } from '@sveltejs/kit';
import { ApiError, api, getJson } from '$lib/api';
import { safeReturn } from '$lib/server/errors';
import { oidcSettings } from '$lib/server/oidc';
import { isHttps } from '$lib/server/origin';
import { SESSION_COOKIE } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

interface DevUser {
  id: string;
  name: string;
  isAdmin: boolean;
  providerIds: string[];
  memberships: { providerId: string; role: 'data_manager' | 'viewer' }[];
}

export const load: PageServerLoad = async ({ fetch, url }) => {
  const redirectTo = safeReturn(url.searchParams.get('redirectTo'));
  const oidc = oidcSettings() ? { host: new URL(oidcSettings()!.issuer).host } : null;
  try {
    const { items } = await getJson<{ items: DevUser[] }>(fetch, '/api/v1/dev/users');
    return { users: items, devAuth: true, redirectTo, oidc };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { users: [] as DevUser[], devAuth: false, redirectTo, oidc };
    throw e;
  }
};

export const actions: Actions = {
  default: async (event) => {
    const { request, fetch, cookies } = event;
    const form = await request.formData();
    const user = String(form.get('user') ?? '');
    const redirectTo = safeReturn(String(form.get('redirectTo') ?? ''));
    if (!user) return fail(400, { message: 'Choose a user to sign in as.' });
    try {
      const { data } = await api<{ token: string; expiresIn: number }>(fetch, '/api/v1/dev/token', { method: 'POST', body: { user } });
      cookies.set(SESSION_COOKIE, data.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: isHttps(event),
        maxAge: data.expiresIn,
      });
    } catch (e) {
      if (e instanceof ApiError) return fail(e.status, { message: e.errors[0]?.message ?? e.detail ?? e.title });
      throw e;
    }
    redirect(303, redirectTo);
  },
};
