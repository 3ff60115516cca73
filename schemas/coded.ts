/**
 * Coded fields: on input they accept a plain string ("MRI") or a coding ({system, code, label});
 * strings are normalised through the vocabularies ("MRI" → DCM MR), values no term fits are kept as
 * free text, never dropped. On output they are always codings.
 */
import { z } from 'zod';
import { Coding } from './common.js';
import { normaliseCoding, validateCoding, type VocabKind, vocabulary } from './vocab/index.js';

/** A condition (disease) is a coding plus the original wording and whether it is the primary one. */
export const Condition = z
  .object({
    system: z.string().min(1).max(100).optional(),
    code: z.string().min(1).max(100).optional(),
    label: z.string().min(1).max(500),
    text: z.string().max(500).optional(),
    isPrimary: z.boolean().optional(),
  })
  .strict();
export type Condition = z.infer<typeof Condition>;

const RawCoded = z.union([z.string().trim().min(1).max(500), Coding]);

function normaliseInto(kind: VocabKind, value: string | Coding, ctx: z.RefinementCtx, path: (string | number)[]) {
  if (typeof value !== 'string') {
    const problem = validateCoding(kind, value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path, input: value });
  }
  const out = normaliseCoding(kind, value);
  // Closed vocabularies are closed: a wording no term fits is an error, never stored as free text.
  if (typeof value === 'string') {
    for (const c of out) {
      if (c.code === undefined && validateCoding(kind, c) !== null) {
        ctx.addIssue({ code: 'custom', message: closedMessage(kind, c.label), path, input: value, params: { code: 'not_in_vocabulary' } });
      }
    }
  }
  return out;
}

/** "“Sometimes” is not one of: Public, Restricted, Non-public" (labels of the closed list). */
function closedMessage(kind: VocabKind, label: string): string {
  const v = vocabulary(kind === 'deidMethod' ? 'deid' : kind);
  const labels = v ? v.terms.slice(0, 12).map((t) => t.label) : [];
  return `"${label}" is not a recognised value${labels.length ? `; use one of: ${labels.join(', ')}` : ''}`;
}

export interface CodedFactory {
  one(kind: VocabKind): z.ZodType<Coding, unknown>;
  list(kind: VocabKind): z.ZodType<Coding[], unknown>;
  conditions(): z.ZodType<Condition[], unknown>;
}

export const inputCoded: CodedFactory = {
  one: (kind) =>
    RawCoded.transform((value, ctx) => {
      const [first] = normaliseInto(kind, value, ctx, []);
      return first ?? { label: typeof value === 'string' ? value : value.label };
    }),
  list: (kind) =>
    z
      .array(RawCoded)
      .max(200)
      .transform((values, ctx) => dedupe(values.flatMap((v, i) => normaliseInto(kind, v, ctx, [i])))),
  conditions: () =>
    z
      .array(z.union([z.string().trim().min(1).max(500), Condition]))
      .max(200)
      .transform((values, ctx) =>
        dedupeConditions(
          values.flatMap((v, i) => {
            if (typeof v === 'string') return normaliseCoding('condition', v) as Condition[];
            if (v.code !== undefined) {
              const problem = validateCoding('condition', v as Coding);
              if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [i], input: v });
            }
            return [v];
          }),
        ),
      ),
};

/** One condition per code ("Lung cancer" and "NSCLC" are both C34): the first wording and primary flag win. */
function dedupeConditions(list: Condition[]): Condition[] {
  const seen = new Map<string, Condition>();
  const out: Condition[] = [];
  for (const c of list) {
    const key = c.code !== undefined ? `${c.system ?? ''}|${c.code.toUpperCase()}` : `text|${c.label.toLowerCase()}`;
    const prev = seen.get(key);
    if (prev) {
      if (c.isPrimary && !prev.isPrimary) out[out.indexOf(prev)] = { ...prev, isPrimary: true };
      continue;
    }
    seen.set(key, c);
    out.push(c);
  }
  return out;
}

export const outputCoded: CodedFactory = {
  one: () => Coding,
  list: () => z.array(Coding),
  conditions: () => z.array(Condition),
};

/** Two inputs that normalise to the same code ("MR", "MRI") are one value. */
function dedupe(codings: Coding[]): Coding[] {
  const seen = new Set<string>();
  return codings.filter((c) => {
    const key = c.code !== undefined ? `${c.system}|${c.code}` : `text|${c.label.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Walk a normalised document and list the values kept as free text (for the import report). */
export function freeTextValues(doc: Record<string, unknown>): { path: string; value: string }[] {
  const found: { path: string; value: string }[] = [];
  const visit = (node: unknown, path: string) => {
    if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${path}[${i}]`));
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.label === 'string' && !('code' in o) && !('title' in o) && path !== 'license') {
        found.push({ path, value: o.label });
        return;
      }
      for (const [k, v] of Object.entries(o)) visit(v, path ? `${path}.${k}` : k);
    }
  };
  visit(doc, '');
  return found;
}
