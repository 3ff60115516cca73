/** Turn API failures into SvelteKit errors (rendered by +error.svelte). */
import { error, isHttpError, isRedirect } from '@sveltejs/kit';
import { ApiError } from '$lib/api';
import { isStorableText } from '$schemas/storable';

export function fail500(e: unknown): never {
  if (isHttpError(e) || isRedirect(e)) throw e;
  if (e instanceof ApiError) {
    error(e.status >= 400 && e.status <= 599 ? e.status : 500, {
      message: e.detail ?? e.title,
      code: e.code,
      requestId: e.requestId,
    });
  }
  throw e;
}

/** A safe local path to return to after sign-in (no open redirects). */
export function safeReturn(target: string | null | undefined, fallback = '/'): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback;
  // Control characters (CR/LF would split the Location header, NUL breaks it), backslashes and
  // unpaired surrogates: not a path we issued.
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(target) || !isStorableText(target)) return fallback;
  // Re-serialised by the URL parser: non-ASCII is percent-encoded, so the header is always valid.
  const base = 'http://return.invalid';
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    return fallback;
  }
  return url.origin === base ? url.pathname + url.search + url.hash : fallback;
}
