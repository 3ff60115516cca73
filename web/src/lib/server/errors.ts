/** Turn API failures into SvelteKit errors (rendered by +error.svelte). */
import { error, isHttpError, isRedirect } from '@sveltejs/kit';
import { ApiError } from '$lib/api';

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

export { safeReturn } from './guard';
