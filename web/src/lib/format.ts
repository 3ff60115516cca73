/** Formatting helpers shared by pages (numbers, dates, sizes, codings). */

const nf = new Intl.NumberFormat('en');

export const num = (n: number | undefined | null) => (n === undefined || n === null ? '—' : nf.format(n));

export function bytes(n: number | undefined | null): string {
  if (n === undefined || n === null) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export function date(iso: string | undefined | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-GB', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** Anything coding-like the API may send: a Coding, a plain string, a {code,label} bucket. */
export type CodingLike = string | { code?: string; label?: string; system?: string; text?: string; name?: string } | null | undefined;

export function labelOf(c: CodingLike): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'string') return c;
  return c.label ?? c.name ?? c.code ?? '';
}

export const isFree = (c: CodingLike) => typeof c === 'object' && c !== null && c.code === undefined;

export function asList(v: unknown): CodingLike[] {
  if (Array.isArray(v)) return v as CodingLike[];
  if (v === undefined || v === null || v === '') return [];
  return [v as CodingLike];
}

export const plural = (n: number, one: string, many = `${one}s`) => `${nf.format(n)} ${n === 1 ? one : many}`;
