/**
 * The policy's condition language in its three forms, without a database or Meilisearch: the SQL
 * (rendered by drizzle's own dialect) and the Meilisearch filter string are evaluated here by small
 * interpreters of the subset they use, and must select exactly what the predicate allows — for
 * generated conditions, constants nested anywhere included, and values with quotes and backslashes.
 * test/integration/policy-agreement.test.ts proves the same on real PostgreSQL and Meilisearch for
 * the actual rules.
 */
import fc from 'fast-check';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, userActor } from '../../server/auth/actor.js';
import { and, FALSE, holds, isIn, or, toMeiliFilter, toSql, TRUE, type Cond, type Field } from '../../server/policy/condition.js';
import { collectionMeiliFilter, collectionSql } from '../../server/policy/index.js';

type Facts = Record<Field, string>;
const FIELDS: Field[] = ['providerId', 'visibility', 'publicationState'];
const COLUMNS: Record<string, Field> = { provider_id: 'providerId', visibility: 'visibility', publication_state: 'publicationState' };

/** Tokens of both forms: words, `"…"` (a string or an identifier), `$n`, punctuation. */
function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|(\$\d+)|(!=|[()[\],.=])|([A-Za-z_]+))/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text))) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
  if (re.lastIndex < text.trimEnd().length) throw new Error(`cannot read ${JSON.stringify(text.slice(re.lastIndex))}`);
  return out;
}

/**
 * Evaluate a filter: `or` of `and`s of atoms — `( … )`, `true`, `false`, `field IN (…)|[…]`,
 * `field = v`, `field != v`, `field EXISTS`. SQL names columns `"collection"."col"` and passes
 * values as `$n`; Meilisearch names fields bare and quotes values (a backslash escapes the next character).
 */
function evaluate(text: string, facts: Facts, params: unknown[] | undefined): boolean {
  const t = tokens(text);
  let i = 0;
  const next = () => {
    if (i >= t.length) throw new Error(`unexpected end of ${text}`);
    return t[i++]!;
  };
  const take = (tok: string) => {
    const got = next();
    if (got.toLowerCase() !== tok) throw new Error(`expected ${tok}, got ${got} in ${text}`);
  };
  const value = (): string => {
    const tok = next();
    if (params) {
      if (!tok.startsWith('$')) throw new Error(`expected a parameter, got ${tok}`);
      return String(params[Number(tok.slice(1)) - 1]);
    }
    if (!tok.startsWith('"')) throw new Error(`expected a string, got ${tok}`);
    return tok.slice(1, -1).replace(/\\(.)/g, '$1');
  };
  const field = (): Field => {
    const tok = next();
    if (params) {
      if (tok !== '"collection"') throw new Error(`expected a collection column, got ${tok}`);
      take('.');
      const col = next().slice(1, -1);
      if (!COLUMNS[col]) throw new Error(`unknown column ${col}`);
      return COLUMNS[col];
    }
    if (!FIELDS.includes(tok as Field)) throw new Error(`unknown field ${tok}`);
    return tok as Field;
  };
  const atom = (): boolean => {
    const tok = t[i]!.toLowerCase();
    if (tok === '(') {
      i++;
      const v = disjunction();
      take(')');
      return v;
    }
    if (tok === 'true' || tok === 'false') return next().toLowerCase() === 'true';
    const f = field();
    const op = next().toLowerCase();
    if (op === '=') return facts[f] === value();
    if (op === '!=') return facts[f] !== value();
    if (op === 'exists') return facts[f] !== undefined;
    if (op !== 'in') throw new Error(`unknown operator ${op}`);
    const close = params ? ')' : ']';
    take(params ? '(' : '[');
    const vs = [value()];
    while (t[i] === ',') {
      i++;
      vs.push(value());
    }
    take(close);
    return vs.includes(facts[f]);
  };
  const conjunction = () => {
    let v = atom();
    while (t[i]?.toLowerCase() === 'and') {
      i++;
      v = atom() && v;
    }
    return v;
  };
  const disjunction = (): boolean => {
    let v = conjunction();
    while (t[i]?.toLowerCase() === 'or') {
      i++;
      v = conjunction() || v;
    }
    return v;
  };
  const v = disjunction();
  if (i !== t.length) throw new Error(`trailing ${t.slice(i).join(' ')} in ${text}`);
  return v;
}

const dialect = new PgDialect();
/** What the SQL form selects: no condition selects every row. */
function sqlSelects(c: Cond, facts: Facts): boolean {
  const q = toSql(c);
  if (!q) return true;
  const { sql, params } = dialect.sqlToQuery(q);
  return evaluate(sql, facts, params);
}
/** What the Meilisearch form selects: no filter selects every document. */
function meiliSelects(c: Cond, facts: Facts): boolean {
  const f = toMeiliFilter(c);
  return f === undefined || evaluate(f, facts, undefined);
}

