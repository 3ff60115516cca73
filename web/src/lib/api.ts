/**
 * A small client for the catalogue API: JSON in and out, RFC 9457 problem+json turned into an
 * ApiError carrying the stable `code` and the field errors (`errors[].path` / `message`).
 * Pass SvelteKit's `fetch` (server loads/actions) or the browser's.
 */
import type { FieldError, Problem } from '$schemas/common';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail?: string;
  readonly errors: FieldError[];
  readonly requestId?: string;

  constructor(status: number, problem: Partial<Problem>) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? (status === 404 ? 'not_found' : 'internal_error');
    this.title = problem.title ?? `HTTP ${status}`;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.requestId = problem.requestId;
  }
}

export type Fetch = typeof fetch;

export interface ApiResult<T> {
  data: T;
  etag?: string;
  status: number;
}

/** Turn a non-2xx response into an ApiError (problem+json when the server sent it). */
export async function errorFrom(res: Response): Promise<ApiError> {
  let body: Partial<Problem> = {};
  try {
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') body = parsed as Partial<Problem>;
  } catch {
    /* not JSON (a proxy error page, …) */
  }
  return new ApiError(res.status, body);
}

export async function api<T>(
  fetch: Fetch,
  path: string,
  opts: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(path, { method: opts.method ?? 'GET', headers, body });
  } catch {
    throw new ApiError(503, {
      code: 'service_unavailable',
      title: 'Service unavailable',
      detail: 'The catalogue API could not be reached.',
    });
  }
  if (!res.ok) throw await errorFrom(res);
  const text = res.status === 204 ? '' : await res.text();
  return { data: (text ? JSON.parse(text) : undefined) as T, etag: res.headers.get('etag') ?? undefined, status: res.status };
}

/** GET returning only the body. */
export const getJson = async <T>(fetch: Fetch, path: string) => (await api<T>(fetch, path)).data;

/** Query string from a record; arrays repeat the key, empty values are left out. */
export function qs(params: Record<string, string | number | undefined | null | (string | number)[]>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) sp.append(k, String(one));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** Field errors grouped by form field; `fieldOf` maps an API path to a field name (or null). */
export function groupErrors(errors: FieldError[], fieldOf: (path: string) => string | null) {
  const byField: Record<string, string[]> = {};
  const other: FieldError[] = [];
  for (const e of errors) {
    const f = fieldOf(e.path);
    if (f) (byField[f] ??= []).push(e.message);
    else other.push(e);
  }
  return { byField, other };
}

export const collectionPath = (id: string) => `/api/v1/collections/${encodeURIComponent(id)}`;
/** Page URL of a collection; `:` is left readable (`/collections/nci-idc:collection:tcga_prad`). */
export const collectionHref = (id: string) => `/collections/${encodeURIComponent(id).replace(/%3A/gi, ':')}`;
