/**
 * `npm start`: one process serving the API, the web app, the search worker and the job worker
 * (JOBS_WORKER=false leaves jobs to `npm run worker`). Embedded default:
 * PGlite under DATA_DIR, a bundled Meilisearch, the dev sign-in, seeded real data. With
 * DATABASE_URL / MEILI_URL / OIDC_ISSUER it runs against production services instead.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { createApp } from './app.js';
import { anyVerifier, createDevIssuer, oidcVerifier, type TokenVerifier } from './auth/tokens.js';
import { servedByApi } from './http/module.js';
import { jobsModule } from './jobs/index.js';
import { harvestingModule } from './oai/index.js';
import { progress, progressDone, type Logger } from './log.js';
import { startSearch } from './search/index.js';
import { bootProcess, openMigratedDatabase, startJobs, stopOnSignal } from './startup.js';
import { accessModule } from './access/index.js';
import { countCollections } from './catalogue/queries.js';
import { seedDatabase } from '../seed/seed.js';
import { DEMO_USERS } from '../seed/demo.js';
// XNAT role sync and metrics (the xnat helper's additions; kept in the marked blocks below).
import { metricsModule } from './metrics/index.js';
import { startXnatDemo, xnatModule } from './xnat/index.js';

async function main() {
  const { config, log } = bootProcess();
  // The web app's public origin (OIDC redirect URI, cookie flags) when it is known.
  if (config.publicUrl && !process.env.ORIGIN) process.env.ORIGIN = config.publicUrl.replace(/\/$/, '');
  // Form posts carry access-request attachments (5 MB): raise adapter-node's 512 KB default.
  process.env.BODY_SIZE_LIMIT ??= '6M';
  // Start-up overlaps what does not depend on the database: Meilisearch starts (another process)
  // and the web app loads while the database opens and migrates (docs/performance.md, first start).
  const webHandlerLoading = loadWebHandler(log);
  const databaseReady = openMigratedDatabase(config);
  const searchStarting = startSearch(config, databaseReady, log);
  // Each is awaited below; a failure of either is reported once, by that await.
  searchStarting.catch(() => {});
  webHandlerLoading.catch(() => {});
  const database = await databaseReady;
  log.info(`database: ${config.db.kind === 'pglite' ? `embedded PGlite in ${config.db.dir}` : 'PostgreSQL (DATABASE_URL)'}, migrated`);

  const verifiers: TokenVerifier[] = [];
  const devIssuer = config.auth.devAuth ? await createDevIssuer(path.join(config.dataDir, 'dev-issuer-key.json')) : undefined;
  if (devIssuer) verifiers.push(devIssuer.verifier);
  if (config.auth.oidc) verifiers.push(oidcVerifier(config.auth.oidc));

  // The job engine starts while the search finishes its start (both before the seed: the search
  // decides between "new empty index" and "rebuild" on what the database holds before it).
  const [search, jobs] = await Promise.all([
    searchStarting,
    startJobs(config, database, log, { work: config.jobsWorker, deferWork: true }),
  ]);
  log.info(`jobs: ${jobs.names.length} job types, ${config.jobsWorker ? 'running in this process' : 'run by `npm run worker`'}`);

  if (config.seedOnEmpty && (await countCollections(database.db)) === 0) {
    log.info('empty catalogue: seeding real collections (NCI Imaging Data Commons, EuCanImage) …');
    const summary = await seedDatabase(database.db, {
      // The seed writes through the verbs: give them the job engine and the log of everything else.
      ctx: { jobs, log },
      onProgress: (d, t) => {
        if (d === t || d % 25 === 0) progress(log, `seeding ${d}/${t}`);
        if (d === t) progressDone();
      },
    });
    log.info(
      `seeded ${summary.collections} collections, ${summary.providers} providers, ${summary.networks} networks, ${summary.users} demo users`,
    );
  }

  // The workers start after the seed (which only enqueues), alongside the rest of the start-up.
  const working = config.jobsWorker ? jobs.work() : Promise.resolve();
  working.catch(() => {}); // reported by the await below

  // --- XNAT: in the embedded default, the emulator as the demo instance of the seeded collections ---
  const xnat = await startXnatDemo(config, database, log);

  const { app, paths } = createApp({
    database,
    verifier: anyVerifier(verifiers),
    devIssuer,
    adminUsers: config.auth.adminUsers,
    bodyLimitBytes: config.bodyLimitBytes,
    importBodyLimitBytes: config.importBodyLimitBytes,
    modules: [
      search.module,
      jobsModule(jobs),
      harvestingModule(database.db, { publicUrl: config.publicUrl, ...config.oai }),
      xnatModule,
      metricsModule,
      accessModule(),
    ],
    jobs,
    logger: log,
  });
  // The web app's server-side fetches of /api/* are answered in-process (see web/src/hooks.server.ts).
  (globalThis as Record<string, unknown>).__catalogueApiFetch = app.fetch;

  const api = getRequestListener(app.fetch);
  const webHandler = await webHandlerLoading;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // The API app answers /api, the probes and the paths its modules claim (/oai, /metrics, …).
    if (!webHandler || servedByApi(req.url ?? '/', paths)) {
      void api(req, res);
    } else {
      webHandler(req, res, () => void api(req, res));
    }
  });
  await working;
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  log.info(`ready: ${url}  (API docs ${url}/api/docs)`);
  if (devIssuer) {
    log.info(`dev sign-in is on: ${url}/signin — demo users: ${DEMO_USERS.map((u) => `${u.id} (${u.role})`).join(', ')}`);
  }

  stopOnSignal(log, 'shutting down', async () => {
    server.close();
    server.closeAllConnections?.();
    await jobs.stop();
    await search.stop();
    await xnat.stop();
    await database.close();
  });
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

async function loadWebHandler(log: Logger): Promise<NodeHandler | undefined> {
  const file = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../web/build/handler.js');
  if (!existsSync(file)) {
    log.warn('web app not built (npm run build): serving the API only');
    return undefined;
  }
  const mod = (await import(pathToFileURL(file).href)) as { handler: NodeHandler };
  return mod.handler;
}

main().catch((e) => {
  console.error('start-up failed:', e instanceof Error ? e.message : e);
  process.exit(1);
});
