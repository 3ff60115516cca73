/**
 * The service context: everything a verb needs to do one unit of work. Every write of every module
 * (HTTP routes, import, seed, jobs, the access workflow, XNAT sync) goes through verbs that take it,
 * so every rule and every audit entry holds for every path.
 */
import type { Actor } from '../auth/actor.js';
import type { Db, DbOrTx } from '../db/client.js';
import type { JobQueue } from '../jobs/types.js';
import { isDbUnavailable } from '../db/errors.js';
import { DomainError, isUniqueViolation, outcomeUnknown, uniqueConflict } from './errors.js';

/** The logging surface verbs use (pino's Logger satisfies it). */
export interface ContextLog {
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface ServiceContext {
  /** The database, or the open transaction when inside `withTransaction`. */
  db: DbOrTx;
  actor: Actor;
  /** The clock: tests pass a fixed one. */
  now: () => Date;
  requestId: string;
  log: ContextLog;
  jobs: JobQueue;
  /** Set by `withTransaction`; nested calls join the open transaction. */
  inTransaction?: boolean;
}

/**
 * Run `fn` in one transaction. Audit entries, outbox rows and jobs written through the context it
 * receives commit or roll back together with the change. Never call an outside service (XNAT, SMTP,
 * Meilisearch) inside: enqueue a job instead.
 */
export async function withTransaction<T>(ctx: ServiceContext, fn: (tx: ServiceContext) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return fn(ctx);
  let committing = false;
  try {
    return await (ctx.db as Db).transaction(async (tx) => {
      const result = await fn({ ...ctx, db: tx, inTransaction: true });
      committing = true;
      return result;
    });
  } catch (e) {
    // A unique index refusing a write that raced past the verb's own existence check: the same 409.
    if (!(e instanceof DomainError) && isUniqueViolation(e)) throw uniqueConflict();
    // The connection was lost with COMMIT sent or on its way: the database may have committed, so
    // "unavailable, not done" could be a lie (a partition that ends in a reset, a terminated backend).
    if (committing && isDbUnavailable(e)) {
      ctx.log.warn({ err: e, requestId: ctx.requestId }, 'connection lost during commit: outcome unknown');
      throw outcomeUnknown();
    }
    throw e;
  } finally {
    for (const fn of transactionEnd) fn();
  }
}

const transactionEnd = new Set<() => void>();

/**
 * Call `fn` each time a transaction opened by `withTransaction` in this process has ended
 * (committed or rolled back), before its verb returns: what it committed is visible to every query
 * that starts from then on. Search uses it to forget that the outbox was empty. Returns an unsubscribe.
 */
export function onTransactionEnd(fn: () => void): () => void {
  transactionEnd.add(fn);
  return () => void transactionEnd.delete(fn);
}

/** Jobs are unavailable until a job engine is passed in (AppDeps.jobs / the worker). */
export const noJobQueue: JobQueue = {
  send: (_db, name) => Promise.reject(new Error(`no job engine configured: cannot enqueue "${name}" (pass a JobQueue in AppDeps.jobs)`)),
};

/** Verbs log nothing by default. */
export const silentLog: ContextLog = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A context for code outside a request (seed, CLI, tests): the given actor, the real clock, a
 * fresh request id, and no job engine unless one is passed.
 */
export function systemContext(db: DbOrTx, actor: Actor, over: Partial<ServiceContext> = {}): ServiceContext {
  return { db, actor, now: () => new Date(), requestId: `sys-${crypto.randomUUID()}`, log: silentLog, jobs: noJobQueue, ...over };
}

/** A context for a different actor (e.g. a job acting for the system), same db, clock and queue. */
export const asActor = (ctx: ServiceContext, actor: Actor): ServiceContext => ({ ...ctx, actor });
