/** "My requests" (admins: all), with each collection's status. */
import { getJson } from '$lib/api';
import { requireSignIn } from '$lib/server/access';
import type { PageServerLoad } from './$types';

interface RequestList {
  items: {
    id: string;
    status: string;
    ownerName?: string;
    ownerId: string;
    createdAt: string;
    submittedAt?: string;
    renewalOf?: string;
    items: { id: string; collectionId: string; collectionTitle: string; providerId: string; status: string; until?: string }[];
  }[];
}

export const load: PageServerLoad = async ({ fetch, locals, url }) => {
  requireSignIn(locals.me, url.pathname);
  return { requests: await getJson<RequestList>(fetch, '/api/v1/requests') };
};
