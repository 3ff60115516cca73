/**
 * A write whose connection is lost: before its commit it answers `database_unavailable` and nothing
 * is stored; during its commit (COMMIT reached the database, the answer never came back) it answers
 * `outcome_unknown`, never "failed", because the change was in fact committed. The connection is
 * cut by a partition proxy (test/helpers/partition-proxy.ts) that ends in a reset.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ANONYMOUS } from '../../server/auth/actor.js';
import { withTransaction, systemContext } from '../../server/core/context.js';
import { DomainError } from '../../server/core/errors.js';
import { openDatabase, type Database } from '../../server/db/client.js';
import { isDbUnavailable } from '../../server/db/errors.js';
import { provider } from '../../server/db/schema.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startPartitionProxy, type PartitionProxy } from '../helpers/partition-proxy.js';

let tdb: TestDatabase;
let proxy: PartitionProxy;
let viaProxy: Database;

beforeAll(async () => {
  tdb = await createTestDatabase();
  const u = new URL(tdb.url);
  proxy = await startPartitionProxy({ host: u.hostname, port: Number(u.port || 5432) });
  viaProxy = await openDatabase({ kind: 'postgres', url: proxy.via(tdb.url), poolSize: 1 });
});

afterAll(async () => {
  proxy?.heal();
  await viaProxy?.close();
  await proxy?.close();
  await tdb?.drop();
});

const stored = async (id: string) => (await tdb.database.db.select().from(provider).where(eq(provider.id, id))).length === 1;

/** Insert a provider; `cut` runs once the insert is done, just before the transaction commits. */
async function write(id: string, cut: () => void): Promise<unknown> {
  const ctx = systemContext(viaProxy.db, ANONYMOUS);
  const resetSoon = () => setTimeout(() => proxy.heal({ lost: true }), 300);
  try {
    await withTransaction(ctx, async (tx) => {
      await tx.db.insert(provider).values({ id, name: id, doc: {} });
      cut();
      resetSoon();
    });
    return 'ok';
  } catch (e) {
    return e;
  }
}

it('answers outcome_unknown for a write whose commit reached the database but whose answer was lost', async () => {
  const e = await write('commit-lost', () => proxy.partition({ repliesOnly: true }));
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).code).toBe('outcome_unknown');
  expect(await stored('commit-lost')).toBe(true);
});

it('answers database_unavailable, not outcome_unknown, when the connection is lost before the commit', async () => {
  // Wait for the pool to reconnect after the previous reset.
  for (let i = 0; i < 50; i++) {
    if (
      await viaProxy.ping().then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const ctx = systemContext(viaProxy.db, ANONYMOUS);
  let caught: unknown;
  try {
    await withTransaction(ctx, async (tx) => {
      await tx.db.insert(provider).values({ id: 'body-lost', name: 'x', doc: {} });
      proxy.partition();
      setTimeout(() => proxy.heal({ lost: true }), 300);
      await tx.db.select().from(provider); // never answered: the connection is reset
    });
  } catch (e) {
    caught = e;
  }
  // Answered 503 database_unavailable by the edge (server/http/problem.ts).
  expect(isDbUnavailable(caught), String(caught)).toBe(true);
  expect(await stored('body-lost')).toBe(false);
});
