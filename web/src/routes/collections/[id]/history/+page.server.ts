/** A collection's history (its editors only): every revision, who made it and what changed. */
import { error, redirect } from '@sveltejs/kit';
import type { Collection, CollectionTombstone } from '$schemas/collection';
import type { CollectionRevision } from '$schemas/history';
import { ApiError, api, collectionPath } from '$lib/api';
import { fail500 } from '$lib/server/errors';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, locals, url }) => {
  if (locals.me.kind !== 'user') redirect(303, `/signin?redirectTo=${encodeURIComponent(url.pathname)}`);
  try {
    const [{ data: record }, { data: history }] = await Promise.all([
      api<Collection | CollectionTombstone>(fetch, collectionPath(params.id)),
      api<{ items: CollectionRevision[] }>(fetch, `${collectionPath(params.id)}/revisions`),
    ]);
    return { record: { id: record.id, title: record.title, publicationState: record.publicationState }, revisions: history.items };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404)
      error(404, { message: 'There is no collection with this identifier, or you may not see it.' });
    if (e instanceof ApiError && e.status === 403)
      error(403, { message: 'Only data managers of this provider and catalogue admins can see its history.' });
    fail500(e);
  }
};
