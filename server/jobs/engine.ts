/**
 * The job engine: pg-boss 10 on the catalogue's own database (PostgreSQL, or embedded PGlite through
 * an adapter). Jobs are enqueued inside the caller's transaction, retried with exponential backoff
 * and, after their last retry, kept in the `failed` state as dead letters that admins list and
 * retry. Several workers share a queue safely: pg-boss claims each job with FOR UPDATE SKIP LOCKED
 * and marks it active, so one job never runs twice at the same time.
 */
import type { PGlite } from '@electric-sql/pglite';
import PgBoss from 'pg-boss';
import type { Actor } from '../auth/actor.js';
import type { ServiceContext } from '../core/context.js';
import type { Database, DbOrTx, SchemaSetup } from '../db/client.js';
import { packageVersion } from '../db/pglite-template.js';
import type { Logger } from '../log.js';
import { deadLetters, failedJobName, queueDepths, type DeadLetter, type QueueDepth } from './queries.js';
import { drizzleExecutor, pgliteExecutor } from './sql.js';
import type { JobDefinition, JobName, JobPayloads, JobQueue, SendOptions } from './types.js';

export const JOB_SCHEMA = 'pgboss';
/** NOTIFY channel: jobs were inserted (a trigger on pg-boss's job table, installed at start). */
export const JOB_CHANNEL = 'catalogue_jobs';
export const DEFAULT_RETRY_LIMIT = 3;
export const DEFAULT_RETRY_DELAY_SECONDS = 5;

/** A job's queue as pg-boss stores it (retry settings). */
const queueOptions = (d: JobDefinition) => ({
  name: d.name,
  retryLimit: d.retryLimit ?? DEFAULT_RETRY_LIMIT,
  retryDelay: d.retryDelaySeconds ?? DEFAULT_RETRY_DELAY_SECONDS,
  retryBackoff: true,
});

/**
 * pg-boss's tables and the jobs' queues (a partition table each) in a new embedded database,
 * created with the migrations so that the cached schema template (server/db/pglite-template.ts)
 * holds them: what the engine's first `start()` would create (about 1.5 CPU s on PGlite).
 */
export const jobSchemaSetup = (jobs: JobDefinition[]): SchemaSetup => ({
  key: JSON.stringify({ pgBoss: packageVersion('pg-boss'), schema: JOB_SCHEMA, queues: jobs.map(queueOptions) }),
  install: async (pg) => {
    const boss = new PgBoss({ db: pgliteExecutor(pg), schema: JOB_SCHEMA, supervise: false, schedule: false });
    await boss.start();
    for (const d of jobs) await boss.createQueue(d.name, queueOptions(d));
    await boss.stop({ graceful: false, close: false });
  },
});

/** Who a job acts as: the service itself. */
export const SYSTEM_ACTOR: Actor = { kind: 'user', id: 'system', name: 'Catalogue service', isAdmin: true, memberships: [] };

export interface JobEngineOptions {
  database: Database;
  /** PostgreSQL: pg-boss polls and maintains through its own small pool on this URL. */
  connectionString?: string;
  jobs: JobDefinition[];
  log: Logger;
  now?: () => Date;
  /** How often an idle worker looks for work; default 2 s. */
  pollingIntervalSeconds?: number;
  /** Failed jobs stay listable (and retryable) this long; default 30 days. */
  keepFailedDays?: number;
  /** Called after every attempt (metrics: job latency, failures, dead letters). */
  onFinished?: (e: JobFinished) => void;
}

export interface JobFinished {
  name: string;
  ok: boolean;
  ms: number;
  /** 1 for the first run. */
  attempt: number;
  /** It failed its last attempt and is now a dead letter. */
  dead: boolean;
}

export interface StartOptions {
  /** Run handlers, cron schedules and maintenance here (false: this process only enqueues). */
  work?: boolean;
  /**
   * With `work`: register the handlers and schedules later, by calling `work()` (npm start: after
   * the seed, which only enqueues; idle workers would poll the database it keeps busy).
   */
  deferWork?: boolean;
}

export class JobEngine implements JobQueue {
  private _boss?: PgBoss;
  private readonly defs = new Map<string, JobDefinition>();
  private started = false;
  private workerIds: string[] = [];
  private unlisten?: () => Promise<void>;

  constructor(private readonly o: JobEngineOptions) {
    for (const d of o.jobs) {
      if (this.defs.has(d.name)) throw new Error(`job "${d.name}" is defined twice`);
      this.defs.set(d.name, d);
    }
    if (o.database.kind === 'postgres' && !o.connectionString) throw new Error('jobs: connectionString is required on PostgreSQL');
  }

  get boss(): PgBoss {
    if (!this._boss) throw new Error('the job engine is not started');
    return this._boss;
  }

  /** The registered job names. */
  get names(): string[] {
    return [...this.defs.keys()];
  }

  async start(opts: StartOptions = {}): Promise<void> {
    const work = opts.work ?? true;
    const o = this.o;
    const connection =
      o.database.kind === 'pglite'
        ? { db: pgliteExecutor((o.database.db as unknown as { $client: PGlite }).$client) }
        : { connectionString: o.connectionString, max: 3, application_name: 'catalogue-jobs' };
    this._boss = new PgBoss({
      ...connection,
      schema: JOB_SCHEMA,
      archiveFailedAfterSeconds: (o.keepFailedDays ?? 30) * 86_400,
      // Maintenance (expiring stuck jobs, archiving) and cron only where jobs run.
      supervise: work,
      schedule: work,
    });
    this._boss.on('error', (err) => o.log.error({ err }, 'jobs: pg-boss error'));
    await this.boss.start();
    for (const d of this.defs.values()) {
      await this.boss.createQueue(d.name, queueOptions(d));
      // A queue made by an older release keeps its row: bring its retry settings up to date.
      await this.boss.updateQueue(d.name, queueOptions(d));
    }
    this.started = true;
    if (work && !opts.deferWork) await this.work();
  }

