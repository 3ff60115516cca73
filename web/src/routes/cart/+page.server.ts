/** The researcher's cart: collections to ask for in one request. */
import { redirect } from '@sveltejs/kit';
import { getJson } from '$lib/api';
import { command, requireSignIn } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

interface Cart {
  items: { collectionId: string; title: string; providerId: string; addedAt: string }[];
}

export const load: PageServerLoad = async ({ fetch, locals, url }) => {
  requireSignIn(locals.me, url.pathname);
  return { cart: await getJson<Cart>(fetch, '/api/v1/cart') };
};

export const actions: Actions = {
  remove: async ({ fetch, request }) => {
    const id = String((await request.formData()).get('collectionId') ?? '');
    const r = await command(fetch, 'remove', `/api/v1/cart/items/${encodeURIComponent(id)}`, { method: 'DELETE' });
    return r.ok ? { action: 'remove', done: true } : r.failure;
  },
  request: async ({ fetch }) => {
    const r = await command<{ id: string }>(fetch, 'request', '/api/v1/requests', { body: {} });
    if (!r.ok) return r.failure;
    redirect(303, `/requests/${encodeURIComponent(r.data.id)}`);
  },
};
