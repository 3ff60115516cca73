/**
 * The start-up `npm start` (server/main.ts) and `npm run worker` (server/worker.ts) share: the
 * configuration (or a one-line error and exit 1), the logger and the process guards, the migrated
 * database, the modules the jobs need wired in, the job engine, and an orderly stop on a signal.
 */
import { configureAccessFrom } from './access/index.js';
import { wireAccessToXnat } from './access-xnat.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { JobEngine, jobSchemaSetup } from './jobs/index.js';
import { createLogger, type Logger } from './log.js';
import { moduleJobs } from './modules.js';
import { installProcessGuards, postgresDriverPatched } from './process-guard.js';
import { configureXnatFromConfig } from './xnat/index.js';

/** The configuration and the logger, with the process guards installed; exits 1 on a configuration error. */
export function bootProcess(): { config: Config; log: Logger } {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  installProcessGuards(log);
  if (config.db.kind === 'postgres' && !postgresDriverPatched()) {
    log.warn('postgres.js is not patched (npm install runs scripts/patch-postgres.mjs): a lost connection can crash the process');
  }
  return { config, log };
}

/** The database, opened and migrated (a new embedded one with the job engine's schema too: it joins the cached template). */
export async function openMigratedDatabase(config: Config): Promise<Database> {
  const database = await openDatabase(config.db, { setup: jobSchemaSetup(moduleJobs()) });
  await database.migrate();
  return database;
}

/**
 * The modules' job handlers need their settings first (the XNAT credential key, the access module's
 * mail, approvals becoming XNAT roles); then the job engine starts, working the queue when `work`.
 */
export async function startJobs(
  config: Config,
  database: Database,
  log: Logger,
  opts: { work: boolean; deferWork?: boolean },
): Promise<JobEngine> {
  configureXnatFromConfig(config); // the XNAT jobs decrypt instance credentials (same XNAT_SECRET_KEY everywhere)
  configureAccessFrom(config);
  wireAccessToXnat(); // approvals become XNAT roles; the sync's reports move the items
  const jobs = new JobEngine({
    database,
    connectionString: config.db.kind === 'postgres' ? config.db.url : undefined,
    jobs: moduleJobs(),
    log,
  });
  await jobs.start(opts);
  return jobs;
}

/** On SIGINT or SIGTERM (once): log `what`, run `stop`, exit 0. */
export function stopOnSignal(log: Logger, what: string, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: ${what}`);
    await stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void onSignal('SIGINT'));
  process.on('SIGTERM', () => void onSignal('SIGTERM'));
}
