/**
 * `npm run seed`: wipe the catalogue and seed it again. The audit log is append-only and stays:
 * the wipe is an entry in it, and the seed's writes follow. Refuses anything but a local database, so a
 * mistyped DATABASE_URL can never wipe production.
 */
import { sql } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/client.js';
import { isLocalDatabaseUrl } from './local.js';
import { SEED_ACTOR, seedDatabase } from './seed.js';
import { appendAudit } from '../server/core/audit.js';
import { systemContext } from '../server/core/context.js';

async function main() {
  const config = loadConfig();
  if (config.db.kind === 'postgres' && !isLocalDatabaseUrl(config.db.url)) {
    console.error('npm run seed only reseeds a local database (localhost / 127.0.0.1 / ::1); refusing DATABASE_URL on another host.');
    process.exit(2);
  }
  const database = await openDatabase(config.db);
  await database.migrate();
  await database.db.execute(
    sql`truncate table search_outbox, provider_member, collection, contact, provider, network, app_user restart identity cascade`,
  );
  await appendAudit(systemContext(database.db, SEED_ACTOR), {
    action: 'catalogue.wiped',
    entityType: 'catalogue',
    entityId: 'all',
    data: { by: 'npm run seed' },
  });
  const started = Date.now();
  const s = await seedDatabase(database.db, {
    onProgress: (d, t) => process.stdout.write(`\rseeding collections ${d}/${t}`),
  });
  console.log(
    `\nseeded ${s.collections} collections (${s.rejected} rejected), ${s.providers} providers, ${s.networks} networks, ${s.users} users in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log('the running server indexes the new rows from the outbox; run `npm run reindex` to rebuild the search index from scratch');
  await database.close();
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : `seed failed: ${(e as Error).message}`);
  process.exit(1);
});