  /** Register the handlers, the wake-up trigger and the schedules (`start({ work, deferWork })`). */
  async work(): Promise<void> {
    if (!this.started) throw new Error('the job engine is not started');
    const o = this.o;
    for (const d of this.defs.values()) {
      // pg-boss sleeps the polling interval after every fetch, even one that found a job; waking the
      // worker after each job makes it fetch the next one at once (a backlog drains at job speed,
      // not at one job per interval) and only sleep when the queue is empty.
      for (let i = 0; i < Math.max(1, d.concurrency ?? 1); i++) {
        let workerId = '';
        workerId = await this.boss.work<object>(
          d.name,
          { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: this.o.pollingIntervalSeconds ?? 2 },
          async ([job]) => {
            try {
              await this.run(d, job!);
            } finally {
              if (workerId) this.boss.notifyWorker(workerId);
            }
          },
        );
        this.workerIds.push(workerId);
      }
    }
    // Start a job as soon as its transaction commits, in whichever process runs it; polling stays
    // as the fallback (and is what picks up retries whose backoff has passed).
    await this.boss.getDb().executeSql(NOTIFY_TRIGGER, []);
    this.unlisten = await o.database
      .listen(JOB_CHANNEL, () => {
        for (const id of this.workerIds) this._boss?.notifyWorker(id);
      })
      .catch((err: unknown) => {
        o.log.warn({ err }, 'jobs: cannot LISTEN for new jobs; polling only');
        return undefined;
      });
    const scheduled = new Set<string>();
    for (const d of this.defs.values()) {
      if (!d.schedule) continue;
      await this.boss.schedule(d.name, d.schedule, {}, { tz: 'UTC' });
      scheduled.add(d.name);
    }
    // A schedule whose job no longer declares one stops firing.
    for (const s of await this.boss.getSchedules()) {
      if (this.defs.has(s.name) && !scheduled.has(s.name)) await this.boss.unschedule(s.name);
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.unlisten?.().catch(() => {});
    this.unlisten = undefined;
    this.workerIds = [];
    await this.boss.stop({ graceful: true, timeout: 10_000, wait: true });
    this._boss = undefined;
  }

  async send<N extends JobName>(db: DbOrTx, name: N, payload: JobPayloads[N], opts: SendOptions = {}): Promise<string | null> {
    if (!this.defs.has(name)) throw new Error(`unknown job "${name}": add its definition to its module's jobs`);
    if (!this.started) throw new Error('the job engine is not started');
    return this.boss.send(name, payload as object, {
      db: drizzleExecutor(db),
      ...(opts.startAfter ? { startAfter: opts.startAfter } : {}),
      ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
      ...(opts.retryLimit !== undefined ? { retryLimit: opts.retryLimit } : {}),
    });
  }

  /** Jobs per name and state (metrics: queue depth). */
  queueDepths(): Promise<QueueDepth[]> {
    return queueDepths(this.o.database.db);
  }

  /** Jobs that failed their last retry, newest first. */
  deadLetters(limit = 100): Promise<DeadLetter[]> {
    return deadLetters(this.o.database.db, limit);
  }

  /** Give a dead letter one more attempt; false when there is no failed job with this id. */
  async retry(id: string): Promise<boolean> {
    const name = await failedJobName(this.o.database.db, id);
    if (!name) return false;
    const r = (await this.boss.retry(name, id)) as unknown as { affected: number };
    return r.affected > 0;
  }

  private async run(d: JobDefinition, job: PgBoss.JobWithMetadata<object>): Promise<void> {
    const log = this.o.log.child({ job: d.name, jobId: job.id, attempt: job.retryCount + 1 });
    const ctx: ServiceContext = {
      db: this.o.database.db,
      actor: SYSTEM_ACTOR,
      now: this.o.now ?? (() => new Date()),
      requestId: `job-${job.id}`,
      log,
      jobs: this,
    };
    const started = Date.now();
    const finished = (ok: boolean, dead: boolean) =>
      this.o.onFinished?.({ name: d.name, ok, ms: Date.now() - started, attempt: job.retryCount + 1, dead });
    try {
      await d.handler(ctx, job.data as never, { id: job.id, retryCount: job.retryCount });
      log.debug({ ms: Date.now() - started }, 'job done');
      finished(true, false);
    } catch (err) {
      const last = job.retryCount >= job.retryLimit;
      log[last ? 'error' : 'warn'](
        { err, ms: Date.now() - started },
        last ? 'job failed its last attempt: dead letter' : 'job failed, will retry',
      );
      finished(false, last);
      throw err;
    }
  }
}

// One statement-level trigger on the partitioned job table; created under a lock so that several
// processes starting together do not race on CREATE OR REPLACE.
const NOTIFY_TRIGGER = `
  BEGIN;
  SELECT pg_advisory_xact_lock(7716021);
  CREATE OR REPLACE FUNCTION ${JOB_SCHEMA}.catalogue_jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('${JOB_CHANNEL}', '');
    RETURN NULL;
  END;
  $$;
  CREATE OR REPLACE TRIGGER catalogue_jobs_notify AFTER INSERT ON ${JOB_SCHEMA}.job
    FOR EACH STATEMENT EXECUTE FUNCTION ${JOB_SCHEMA}.catalogue_jobs_notify();
  COMMIT;
`;
