/** Reading requests safely: JSON bodies, queries and path ids, with field-precise errors. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { Id } from '../../schemas/common.js';
import { issuesToFieldErrors } from '../core/validation.js';
import { findUnstorableStrings } from '../../schemas/storable.js';
import { badRequest, invalidCharacters, malformedJson, notFound, unsupportedMediaType, validationFailed } from './errors.js';

export { formatPath, issuesToFieldErrors } from '../core/validation.js';

/** Parse a JSON request body: 415 for other media types, 400 for malformed JSON, 422 for bad fields. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S, opts?: ReadJsonOptions): Promise<z.output<S>> {
  const raw = await readJsonValue(c, opts);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationFailed(issuesToFieldErrors(parsed.error.issues));
  return parsed.data;
}

export interface ReadJsonOptions {
  /**
   * A top-level array field whose items the caller checks one by one for text the database cannot
   * store (bulk import rejects such a record on its own). Anything else is refused with 422
   * `invalid_characters`.
   */
  itemsCheckedByCaller?: string;
  /** Command endpoints whose body is optional: an empty body (any content type) stands for this value. */
  emptyAs?: unknown;
}

export async function readJsonValue(c: Context, opts: ReadJsonOptions = {}): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  const text = await c.req.text();
  if (opts.emptyAs !== undefined && !text.trim()) return opts.emptyAs;
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw unsupportedMediaType();
  }
  if (!text.trim()) throw badRequest('The request body is empty; send a JSON document.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const where = e instanceof SyntaxError ? e.message.replace(/^.*?(at position \d+|in JSON at position \d+).*$/s, '$1') : '';
    throw malformedJson(`The body is not valid JSON${where && where !== (e as Error).message ? ` (${where})` : ''}.`);
  }
  const key = opts.itemsCheckedByCaller;
  const rest =
    key && value && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as Record<string, unknown>)[key])
      ? { ...value, [key]: [] }
      : value;
  const bad = findUnstorableStrings(rest);
  if (bad.length) throw invalidCharacters(bad);
  return value;
}

/** Parse the query string. Repeated keys become arrays only where the schema expects them. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const url = new URL(c.req.url);
  const obj: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    obj[key] = all.length > 1 ? all : all[0]!;
  }
  const parsed = schema.safeParse(obj);
  if (!parsed.success) {
    throw badRequest('Invalid query parameters.', issuesToFieldErrors(parsed.error.issues, 'query'));
  }
  return parsed.data;
}

/** Ids in paths that could not exist are a plain 404 (never echo them back). */
export function pathId(c: Context, name = 'id', what = 'resource'): string {
  const id = c.req.param(name) ?? '';
  if (!Id.safeParse(id).success) throw notFound(what);
  return id;
}
