/** Admin: XNAT instances with a connection test, sync status per project, failing grants with retry. */
import { error, fail, redirect } from '@sveltejs/kit';
import type { z } from 'zod';
import type { ProjectSyncStatus, XnatConnectionTest, XnatGrant, XnatInstance } from '$schemas/xnat';
import { ApiError, api } from '$lib/api';
import { fail500 } from '$lib/server/errors';
import type { Actions, PageServerLoad } from './$types';

type List<T extends z.ZodType> = { items: z.infer<T>[] };

export const load: PageServerLoad = async ({ locals, url, fetch }) => {
  if (locals.me.kind !== 'user') redirect(303, `/signin?redirectTo=${encodeURIComponent(url.pathname)}`);
  if (!locals.me.isAdmin) error(403, { message: 'Only catalogue admins manage XNAT sync.' });
  try {
    const [instances, status, failing] = await Promise.all([
      api<List<typeof XnatInstance>>(fetch, '/api/v1/admin/xnat/instances'),
      api<List<typeof ProjectSyncStatus>>(fetch, '/api/v1/admin/xnat/status'),
      api<List<typeof XnatGrant>>(fetch, '/api/v1/admin/xnat/grants/failing'),
    ]);
    return { instances: instances.data.items, status: status.data.items, failing: failing.data.items };
  } catch (e) {
    fail500(e);
  }
};

const problem = (e: unknown) => {
  if (e instanceof ApiError && e.status < 500) return fail(e.status, { message: e.detail ?? e.title });
  fail500(e);
};

export const actions: Actions = {
  test: async ({ request, fetch }) => {
    const id = String((await request.formData()).get('id') ?? '');
    try {
      const { data } = await api<z.infer<typeof XnatConnectionTest>>(fetch, `/api/v1/admin/xnat/instances/${encodeURIComponent(id)}/test`, {
        method: 'POST',
      });
      return { tested: { id, ...data } };
    } catch (e) {
      return problem(e);
    }
  },
  reconcile: async ({ request, fetch }) => {
    const f = await request.formData();
    const body: Record<string, string> = {};
    for (const k of ['instanceId', 'projectId']) if (f.get(k)) body[k] = String(f.get(k));
    try {
      const { data } = await api<{ queued: number }>(fetch, '/api/v1/admin/xnat/reconcile', { method: 'POST', body });
      return { message: `Reconcile queued for ${data.queued} project(s).` };
    } catch (e) {
      return problem(e);
    }
  },
  retry: async ({ request, fetch }) => {
    const id = String((await request.formData()).get('id') ?? '');
    try {
      await api(fetch, `/api/v1/admin/xnat/grants/${encodeURIComponent(id)}/retry`, { method: 'POST' });
      return { message: 'Queued again.' };
    } catch (e) {
      return problem(e);
    }
  },
};
