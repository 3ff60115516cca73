/**
 * The API as the OAI benchmark loads it: its own process (so the harvester does not share its heap
 * and its RSS is the server's alone), PostgreSQL server, no search. Prints `listening <port>`.
 */
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createApp } from '../../server/app.js';
import { createDevIssuer } from '../../server/auth/tokens.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/client.js';
import { harvestingModule } from '../../server/oai/index.js';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
const database = await openDatabase(config.db);
const issuer = await createDevIssuer();
const { app } = createApp({
  database,
  verifier: issuer.verifier,
  modules: [harvestingModule(database.db, { publicUrl: config.publicUrl, ...config.oai })],
});
const server = createServer(getRequestListener(app.fetch));
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  console.log(`listening ${typeof a === 'object' && a ? a.port : ''}`);
});
// Memory as V8 sees it, for the benchmark to tell heap headroom from buffers and native memory.
setInterval(() => {
  const m = process.memoryUsage();
  console.log(
    `memory ${JSON.stringify({ heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers })}`,
  );
}, 100).unref();
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void database.close().then(() => process.exit(0));
});
