/**
 * `npm run worker`: background work without the HTTP server, for scale. Runs every module's job
 * handlers and cron schedules and (unless SEARCH_WORKER=false) the search outbox worker. Start as
 * many as needed next to API processes started with JOBS_WORKER=false and SEARCH_WORKER=false:
 * pg-boss hands each job to one worker, the outbox is claimed with SKIP LOCKED. Needs
 * DATABASE_URL: the embedded database admits one process, so there `npm start` runs the workers.
 */
import { configureAccessFrom } from './access/index.js';
import { wireAccessToXnat } from './access-xnat.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/client.js';
import { JobEngine } from './jobs/index.js';
import { createLogger } from './log.js';
import { moduleJobs } from './modules.js';
import { configureXnatFromConfig } from './xnat/index.js';
import { startSearch, type SearchRuntime } from './search/index.js';

async function main() {
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
  if (config.db.kind !== 'postgres') {
    log.error('npm run worker needs DATABASE_URL: with the embedded database, `npm start` runs the jobs in its own process.');
    process.exit(1);
  }
  const database = await openDatabase(config.db);
  await database.migrate();
  configureXnatFromConfig(config); // the XNAT jobs decrypt instance credentials (same XNAT_SECRET_KEY as the API)
  configureAccessFrom(config);
  wireAccessToXnat(); // approvals become XNAT roles; the sync's reports move the items
  const jobs = new JobEngine({ database, connectionString: config.db.url, jobs: moduleJobs(), log });
  await jobs.start({ work: true });
  let search: SearchRuntime | undefined;
  if (config.searchWorker) search = await startSearch(config, database, log);
  log.info(`worker: running ${jobs.names.length} job types${search ? ' and the search outbox' : ''}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: finishing running jobs and stopping`);
    await jobs.stop();
    await search?.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  console.error('worker start-up failed:', e instanceof Error ? e.message : e);
  process.exit(1);
});
