/** The signed-in user's XNAT usernames per instance, and their XNAT roles with state and a link into XNAT. */
import { fail, redirect } from '@sveltejs/kit';
import type { z } from 'zod';
import type { XnatAccount, XnatGrant } from '$schemas/xnat';
import { ApiError, api } from '$lib/api';
import { fail500 } from '$lib/server/errors';
import type { Actions, PageServerLoad } from './$types';

type List<T extends z.ZodType> = { items: z.infer<T>[] };

export const load: PageServerLoad = async ({ locals, url, fetch }) => {
  if (locals.me.kind !== 'user') redirect(303, `/signin?redirectTo=${encodeURIComponent(url.pathname)}`);
  try {
    const [accounts, grants] = await Promise.all([
      api<List<typeof XnatAccount>>(fetch, '/api/v1/me/xnat-accounts'),
      api<List<typeof XnatGrant>>(fetch, '/api/v1/me/xnat-grants'),
    ]);
    return { accounts: accounts.data.items, grants: grants.data.items };
  } catch (e) {
    fail500(e);
  }
};

export const actions: Actions = {
  set: async ({ request, fetch }) => {
    const f = await request.formData();
    const instanceId = String(f.get('instanceId') ?? '').trim();
    const username = String(f.get('username') ?? '').trim();
    try {
      await api(fetch, `/api/v1/me/xnat-accounts/${encodeURIComponent(instanceId)}`, { method: 'PUT', body: { username } });
      return { message: `Saved: ${username} on ${instanceId}.` };
    } catch (e) {
      if (e instanceof ApiError && e.status < 500) {
        return fail(e.status, {
          instanceId,
          username,
          message: e.errors.length ? e.errors.map((x) => x.message).join('; ') : (e.detail ?? e.title),
        });
      }
      fail500(e);
    }
  },
};
