/** Server-side helpers of the access pages: run one API command from a form action. */
import { fail, redirect } from '@sveltejs/kit';
import { ApiError, api } from '$lib/api';
import { fail500 } from '$lib/server/errors';

/** POST/PUT to the API; a client error becomes `fail(status, {action, message, errors})` for the form. */
export async function command<T = unknown>(
  fetch: typeof globalThis.fetch,
  action: string,
  path: string,
  opts: { method?: string; body?: unknown } = {},
) {
  try {
    const { data } = await api<T>(fetch, path, { method: opts.method ?? 'POST', body: opts.body });
    return { ok: true as const, data };
  } catch (e) {
    if (e instanceof ApiError && e.status < 500) {
      return { ok: false as const, failure: fail(e.status, { action, message: e.detail ?? e.title, code: e.code, errors: e.errors }) };
    }
    fail500(e);
  }
}

export function requireSignIn(me: { kind: string }, here: string) {
  if (me.kind !== 'user') redirect(303, `/signin?redirectTo=${encodeURIComponent(here)}`);
}

export const text = (f: FormData, k: string) => {
  const v = String(f.get(k) ?? '').trim();
  return v === '' ? undefined : v;
};
