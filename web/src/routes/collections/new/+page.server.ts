import { error } from '@sveltejs/kit';
import type { Provider } from '$schemas/provider';
import { getJson } from '$lib/api';
import { fieldHints, formOptions, toFormValues } from '$lib/server/collection-form';
import { createAction } from '$lib/server/save-collection';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, locals, url }) => {
  const me = locals.me;
  if (!me.actions.includes('createCollection')) error(403, { message: 'Only data managers of a provider may add collections.' });
  const { items } = await getJson<{ items: Provider[] }>(fetch, '/api/v1/providers');
  const providers = items.filter((p) => p.actions.includes('createCollection')).map((p) => ({ id: p.id, name: p.name }));
  const values = toFormValues();
  const wanted = url.searchParams.get('providerId');
  values.providerId = providers.find((p) => p.id === wanted)?.id ?? providers[0]?.id ?? '';
  return { providers, values, hints: fieldHints(), options: formOptions() };
};

export const actions: Actions = {
  default: ({ fetch, request }) => createAction(fetch, request),
};
