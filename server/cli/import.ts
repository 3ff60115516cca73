/**
 * `npm run import -- <file.json> [--draft] [--dry-run] [--as <user>]`: bulk-import a JSON list of
 * collection documents (or `{ "collections": [...] }`) straight into the database of this
 * configuration, with progress and the same per-record report as `POST /api/v1/import`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { userActor, type Actor } from '../auth/actor.js';
import { findUser, membershipsOf } from '../auth/queries.js';
import { importCollections } from '../catalogue/import.js';
import { systemContext } from '../core/context.js';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { draft: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, as: { type: 'string' }, json: { type: 'boolean' } },
  });
  const file = positionals[0];
  if (!file) {
    console.error('usage: npm run import -- <file.json> [--draft] [--dry-run] [--as <user id>] [--json]');
    process.exit(2);
  }
  let records: unknown;
  try {
    records = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`cannot read ${file}: ${(e as Error).message}`);
    process.exit(2);
  }
  const list = Array.isArray(records) ? records : (records as { collections?: unknown[] })?.collections;
  if (!Array.isArray(list)) {
    console.error(`${file}: expected a JSON list of collections or {"collections": [...]}`);
    process.exit(2);
  }
  const config = loadConfig();
  const database = await openDatabase(config.db);
  await database.migrate();
  // Local CLI: acts as a catalogue admin unless --as names a user, whose rights then apply.
  let actor: Actor = userActor({ id: 'cli', name: 'Command-line import', isAdmin: true });
  if (values.as) {
    const u = await findUser(database.db, values.as);
    if (!u) {
      console.error(`no such user: ${values.as}`);
      process.exit(2);
    }
    actor = userActor({ id: u.id, name: u.name, isAdmin: u.isAdmin, memberships: await membershipsOf(database.db, u.id) });
  }
  const report = await importCollections(systemContext(database.db, actor), list, {
    publish: !values.draft,
    dryRun: !!values['dry-run'],
    onProgress: (d, t) => process.stderr.write(`\rimporting ${d}/${t}`),
  });
  process.stderr.write('\n');
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(
      `${report.dryRun ? '[dry run] ' : ''}${report.total} records: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected, ${report.drafts} drafts`,
    );
    for (const r of report.records) {
      if (r.outcome === 'rejected') console.log(`  #${r.index} rejected: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      else if (r.warnings.length) console.log(`  #${r.index} ${r.id}: ${r.warnings.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      if (r.groupedOnly.length)
        console.log(
          `  #${r.index} grouped only: ${r.groupedOnly.map((f) => `${f.path}="${f.value}" → ${f.groups.join(', ')}`).join('; ')}`,
        );
      if (r.notUnderstood.length)
        console.log(`  #${r.index} not understood: ${r.notUnderstood.map((f) => `${f.path}="${f.value}"`).join(', ')}`);
      if (r.sameDataset.length)
        console.log(`  #${r.index} also catalogued as: ${r.sameDataset.map((o) => `${o.id} (${o.providerId})`).join(', ')}`);
    }
  }
  await database.close();
  process.exit(report.rejected > 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : `import failed: ${(e as Error).message}`);
  process.exit(1);
});
