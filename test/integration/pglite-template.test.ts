import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/client.js';
import { readTemplate } from '../../server/db/pglite-template.js';

const userIds = async (d: Database) =>
  ((await d.db.execute(sql`select id from app_user order by id`)) as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);

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
});
