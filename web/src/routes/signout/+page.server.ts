/** Sign out: forget the session cookie. POST from the header button; GET shows a confirmation. */
import { redirect } from '@sveltejs/kit';
import { isHttps } from '$lib/server/origin';
import { SESSION_COOKIE } from '$lib/types';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async (event) => {
    event.cookies.delete(SESSION_COOKIE, { path: '/', secure: isHttps(event) });
    redirect(303, '/');
  },
};
