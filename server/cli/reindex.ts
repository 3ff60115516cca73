/**
 * `npm run reindex`: rebuild the search index from the database into a new index and swap it in,
 * printing progress. Uses the same configuration as `npm start`; with the embedded Meilisearch it
 * shares the running app's instance when there is one.
 */
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { createLogger, progress, progressDone } from '../log.js';
import { SearchIndex } from '../search/meili-index.js';
import { connectExternal, EmbeddedMeili } from '../search/meili-process.js';
import { Mutex } from '../search/outbox-worker.js';
import { Reindexer } from '../search/reindex.js';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel === 'silent' ? 'silent' : 'info');
  const m = config.meili;
  let embedded: EmbeddedMeili | undefined;
  let client;
  if (m.kind === 'embedded') {
    embedded = new EmbeddedMeili({ dir: m.dir, binary: m.binary });
    client = (await embedded.start()).client;
    if (embedded.attachedTo && config.db.kind === 'pglite') {
      throw new Error(
        `The app (pid ${embedded.attachedTo}) is running on this DATA_DIR and its embedded database admits one process: use POST /api/v1/admin/reindex, or stop the app first.`,
      );
    }
  } else {
    client = (await connectExternal(m.url, m.apiKey)).client;
  }
  const database = await openDatabase(config.db);
  try {
    await database.migrate();
    const index = new SearchIndex(client, m.index);
    const reindexer = new Reindexer({ database, index, mutex: new Mutex(), log });
    const started = Date.now();
    let lastLine = 0;
    const status = await reindexer.run((done, total) => {
      if (Date.now() - lastLine < 250 && done < total) return;
      lastLine = Date.now();
      progress(log, `reindex: ${done}/${total} documents (${total ? Math.floor((done / total) * 100) : 100}%)`);
    });
    progressDone();
    log.info(`reindex: done, ${status.done} documents in ${((Date.now() - started) / 1000).toFixed(1)} s into index "${m.index}"`);
  } finally {
    await database.close();
    await embedded?.stop();
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : `reindex failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
