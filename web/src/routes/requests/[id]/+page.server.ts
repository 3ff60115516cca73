/** One request: the researcher's form, statuses and timeline; the owners' decisions; messages; history. */
import { error, fail, redirect } from '@sveltejs/kit';
import { ApiError, api, getJson } from '$lib/api';
import { answersFromForm } from '$lib/access-form';
import { command, requireSignIn, text } from '$lib/server/access';
import { fail500 } from '$lib/server/errors';
import type { Actions, PageServerLoad } from './$types';

export interface Item {
  id: string;
  collectionId: string;
  collectionTitle: string;
  providerId: string;
  status: string;
  revision: number;
  role?: string;
  until?: string;
  assigneeId?: string;
  /** What this caller may do with the item, as the API's policy says (`decide`: review, decide, revoke). */
  actions: ('decide' | 'assign')[];
  conflicts: { collectionId: string; code: string; message: string }[];
  decision?: {
    outcome: string;
    by: string;
    at: string;
    reason?: string;
    conditions?: string;
    role?: string;
    until?: string;
    formVersion: number;
  };
}
export interface AccessRequest {
  id: string;
  status: string;
  ownerId: string;
  ownerName?: string;
  renewalOf?: string;
  createdAt: string;
  submittedAt?: string;
  formVersion: number;
  form: Record<string, any>;
  changes: { path: string; before: unknown; after: unknown }[];
  items: Item[];
}
interface HistoryEvent {
  at: string;
  actor: string;
  type: string;
  itemId?: string;
  reason?: string;
}
interface Msg {
  id: string;
  authorId: string;
  authorName?: string;
  audience: string;
  body: string;
  at: string;
  attachments: { id: string; filename: string }[];
}

export const load: PageServerLoad = async ({ fetch, params, locals, url }) => {
  requireSignIn(locals.me, url.pathname);
  const base = `/api/v1/requests/${encodeURIComponent(params.id)}`;
  try {
    const { data: request } = await api<AccessRequest>(fetch, base);
    const mine = request.ownerId === locals.me.id;
    const [history, messages, policy] = await Promise.all([
      getJson<{ events: HistoryEvent[] }>(fetch, `${base}/history`),
      getJson<{ items: Msg[] }>(fetch, `${base}/messages`),
      mine ? getJson<{ conflicts: Item['conflicts'] }>(fetch, `${base}/policy-check`) : Promise.resolve({ conflicts: [] }),
    ]);
    return { request, history: history.events, messages: messages.items, conflicts: policy.conflicts, mine };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) error(404, { message: 'There is no such request, or you may not see it.' });
    fail500(e);
  }
};

const path = (id: string, rest = '') => `/api/v1/requests/${encodeURIComponent(id)}${rest}`;

export const actions: Actions = {
  save: async ({ fetch, params, request }) => {
    const r = await command(fetch, 'save', path(params.id), { method: 'PUT', body: answersFromForm(await request.formData()) });
    return r.ok ? { action: 'save', done: true } : r.failure;
  },
  submit: async ({ fetch, params, request }) => {
    const saved = await command(fetch, 'submit', path(params.id), { method: 'PUT', body: answersFromForm(await request.formData()) });
    if (!saved.ok) return saved.failure;
    const r = await command(fetch, 'submit', path(params.id, '/submit'));
    return r.ok ? { action: 'submit', done: true } : r.failure;
  },
  withdraw: async ({ fetch, params, request }) => {
    const reason = text(await request.formData(), 'reason');
    const r = await command(fetch, 'withdraw', path(params.id, '/withdraw'), { body: reason ? { reason } : {} });
    return r.ok ? { action: 'withdraw', done: true } : r.failure;
  },
  renew: async ({ fetch, params }) => {
    const r = await command<{ id: string }>(fetch, 'renew', path(params.id, '/renew'));
    if (!r.ok) return r.failure;
    redirect(303, `/requests/${encodeURIComponent(r.data.id)}`);
  },
  decide: async ({ fetch, params, request }) => {
    const f = await request.formData();
    const itemId = String(f.get('itemId') ?? '');
    const outcome = text(f, 'outcome');
    const body = { outcome, role: text(f, 'role'), until: text(f, 'until'), reason: text(f, 'reason'), conditions: text(f, 'conditions') };
    const r = await command(fetch, `decide:${itemId}`, path(params.id, `/items/${encodeURIComponent(itemId)}/decision`), { body });
    return r.ok ? { action: `decide:${itemId}`, done: true } : r.failure;
  },
  assign: async ({ fetch, params, request }) => {
    const f = await request.formData();
    const itemId = String(f.get('itemId') ?? '');
    const r = await command(fetch, `assign:${itemId}`, path(params.id, `/items/${encodeURIComponent(itemId)}/assign`), {
      body: { assigneeId: text(f, 'assigneeId') ?? '' },
    });
    return r.ok ? { action: `assign:${itemId}`, done: true } : r.failure;
  },
  retryGrant: async ({ fetch, params, request }) => {
    const itemId = String((await request.formData()).get('itemId') ?? '');
    const r = await command(fetch, `grant:${itemId}`, path(params.id, `/items/${encodeURIComponent(itemId)}/grant`), { body: {} });
    return r.ok ? { action: `grant:${itemId}`, done: true } : r.failure;
  },
  withdrawItem: async ({ fetch, params, request }) => {
    const itemId = String((await request.formData()).get('itemId') ?? '');
    const r = await command(fetch, `withdraw:${itemId}`, path(params.id, `/items/${encodeURIComponent(itemId)}/withdraw`), { body: {} });
    return r.ok ? { action: `withdraw:${itemId}`, done: true } : r.failure;
  },
  revoke: async ({ fetch, params, request }) => {
    const f = await request.formData();
    const itemId = String(f.get('itemId') ?? '');
    const reason = text(f, 'reason');
    const r = await command(fetch, `revoke:${itemId}`, path(params.id, `/items/${encodeURIComponent(itemId)}/revoke`), {
      body: reason ? { reason } : {},
    });
    return r.ok ? { action: `revoke:${itemId}`, done: true } : r.failure;
  },
  message: async ({ fetch, params, request }) => {
    const f = await request.formData();
    const attachmentIds: string[] = [];
    const file = f.get('file');
    if (file instanceof File && file.size > 0) {
      // The API sniffs the type from the bytes; the name is only a label.
      const res = await fetch(`${path(params.id, '/attachments')}?filename=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: await file.arrayBuffer(),
      });
      const body = (await res.json().catch(() => ({}))) as { id?: string; detail?: string; title?: string };
      if (!res.ok) return fail(res.status, { action: 'message', message: body.detail ?? body.title ?? 'The attachment was refused.' });
      attachmentIds.push(body.id!);
    }
    const r = await command(fetch, 'message', path(params.id, '/messages'), {
      body: { body: text(f, 'body') ?? '', audience: text(f, 'audience') ?? 'all', attachmentIds },
    });
    return r.ok ? { action: 'message', done: true } : r.failure;
  },
};