const VALUES = ['a', 'b', 'public', 'a"b', 'a\\', '\\"', 'x y'];
const arbValue = fc.constantFrom(...VALUES);
const arbFacts = fc.record({ providerId: arbValue, visibility: arbValue, publicationState: arbValue });
const arbField = fc.constantFrom(...FIELDS);
/** Any condition, also the raw shapes `and`/`or` never build (constants inside, one-element groups). */
const { cond: arbRaw } = fc.letrec<{ cond: Cond }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small' },
    fc.constant(TRUE),
    fc.constant(FALSE),
    fc.record({ kind: fc.constant('in' as const), field: arbField, values: fc.uniqueArray(arbValue, { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('and' as const), of: fc.array(tie('cond'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('or' as const), of: fc.array(tie('cond'), { minLength: 1, maxLength: 3 }) }),
  ),
}));
/** Conditions as the rules build them: through `isIn`, `and` and `or`. */
const { cond: arbBuilt } = fc.letrec<{ cond: Cond }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small' },
    fc.constant(TRUE),
    fc.constant(FALSE),
    fc.tuple(arbField, fc.array(arbValue, { maxLength: 3 })).map(([f, vs]) => isIn(f, vs)),
    fc.array(tie('cond'), { maxLength: 3 }).map((xs) => and(...xs)),
    fc.array(tie('cond'), { maxLength: 3 }).map((xs) => or(...xs)),
  ),
}));

const constantsInside = (c: Cond): boolean =>
  c.kind === 'and' || c.kind === 'or' ? c.of.some((x) => x.kind === 'true' || x.kind === 'false' || constantsInside(x)) : false;

describe('the SQL condition and the Meilisearch filter select what the predicate allows', () => {
  it('for any condition and any record, quotes and backslashes in values included', () => {
    fc.assert(
      fc.property(fc.oneof(arbRaw, arbBuilt), arbFacts, (c, facts) => {
        const allowed = holds(c, facts);
        expect(sqlSelects(c, facts)).toBe(allowed);
        expect(meiliSelects(c, facts)).toBe(allowed);
      }),
      { numRuns: 2000 },
    );
  });

  it('for the actual rules: a stranger sees listed collections that are published or withdrawn', () => {
    const { sql, params } = dialect.sqlToQuery(collectionSql(ANONYMOUS)!);
    expect(sql).toBe('("collection"."visibility" in ($1, $2) and "collection"."publication_state" in ($3, $4))');
    expect(params).toEqual(['public', 'protected', 'published', 'withdrawn']);
    expect(collectionMeiliFilter(ANONYMOUS)).toBe(
      '(visibility IN ["public", "protected"] AND publicationState IN ["published", "withdrawn"])',
    );
    // A viewer also sees every collection of their provider; an admin everything (no condition at all).
    const viewer = userActor({ id: 'v', name: 'V', memberships: [{ providerId: 'site-a', role: 'viewer' }] });
    expect(collectionMeiliFilter(viewer)).toBe(
      '(providerId = "site-a" OR (visibility IN ["public", "protected"] AND publicationState IN ["published", "withdrawn"]))',
    );
    expect(collectionSql(userActor({ id: 'a', name: 'A', isAdmin: true }))).toBeUndefined();
    // Someone who may change nothing gets a condition that selects nothing.
    for (const facts of [{ providerId: 'site-a', visibility: 'public', publicationState: 'published' }]) {
      expect(sqlSelects(FALSE, facts)).toBe(false);
      expect(evaluate(collectionMeiliFilter(viewer, 'edit')!, facts, undefined)).toBe(false);
      expect(dialect.sqlToQuery(collectionSql(viewer, 'edit')!).sql).toBe('false');
    }
  });
});

describe('the condition language folds constants', () => {
  it('conditions built by and/or are true, false, or carry no constant inside', () => {
    fc.assert(
      fc.property(arbBuilt, (c) => {
        expect(constantsInside(c)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('so a rule admitting everything becomes no filter at all, and one admitting nothing the never-matching clause', () => {
    const site = isIn('providerId', ['site-a']);
    expect(or(site, TRUE)).toEqual(TRUE);
    expect(toMeiliFilter(or(site, TRUE))).toBeUndefined();
    expect(toSql(or(TRUE, site))).toBeUndefined();
    expect(and(TRUE, TRUE)).toEqual(TRUE);
    expect(and(site, FALSE)).toEqual(FALSE);
    expect(or(FALSE, FALSE)).toEqual(FALSE);
    expect(and()).toEqual(TRUE);
    expect(or()).toEqual(FALSE);
    expect(and(site, TRUE)).toEqual(site);
    expect(or(FALSE, site)).toEqual(site);
    expect(toMeiliFilter(and(FALSE, site))).toBe('(visibility = "public" AND visibility != "public")');
  });

  it('and/or mean what they say', () => {
    fc.assert(
      fc.property(fc.array(arbBuilt, { maxLength: 4 }), arbFacts, (xs, facts) => {
        expect(holds(and(...xs), facts)).toBe(xs.every((x) => holds(x, facts)));
        expect(holds(or(...xs), facts)).toBe(xs.some((x) => holds(x, facts)));
      }),
      { numRuns: 1000 },
    );
  });

  it('a field the facts leave out matches no value', () => {
    expect(holds(isIn('visibility', ['public']), { providerId: 'site-a' })).toBe(false);
    expect(holds(isIn('providerId', ['site-a']), { providerId: 'site-a' })).toBe(true);
  });
});
