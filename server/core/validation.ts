/** zod issues as field errors (`modalities[2].code`), for verbs and the HTTP edge alike. */
import type { z } from 'zod';
import type { FieldError } from '../../schemas/common.js';
import { humanMessage, type IssueLike } from '../../schemas/messages.js';
import { validationFailed } from './errors.js';

export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldError[] {
  return issues.flatMap((i): FieldError[] =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ path: formatPath([...i.path, k], prefix), message: `unknown field "${k}"`, code: i.code }))
      : [{ path: formatPath(i.path, prefix), message: humanMessage(i as IssueLike), code: issueCode(i) }],
  );
}

/** Custom issues may carry their own machine code (`params.code`, e.g. `not_in_vocabulary`). */
function issueCode(i: z.core.$ZodIssue): string {
  const own = i.code === 'custom' ? (i as { params?: { code?: unknown } }).params?.code : undefined;
  return typeof own === 'string' ? own : i.code;
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
