/** The inbox: for data owners the queue of items awaiting their decision; for everyone notifications and preferences. */
import { getJson, qs } from '$lib/api';
import { command, requireSignIn, text } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

interface InboxItem {
  requestId: string;
  itemId: string;
  collectionId: string;
  collectionTitle: string;
  providerId: string;
  status: string;
  title?: string;
  researcher: string;
  submittedAt?: string;
  ageDays: number;
  conflicts: { message: string }[];
}
interface Note {
  id: string;
  at: string;
  eventClass: string;
  subject: string;
  body: string;
  requestId?: string;
  readAt?: string;
}

export const load: PageServerLoad = async ({ fetch, locals, url }) => {
  requireSignIn(locals.me, url.pathname + url.search);
  const filter = {
    collectionId: url.searchParams.get('collectionId') ?? undefined,
    status: url.searchParams.get('status') ?? undefined,
    minAgeDays: url.searchParams.get('minAgeDays') ?? undefined,
  };
  const [inbox, all, notes, prefs] = await Promise.all([
    getJson<{ items: InboxItem[]; unreadNotifications: number }>(fetch, `/api/v1/inbox${qs(filter)}`),
    getJson<{ items: InboxItem[] }>(fetch, '/api/v1/inbox'),
    getJson<{ items: Note[] }>(fetch, '/api/v1/notifications'),
    getJson<Record<string, string>>(fetch, '/api/v1/me/notification-preferences'),
  ]);
  const collections = [...new Map(all.items.map((i) => [i.collectionId, i.collectionTitle])).entries()];
  return { inbox, collections, filter, notes: notes.items, prefs };
};

export const actions: Actions = {
  read: async ({ fetch }) => {
    const r = await command(fetch, 'read', '/api/v1/notifications/read');
    return r.ok ? { action: 'read', done: true } : r.failure;
  },
  prefs: async ({ fetch, request }) => {
    const f = await request.formData();
    const body = Object.fromEntries(['request', 'decision', 'message', 'reminder'].map((k) => [k, text(f, k)]).filter(([, v]) => v));
    const r = await command(fetch, 'prefs', '/api/v1/me/notification-preferences', { method: 'PUT', body });
    return r.ok ? { action: 'prefs', done: true } : r.failure;
  },
};
