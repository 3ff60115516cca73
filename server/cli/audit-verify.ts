/**
 * `npm run audit:verify`: check the audit log's hash chain in the database of this configuration.
 * Prints `{ok, events, firstBroken?}` and exits 1 when the chain is broken.
 */
import { verifyAudit } from '../core/audit.js';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';

async function main() {
  const config = loadConfig();
  const database = await openDatabase(config.db);
  await database.migrate();
  const result = await verifyAudit({ db: database.db });
  console.log(JSON.stringify(result));
  if (!result.ok) console.error(`audit log broken at entry ${result.firstBroken!.seq}: ${result.firstBroken!.reason}`);
  await database.close();
  process.exit(result.ok ? 0 : 1);
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : `audit verification failed: ${(e as Error).message}`);
  process.exit(2);
});
