/**
 * A tiny condition language over the three collection fields the rules look at. The policy writes
 * each rule once as a condition; this file turns a condition into a predicate, a drizzle SQL
 * condition on the collection table, and a Meilisearch filter string. Nothing else is hand-written.
 */
import { inArray, sql, type SQL } from 'drizzle-orm';
import { collection } from '../db/schema.js';

/** The fields a rule may look at, named as in the API, the collection table and the search document. */
export type Field = 'providerId' | 'visibility' | 'publicationState';
export type Facts = Readonly<Record<Field, string>>;

export type Cond =
  | { kind: 'true' }
  | { kind: 'false' }
  | { kind: 'in'; field: Field; values: readonly string[] }
  | { kind: 'and'; of: readonly Cond[] }
  | { kind: 'or'; of: readonly Cond[] };

export const TRUE: Cond = { kind: 'true' };
export const FALSE: Cond = { kind: 'false' };

/** `field` is one of `values` (no values: false). */
export const isIn = (field: Field, values: readonly string[]): Cond =>
  values.length ? { kind: 'in', field, values: [...new Set(values)] } : FALSE;

/** Conjunction, simplified: constants fold away, so a compiled rule never carries `true`/`false` inside. */
export function and(...of: Cond[]): Cond {
  if (of.some((c) => c.kind === 'false')) return FALSE;
  const rest = of.filter((c) => c.kind !== 'true');
  if (!rest.length) return TRUE;
  return rest.length === 1 ? rest[0]! : { kind: 'and', of: rest };
}

export function or(...of: Cond[]): Cond {
  if (of.some((c) => c.kind === 'true')) return TRUE;
  const rest = of.filter((c) => c.kind !== 'false');
  if (!rest.length) return FALSE;
  return rest.length === 1 ? rest[0]! : { kind: 'or', of: rest };
}

// --- the three forms ---------------------------------------------------------------------------

/** Does the record satisfy `c`? A field the facts leave out matches no value (provider rules pass only the provider). */
export function holds(c: Cond, r: Partial<Facts>): boolean {
  switch (c.kind) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'in':
      return c.values.some((v) => v === r[c.field]);
    case 'and':
      return c.of.every((x) => holds(x, r));
    case 'or':
      return c.of.some((x) => holds(x, r));
  }
}

const COLUMN = { providerId: collection.providerId, visibility: collection.visibility, publicationState: collection.publicationState };

/** Drizzle condition on the `collection` table; undefined = no restriction. */
export function toSql(c: Cond): SQL | undefined {
  if (c.kind === 'true') return undefined;
  return sqlOf(c);
}

function sqlOf(c: Cond): SQL {
  switch (c.kind) {
    case 'true':
      return sql`true`;
    case 'false':
      return sql`false`;
    case 'in':
      return inArray(COLUMN[c.field], [...c.values]);
    case 'and':
      return sql`(${sql.join(c.of.map(sqlOf), sql` and `)})`;
    case 'or':
      return sql`(${sql.join(c.of.map(sqlOf), sql` or `)})`;
  }
}

/** A Meilisearch filter string literal. */
export const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * Meilisearch filter expression; undefined = no restriction. `false` (an actor who may see
 * nothing) becomes a clause no document satisfies: every document has exactly one visibility.
 */
export function toMeiliFilter(c: Cond): string | undefined {
  if (c.kind === 'true') return undefined;
  return meiliOf(c);
}

function meiliOf(c: Cond): string {
  switch (c.kind) {
    case 'true':
      return 'visibility EXISTS';
    case 'false':
      return '(visibility = "public" AND visibility != "public")';
    case 'in':
      return c.values.length === 1 ? `${c.field} = ${quote(c.values[0]!)}` : `${c.field} IN [${c.values.map(quote).join(', ')}]`;
    case 'and':
      return `(${c.of.map(meiliOf).join(' AND ')})`;
    case 'or':
      return `(${c.of.map(meiliOf).join(' OR ')})`;
  }
}
