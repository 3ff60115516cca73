/**
 * pg-boss talks to the database through `executeSql(text, values)`. Two adapters:
 *
 * - `drizzleExecutor(db)`: runs pg-boss's statement on a drizzle database or transaction. This is
 *   what makes `send()` transactional: the job row is inserted by the caller's transaction, so it
 *   exists if and only if that transaction commits. The `$n` placeholders become drizzle params,
 *   so the same code runs on postgres.js and PGlite, inside or outside a transaction.
 * - `pgliteExecutor(pg)`: pg-boss's own traffic on embedded PGlite. pg-boss sends its migrations
 *   and locked maintenance as parameterless multi-statement SQL, which a prepared statement
 *   (`query`) rejects: those go through `exec` (last result wins). PGlite is one connection and
 *   serialises calls itself (a query waits for an open transaction to finish).
 */
import type { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';

export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/**
 * Values as both drivers accept them through drizzle: drizzle's postgres.js setup passes JSON and
 * timestamps to the server untouched (so they must already be text); PGlite passes JSON text as is.
 */
function normalise(v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return JSON.stringify(v);
  return v;
}

/** pg-boss's `$1 … $n` text as a drizzle SQL object; a placeholder used twice becomes two params. */
export function toDrizzleSql(text: string, values: unknown[] = []): SQL {
  if (!values.length) return sql.raw(text);
  const parts = text.split(/\$(\d+)/);
  // sql.param: one parameter even for an array (drizzle would expand a bare array into a list).
  const chunks = parts.map((p, i) => (i % 2 === 1 ? sql`${sql.param(normalise(values[Number(p) - 1]))}` : sql.raw(p)));
  return sql.join(chunks);
}

export function drizzleExecutor(db: DbOrTx): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      const r = (await db.execute(toDrizzleSql(text, values))) as unknown;
      return { rows: Array.isArray(r) ? r : ((r as { rows?: unknown[] }).rows ?? []) };
    },
  };
}

export function pgliteExecutor(pg: PGlite): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      if (!values.length) {
        const results = await pg.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      return { rows: (await pg.query(text, values.map(normalise))).rows };
    },
  };
}
