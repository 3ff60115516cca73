/**
 * `npm run worker`: background work without the HTTP server, for scale. Runs every module's job
 * handlers and cron schedules and (unless SEARCH_WORKER=false) the search outbox worker. Start as
 * many as needed next to API processes started with JOBS_WORKER=false and SEARCH_WORKER=false:
 * pg-boss hands each job to one worker, the outbox is claimed with SKIP LOCKED. Needs
 * DATABASE_URL: the embedded database admits one process, so there `npm start` runs the workers.
 */
import { startSearch, type SearchRuntime } from './search/index.js';
import { bootProcess, openMigratedDatabase, startJobs, stopOnSignal } from './startup.js';

async function main() {
  const { config, log } = bootProcess();
  if (config.db.kind !== 'postgres') {
    log.error('npm run worker needs DATABASE_URL: with the embedded database, `npm start` runs the jobs in its own process.');
    process.exit(1);
  }
  const database = await openMigratedDatabase(config);
  const jobs = await startJobs(config, database, log, { work: true });
  let search: SearchRuntime | undefined;
  if (config.searchWorker) search = await startSearch(config, database, log);
  log.info(`worker: running ${jobs.names.length} job types${search ? ' and the search outbox' : ''}`);

  stopOnSignal(log, 'finishing running jobs and stopping', async () => {
    await jobs.stop();
    await search?.stop();
    await database.close();
  });
}

main().catch((e) => {
  console.error('worker start-up failed:', e instanceof Error ? e.message : e);
  process.exit(1);
});
