/** Bulk import. With JavaScript the page streams progress from the API itself; this action is the no-JS path. */
import { error, fail } from '@sveltejs/kit';
import type { ImportReport } from '$schemas/import';
import { ApiError, api } from '$lib/api';
import { parseImport } from '$lib/import';
import { fail500 } from '$lib/server/errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.me.actions.includes('import')) error(403, { message: 'Only data managers and admins may import collections.' });
  return {};
};

const KEEP_TEXT = 200_000;

export const actions: Actions = {
  default: async ({ request, fetch }) => {
    const form = await request.formData();
    const file = form.get('file');
    const pasted = String(form.get('text') ?? '');
    const publish = form.get('publish') === 'on';
    const dryRun = form.get('dryRun') === 'on';
    const text = file instanceof File && file.size > 0 ? await file.text() : pasted;
    const keep = { text: pasted.length <= KEEP_TEXT ? pasted : '', publish, dryRun };
    let parsed;
    try {
      parsed = parseImport(text);
    } catch (e) {
      return fail(400, { ...keep, message: (e as Error).message });
    }
    try {
      const { data } = await api<ImportReport>(fetch, '/api/v1/import', { method: 'POST', body: { ...parsed, publish, dryRun } });
      return { ...keep, report: data };
    } catch (e) {
      if (e instanceof ApiError && e.status < 500) {
        const detail = e.errors.length ? e.errors.map((x) => `${x.path}: ${x.message}`).join('; ') : (e.detail ?? e.title);
        return fail(e.status, { ...keep, message: detail });
      }
      fail500(e);
    }
  },
};
