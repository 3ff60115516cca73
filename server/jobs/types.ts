/**
 * Typed jobs. Each module declares its job names and payloads by augmenting `JobPayloads`:
 *
 *   declare module '../jobs/types.js' {
 *     interface JobPayloads { 'mail.send': { messageId: string } }
 *   }
 */
import type { DbOrTx } from '../db/client.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobPayloads {}

export type JobName = keyof JobPayloads & string;

export interface SendOptions {
  /** Run no earlier than this. */
  startAfter?: Date;
  /** At most one queued job per key (pg-boss singletonKey): for coalescing. */
  singletonKey?: string;
  retryLimit?: number;
}

export interface JobQueue {
  /**
   * Enqueue inside the caller's transaction when `db` is one: the job exists if and only if the
   * transaction commits. Returns the job id (null when coalesced away by a singleton key).
   */
  send<N extends JobName>(db: DbOrTx, name: N, payload: JobPayloads[N], opts?: SendOptions): Promise<string | null>;
}

/** A job handler gets a system context (actor: the service) bound to the database, not a transaction. */
export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  handler: (
    ctx: import('../core/context.js').ServiceContext,
    payload: JobPayloads[N],
    job: { id: string; retryCount: number },
  ) => Promise<void>;
  /** Defaults: 3 retries, exponential backoff from 5 s; then the job is a dead letter. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** Jobs of this name one process runs at the same time (default 1). */
  concurrency?: number;
  /** Cron expression for scheduled jobs (payload `{}`). */
  schedule?: string;
}

/** Identity helper so a module's job list is typed per job name. */
export const defineJob = <N extends JobName>(def: JobDefinition<N>): JobDefinition<N> => def;
