/**
 * Word-level matching shared by the normalisers: real catalogues wrap a term in other words ("MRI scans",
 * "Chest radiographs", "H&E whole-slide images"), pluralise it, reorder it ("Kidney, NOS") or combine several
 * ("CT and PET"). A {@link PhraseIndex} maps lemmatised token sequences to values and finds every known
 * phrase inside a longer wording, longest first. Pure, no dependencies.
 */

/** Words that never carry the meaning of a term (dropped before matching). */
const STOP = new Set(['the', 'of', 'a', 'an', 'and', 'or', 'in', 'on', 'for', 'with', 'by', 'to', 'from', 'at', 'as', 'nos']);

/** Irregular plurals and spellings that the suffix rules below would get wrong. */
const IRREGULAR: Readonly<Record<string, string>> = {
  mice: 'mouse',
  women: 'woman',
  men: 'man',
  testes: 'testis',
  metastases: 'metastasis',
  vertebrae: 'vertebra',
  data: 'data',
  series: 'series',
  species: 'species',
  analyses: 'analysis',
  diagnoses: 'diagnosis',
  axes: 'axis',
  bronchi: 'bronchus',
  thoraces: 'thorax',
  ovaries: 'ovary',
  biopsies: 'biopsy',
  females: 'female',
  males: 'male',
};

/** A single word reduced to its base form: lower case, accents stripped, regular plural removed. */
export function lemma(word: string): string {
  const w = word.toLowerCase();
  const irr = IRREGULAR[w];
  if (irr) return irr;
  if (w.length <= 3 || /\d/.test(w)) return w.length === 3 && /^[a-z]{2}s$/.test(w) && w !== 'gas' ? w.slice(0, 2) : w;
  if (/ies$/.test(w)) return `${w.slice(0, -3)}y`;
  if (/(ss|sh|ch|x)es$/.test(w)) return w.slice(0, -2);
  if (/(ss|us|is|ous)$/.test(w)) return w;
  if (/s$/.test(w)) return w.slice(0, -1);
  return w;
}

export interface Token {
  /** Lemmatised lower-case form. */
  readonly lemma: string;
  /** The word was written in capitals in the source (e.g. "US" as a modality code, not the pronoun). */
  readonly upper: boolean;
}

/**
 * Split a wording into lemmatised tokens: accents stripped, punctuation is a separator, "x-ray" / "x ray"
 * become one word, stop words and the caller's `filler` words (e.g. "scan", "image") are dropped.
 */
export function tokenise(s: string, filler: ReadonlySet<string> = new Set()): Token[] {
  if (typeof s !== 'string') return [];
  const plain = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\bx[\s-]?rays?\b/gi, (m) => (/s$/i.test(m) ? 'xrays' : 'xray'))
    .replace(/\be[\s-]?mail\b/gi, 'email');
  const out: Token[] = [];
  for (const raw of plain.split(/[^A-Za-z0-9]+/)) {
    if (!raw) continue;
    const l = lemma(raw);
    if (STOP.has(l) || filler.has(l)) continue;
    out.push({ lemma: l, upper: raw.length > 1 && raw === raw.toUpperCase() && /[A-Z]/.test(raw) });
  }
  return out;
}

/** Key of a token list: words joined by one space, in order. */
const orderedKey = (ts: readonly Token[]) => ts.map((t) => t.lemma).join(' ');
/** Word-order-free key: sorted words ("nos kidney" = "kidney nos"). */
const bagKey = (ts: readonly Token[]) =>
  ts
    .map((t) => t.lemma)
    .sort()
    .join(' ');

interface Entry<T> {
  readonly value: T;
  /** Short codes ("US", "PR", "OT") only count inside longer text when written in capitals there. */
  readonly codeLike: boolean;
}

export interface PhraseHit<T> {
  readonly value: T;
  readonly start: number;
  readonly end: number;
}

/** Maps phrases (any wording; tokenised with the index's filler words) to values. */
export class PhraseIndex<T> {
  private readonly ordered = new Map<string, Entry<T>>();
  private readonly bag = new Map<string, Entry<T>>();
  private maxLen = 1;

  constructor(private readonly filler: ReadonlySet<string> = new Set()) {}

  /** Add a phrase; the first value added for a key wins unless `override`. */
  add(phrase: string, value: T, opts: { code?: boolean; override?: boolean } = {}): this {
    const ts = tokenise(phrase, this.filler);
    if (ts.length === 0) return this;
    const entry = { value, codeLike: opts.code === true && ts.length === 1 && ts[0]!.lemma.length <= 3 };
    const k = orderedKey(ts);
    if (opts.override || !this.ordered.has(k)) this.ordered.set(k, entry);
    const b = bagKey(ts);
    if (opts.override || !this.bag.has(b)) this.bag.set(b, entry);
    this.maxLen = Math.max(this.maxLen, ts.length);
    return this;
  }

  tokens(s: string): Token[] {
    return tokenise(s, this.filler);
  }

  /** The value of the whole wording (in order, then in any order), or undefined. */
  whole(s: string): T | undefined {
    const ts = this.tokens(s);
    if (ts.length === 0) return undefined;
    return (this.ordered.get(orderedKey(ts)) ?? this.bag.get(bagKey(ts)))?.value;
  }

  /**
   * Every known phrase inside the wording, longest first, non-overlapping, in text order. Single-letter words
   * only match when they are the whole wording; short codes only when written in capitals.
   */
  find(s: string): PhraseHit<T>[] {
    const ts = this.tokens(s);
    const used = new Array<boolean>(ts.length).fill(false);
    const hits: PhraseHit<T>[] = [];
    for (let len = Math.min(this.maxLen, ts.length); len >= 1; len--) {
      for (let i = 0; i + len <= ts.length; i++) {
        if (used.slice(i, i + len).some(Boolean)) continue;
        const span = ts.slice(i, i + len);
        if (len === 1 && ts.length > 1 && span[0]!.lemma.length < 2) continue;
        const e = this.ordered.get(orderedKey(span)) ?? (len > 1 ? this.bag.get(bagKey(span)) : undefined);
        if (!e) continue;
        if (e.codeLike && ts.length > 1 && !span[0]!.upper) continue;
        for (let j = i; j < i + len; j++) used[j] = true;
        hits.push({ value: e.value, start: i, end: i + len });
      }
    }
    return hits.sort((a, b) => a.start - b.start);
  }

  /** Whole-wording match, else the values of the phrases found inside it (deduplicated), else []. */
  resolve(s: string): T[] {
    const w = this.whole(s);
    if (w !== undefined) return [w];
    const out: T[] = [];
    for (const h of this.find(s)) if (!out.includes(h.value)) out.push(h.value);
    return out;
  }
}
