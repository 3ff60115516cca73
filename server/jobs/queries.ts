/** Reads of pg-boss's job table for the dead-letter admin view (the only file reading it directly). */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';

export interface DeadLetter {
  id: string;
  name: string;
  data: unknown;
  /** The last attempt's error message (no stack: it may name internals). */
  error: string | null;
  attempts: number;
  createdAt: string;
  failedAt: string;
}

const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : ((r as { rows: T[] }).rows ?? [])) as T[];
const iso = (v: unknown) => new Date(v as string).toISOString();

export async function deadLetters(db: DbOrTx, limit: number): Promise<DeadLetter[]> {
  const rows = rowsOf<{
    id: string;
    name: string;
    data: unknown;
    output: unknown;
    retry_count: number;
    created_on: unknown;
    completed_on: unknown;
  }>(
    await db.execute(sql`
      select id, name, data, output, retry_count, created_on, completed_on
      from pgboss.job
      where state = 'failed' and left(name, 10) <> '__pgboss__'
      order by completed_on desc, id
      limit ${limit}`),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data,
    error: errorMessage(r.output),
    attempts: Number(r.retry_count) + 1,
    createdAt: iso(r.created_on),
    failedAt: iso(r.completed_on),
  }));
}

export interface QueueDepth {
  name: string;
  /** Waiting to run (new or waiting for a retry). */
  queued: number;
  active: number;
  /** Dead letters. */
  failed: number;
}

export async function queueDepths(db: DbOrTx): Promise<QueueDepth[]> {
  const rows = rowsOf<{ name: string; queued: number; active: number; failed: number }>(
    await db.execute(sql`
      select q.name,
        count(*) filter (where j.state in ('created', 'retry'))::int as queued,
        count(*) filter (where j.state = 'active')::int as active,
        count(*) filter (where j.state = 'failed')::int as failed
      from pgboss.queue q left join pgboss.job j on j.name = q.name
      where left(q.name, 10) <> '__pgboss__'
      group by q.name order by q.name`),
  );
  return rows.map((r) => ({ name: r.name, queued: Number(r.queued), active: Number(r.active), failed: Number(r.failed) }));
}

/** The queue of a failed job, or undefined when no failed job has this id. */
export async function failedJobName(db: DbOrTx, id: string): Promise<string | undefined> {
  const [row] = rowsOf<{ name: string }>(await db.execute(sql`select name from pgboss.job where id = ${id}::uuid and state = 'failed'`));
  return row?.name;
}

function errorMessage(output: unknown): string | null {
  const o = typeof output === 'string' ? (JSON.parse(output) as unknown) : output;
  if (o && typeof o === 'object') {
    const m =
      (o as { message?: unknown; value?: { message?: unknown } }).message ?? (o as { value?: { message?: unknown } }).value?.message;
    if (typeof m === 'string') return m.slice(0, 2000);
  }
  return o == null ? null : JSON.stringify(o).slice(0, 2000);
}
