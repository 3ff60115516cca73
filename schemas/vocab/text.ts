/**
 * Small text helpers shared by the vocabulary normalisers (pure, no dependencies).
 */
import type { Coding } from '../common.js';

/** Every shipped vocabulary term has at least a code and a display label. */
export interface Term {
  readonly code: string;
  readonly label: string;
}

/** Maximum label length accepted by the `Coding` zod schema (schemas/common.ts). */
export const MAX_LABEL = 500;

/**
 * Matching key: accents stripped, upper case, everything but letters and digits removed.
 * `'Head & Neck'` → `'HEADNECK'`, `'FDG-PET'` → `'FDGPET'`, `'x-ray'` → `'XRAY'`.
 */
export function normKey(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

/** Collapse runs of white space and trim. */
export function tidy(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** A free-text Coding (label only) for a raw value; the label is tidied and capped at {@link MAX_LABEL}. */
export function freeText(raw: string): Coding {
  const t = tidy(raw);
  return { label: t.length > MAX_LABEL ? `${t.slice(0, MAX_LABEL - 1)}…` : t };
}

/** A coded Coding for a term of `system`. */
export function coded(system: string, term: Term): Coding {
  return { system, code: term.code, label: term.label };
}

/** Qualifier segments that belong to the previous item when a list is split on commas. */
const QUALIFIER = /^(not otherwise specified|nos|not elsewhere classified|nec|unspecified|not specified)$/i;

/**
 * Split a multi-valued source string ("CT, MR, SEG" or "Renal Cell Carcinoma, Not Otherwise Specified, Melanoma")
 * on `,` `;` `|` and new lines. Qualifier segments such as "Not Otherwise Specified" / "NOS" are re-attached to
 * the previous item, so "Diffuse Large B-Cell Lymphoma, Not Otherwise Specified" stays one value.
 * Empty segments are dropped; order is kept; duplicates are kept (callers dedupe after normalising).
 */
export function splitList(raw: string): string[] {
  const out: string[] = [];
  for (const part of raw.split(/[,;|\n]/)) {
    const t = tidy(part);
    if (!t) continue;
    if (QUALIFIER.test(t) && out.length > 0) out[out.length - 1] = `${out[out.length - 1]}, ${t}`;
    else out.push(t);
  }
  return out;
}

/** Remove duplicate codings (same system+code, or same free-text label ignoring case), keeping first occurrences. */
export function dedupeCodings(list: readonly Coding[]): Coding[] {
  const seen = new Set<string>();
  const out: Coding[] = [];
  for (const c of list) {
    const k = c.system !== undefined && c.code !== undefined ? `${c.system}|${c.code}` : `|${c.label.toLowerCase()}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(c);
  }
  return out;
}

/** Build a lookup map from normalised keys to terms: the code, the label and any extra aliases. */
export function keyIndex<T extends Term>(terms: readonly T[], aliases: Readonly<Record<string, string>> = {}): Map<string, T> {
  const byCode = new Map(terms.map((t) => [t.code, t] as const));
  const idx = new Map<string, T>();
  for (const t of terms) {
    const lk = normKey(t.label);
    if (lk && !idx.has(lk)) idx.set(lk, t);
  }
  // Codes win over labels (e.g. code `OT` over a label that normalises to `OT`).
  for (const t of terms) idx.set(normKey(t.code), t);
  for (const [alias, code] of Object.entries(aliases)) {
    const t = byCode.get(code);
    if (t) idx.set(normKey(alias), t);
  }
  return idx;
}
