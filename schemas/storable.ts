/**
 * Text the database cannot store: PostgreSQL refuses NUL (U+0000) in `text` and `jsonb`, and a lone
 * UTF-16 surrogate has no UTF-8 form (jsonb refuses its `\uD800` escape). Such input is found at the
 * edge and refused with the field path, instead of failing deep in a query as a 500.
 */
import type { FieldError } from './common.js';

// NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const INVALID_CHARACTERS_MESSAGE = 'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored';

export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/**
 * Every string (object keys included) in a JSON-like value that cannot be stored, as field errors
 * with JSON paths (`collections[3].title`, `query.q`). Stops after `max` findings.
 */
export function findUnstorableStrings(value: unknown, prefix = '', max = 20): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<object>();
  const join = (base: string, key: string | number) =>
    typeof key === 'number' ? `${base}[${key}]` : base ? `${base}.${safeKey(key)}` : safeKey(key);
  const walk = (v: unknown, path: string, depth: number) => {
    if (out.length >= max) return;
    if (typeof v === 'string') {
      if (!isStorableText(v)) out.push({ path: path || '(root)', message: INVALID_CHARACTERS_MESSAGE, code: 'invalid_characters' });
      return;
    }
    if (!v || typeof v !== 'object' || depth > 200 || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, join(path, i), depth + 1));
      return;
    }
    for (const [k, item] of Object.entries(v)) {
      if (!isStorableText(k)) {
        out.push({ path: join(path, k), message: `the field name ${INVALID_CHARACTERS_MESSAGE}`, code: 'invalid_characters' });
        if (out.length >= max) return;
        continue;
      }
      walk(item, join(path, k), depth + 1);
    }
  };
  walk(value, prefix, 0);
  return out;
}

/** A key as it may appear in a path we send back: never the raw bad characters themselves. */
export function safeKey(k: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is what we replace
  return isStorableText(k) ? k : k.replace(/[\u0000\uD800-\uDFFF]/g, '\uFFFD');
}
