/**
 * A real job engine (pg-boss) on a test database, polling every 0.5 s, for tests of modules that
 * enqueue jobs. On the PGlite project it runs on the embedded database like `npm start` does.
 */
import { JobEngine, type JobDefinition, type JobEngineOptions } from '../../server/jobs/index.js';
import { createLogger } from '../../server/log.js';
import type { TestDatabase } from './db.js';

export async function startTestJobs(
  tdb: Pick<TestDatabase, 'database' | 'url'>,
  jobs: JobDefinition[],
  opts: { work?: boolean } & Pick<JobEngineOptions, 'onFinished'> = {},
): Promise<JobEngine> {
  const engine = new JobEngine({
    database: tdb.database,
    connectionString: tdb.database.kind === 'postgres' ? tdb.url : undefined,
    jobs,
    log: createLogger(process.env.TEST_LOG ? 'debug' : 'silent'),
    pollingIntervalSeconds: 0.5,
    onFinished: opts.onFinished,
  });
  await engine.start({ work: opts.work ?? true });
  return engine;
}

/** Wait until `ok()` holds (jobs run asynchronously). */
export async function waitFor(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
