/** pg-boss's `$n` SQL as a drizzle query: what makes `send()` run on the caller's transaction. */
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { toDrizzleSql } from '../../server/jobs/sql.js';

const render = (text: string, values?: unknown[]) => new PgDialect().sqlToQuery(toDrizzleSql(text, values));

describe('toDrizzleSql', () => {
  it('turns each placeholder into a parameter, repeated ones included, $10 not read as $1', () => {
    const values = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const q = render('select $1, $10, $2::int, coalesce($1, $2)', values);
    expect(q.sql).toBe('select $1, $2, $3::int, coalesce($4, $5)');
    expect(q.params).toEqual(['a', 'j', 'b', 'a', 'b']);
  });

  it('passes JSON as text, dates as ISO strings, undefined as null, arrays as arrays', () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    const q = render('insert into t values ($1::jsonb, $2, $3, $4::uuid[])', [{ value: 'x' }, at, undefined, ['u1', 'u2']]);
    expect(q.params).toEqual(['{"value":"x"}', '2026-01-02T03:04:05.000Z', null, ['u1', 'u2']]);
  });

  it('leaves parameterless SQL (pg-boss migrations with $$ bodies) untouched', () => {
    const text = 'CREATE FUNCTION f() RETURNS void AS $$ BEGIN END; $$ LANGUAGE plpgsql; SELECT 1';
    expect(render(text)).toEqual({ sql: text, params: [] });
  });
});
