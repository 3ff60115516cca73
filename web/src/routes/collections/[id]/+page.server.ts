/** A collection's page: the record (or its tombstone) and, for its data managers, the state actions. */
import { error, fail, redirect } from '@sveltejs/kit';
import type { Collection, CollectionTombstone } from '$schemas/collection';
import type { Contact, Network, Provider } from '$schemas/provider';
import { ApiError, api, collectionPath, getJson } from '$lib/api';
import { fail500 } from '$lib/server/errors';
import { command } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

const optional = async <T>(p: Promise<T>): Promise<T | undefined> => {
  try {
    return await p;
  } catch {
    return undefined;
  }
};

export const load: PageServerLoad = async ({ fetch, params }) => {
  let record: Collection | CollectionTombstone;
  let etag: string | undefined;
  try {
    ({ data: record, etag } = await api<Collection | CollectionTombstone>(fetch, collectionPath(params.id)));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404)
      error(404, { message: 'There is no collection with this identifier, or you may not see it.' });
    fail500(e);
  }
  const full = 'description' in record ? (record as Collection) : undefined;
  type Same = { id: string; title: string; providerName: string };
  const [provider, networks, contacts, same, accessStats] = await Promise.all([
    optional(getJson<Provider>(fetch, `/api/v1/providers/${encodeURIComponent(record.providerId)}`)),
    full?.networkIds.length ? optional(getJson<{ items: Network[] }>(fetch, '/api/v1/networks')) : undefined,
    full?.contacts.length
      ? optional(getJson<{ items: Contact[] }>(fetch, `/api/v1/providers/${encodeURIComponent(record.providerId)}/contacts`))
      : undefined,
    full ? optional(getJson<{ items: Same[] }>(fetch, `${collectionPath(params.id)}/same-dataset`)) : undefined,
    optional(
      getJson<{ decisions: number; medianDaysToDecision?: number; approvalRate?: number }>(
        fetch,
        `${collectionPath(params.id)}/access-stats`,
      ),
    ),
  ]);
  return {
    sameDataset: same?.items ?? [],
    record,
    full,
    etag,
    provider,
    networks: (networks?.items ?? []).filter((n) => full?.networkIds.includes(n.id)),
    contacts: (full?.contacts ?? []).map((ref) => ({ ...ref, contact: contacts?.items.find((c) => c.id === ref.contactId) })),
    // The buttons come from the API's answer: what this user may do with this record now.
    actions: record.actions,
    accessStats,
  };
};

async function act(fetch: typeof globalThis.fetch, id: string, verb: 'publish' | 'withdraw', body?: unknown) {
  try {
    await api(fetch, `${collectionPath(id)}/${verb}`, { method: 'POST', body });
    return null;
  } catch (e) {
    if (e instanceof ApiError && e.status < 500) {
      return fail(e.status, { action: verb, message: e.detail ?? e.title, errors: e.errors });
    }
    fail500(e);
  }
}

export const actions: Actions = {
  cart: async ({ fetch, params }) => {
    const r = await command(fetch, 'cart', '/api/v1/cart/items', { body: { collectionId: params.id } });
    return r.ok ? { action: 'cart', done: true } : r.failure;
  },
  requestNow: async ({ fetch, params }) => {
    const r = await command<{ id: string }>(fetch, 'requestNow', '/api/v1/requests', { body: { collectionIds: [params.id] } });
    if (!r.ok) return r.failure;
    redirect(303, `/requests/${encodeURIComponent(r.data.id)}`);
  },
  publish: async ({ fetch, params }) => (await act(fetch, params.id, 'publish')) ?? { action: 'publish', done: true },
  withdraw: async ({ fetch, params, request }) => {
    const reason = String((await request.formData()).get('reason') ?? '').trim();
    if (!reason)
      return fail(400, {
        action: 'withdraw',
        message: 'Give a reason: it is shown on the tombstone.',
        errors: [{ path: 'reason', message: 'required' }],
      });
    return (await act(fetch, params.id, 'withdraw', { reason })) ?? { action: 'withdraw', done: true };
  },
  delete: async ({ fetch, params }) => {
    try {
      await api(fetch, collectionPath(params.id), { method: 'DELETE' });
    } catch (e) {
      if (e instanceof ApiError && e.status < 500)
        return fail(e.status, { action: 'delete', message: e.detail ?? e.title, errors: e.errors });
      fail500(e);
    }
    redirect(303, `/collections?deleted=${encodeURIComponent(params.id)}`);
  },
};
