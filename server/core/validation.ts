/** zod issues as field errors (`modalities[2].code`), for verbs and the HTTP edge alike. */
import type { z } from 'zod';
import type { FieldError } from '../../schemas/common.js';
import { validationFailed } from './errors.js';

export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldError[] {
  return issues.flatMap((i): FieldError[] =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ path: formatPath([...i.path, k], prefix), message: `unknown field "${k}"`, code: i.code }))
      : [{ path: formatPath(i.path, prefix), message: i.message, code: i.code }],
  );
}

export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out || '(root)';
}

/** Parse or throw 422 with field errors. */
export function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw validationFailed(issuesToFieldErrors(r.error.issues));
  return r.data;
}
