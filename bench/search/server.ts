/**
 * The API as the benchmark loads it: a separate process (so the load generator does not share its
 * CPU), configured like production (`MEILI_URL` external mode, no worker). Prints `listening <port>`.
 */
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createApp } from '../../server/app.js';
import { createDevIssuer } from '../../server/auth/tokens.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/client.js';
import { createLogger } from '../../server/log.js';
import { startSearch } from '../../server/search/runtime.js';

const config = loadConfig({ ...process.env, SEARCH_WORKER: 'false', LOG_LEVEL: 'warn' });
const log = createLogger('warn');
const database = await openDatabase(config.db);
const search = await startSearch(config, database, log);
const issuer = await createDevIssuer();
const { app } = createApp({ database, verifier: issuer.verifier, modules: [search.module], logger: log });
const server = createServer(getRequestListener(app.fetch));
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const a = server.address();
  console.log(`listening ${typeof a === 'object' && a ? a.port : ''}`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void search
    .stop()
    .then(() => database.close())
    .then(() => process.exit(0));
});
