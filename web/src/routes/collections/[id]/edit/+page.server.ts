import { error } from '@sveltejs/kit';
import type { Collection } from '$schemas/collection';
import { ApiError, api, collectionPath } from '$lib/api';
import { fail500 } from '$lib/server/errors';
import { fieldHints, formOptions, toFormValues } from '$lib/server/collection-form';
import { updateAction } from '$lib/server/save-collection';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
  let c: Collection;
  try {
    ({ data: c } = await api<Collection>(fetch, collectionPath(params.id)));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) error(404, { message: 'There is no collection with this identifier.' });
    fail500(e);
  }
  if (!c.actions.includes('edit')) {
    if (c.publicationState === 'withdrawn' && c.actions.includes('publish'))
      error(409, { message: 'This collection was withdrawn; publish it again before editing.' });
    error(403, { message: `Only data managers of ${c.providerId} may edit this collection.` });
  }
  return {
    collection: { id: c.id, title: c.title, revision: c.revision, state: c.publicationState },
    values: toFormValues(c),
    hints: fieldHints(),
    options: formOptions(),
  };
};

export const actions: Actions = {
  default: ({ fetch, request, params }) => updateAction(fetch, request, params.id),
};
