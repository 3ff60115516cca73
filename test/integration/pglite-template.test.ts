import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/client.js';
import { readTemplate, schemaTemplateKind } from '../../server/db/pglite-template.js';
import { jobSchemaSetup } from '../../server/jobs/index.js';
import { moduleJobs } from '../../server/modules.js';

const userIds = async (d: Database) =>
  ((await d.db.execute(sql`select id from app_user order by id`)) as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);

const queues = async (d: Database) =>
  ((await d.db.execute(sql`select name from pgboss.queue order by name`)) as unknown as { rows: { name: string }[] }).rows.map(
    (r) => r.name,
  );

const root = mkdtempSync(path.join(tmpdir(), 'pglite-template-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('embedded database on a new data directory', () => {
  it('starts from the cached empty cluster: migrated, working, and independent of other directories', async () => {
    const a = await openDatabase({ kind: 'pglite', dir: path.join(root, 'a', 'pglite') });
    await a.migrate();
    await a.db.execute(sql`insert into app_user (id, name) values ('only-in-a', 'A')`);
    await a.close();
    // The first new directory (if no start made it before) leaves the copy behind.
    expect(readTemplate()).toBeDefined();

    const b = await openDatabase({ kind: 'pglite', dir: path.join(root, 'b', 'pglite') });
    await b.migrate();
    expect(await userIds(b)).toEqual([]);
    await b.db.execute(sql`insert into app_user (id, name) values ('only-in-b', 'B')`);
    await b.close();

    // Reopening an existing directory keeps its data (no template involved).
    const a2 = await openDatabase({ kind: 'pglite', dir: path.join(root, 'a', 'pglite') });
    expect(await userIds(a2)).toEqual(['only-in-a']);
    await a2.close();
  }, 120_000);

  it('starts from the cached migrated cluster with the job queues, and no data of the directory that made it', async () => {
    const setup = jobSchemaSetup(moduleJobs());
    const names = moduleJobs()
      .map((j) => j.name)
      .sort();
    const c = await openDatabase({ kind: 'pglite', dir: path.join(root, 'c', 'pglite') }, { setup });
    await c.migrate();
    expect(await queues(c)).toEqual(names);
    await c.db.execute(sql`insert into app_user (id, name) values ('only-in-c', 'C')`);
    await c.close();

    // Made by c at the latest (an earlier start may have made it): d starts from it.
    const migrations = fileURLToPath(new URL('../../server/db/migrations', import.meta.url));
    expect(readTemplate(schemaTemplateKind(migrations, setup.key))).toBeDefined();
    const d = await openDatabase({ kind: 'pglite', dir: path.join(root, 'd', 'pglite') }, { setup });
    await d.migrate();
    expect(await queues(d)).toEqual(names);
    expect(await userIds(d)).toEqual([]);
    await d.close();
  }, 120_000);
});
