/**
 * The audit log proves itself: every catalogue write appends a chained entry; the database refuses
 * UPDATE, DELETE and TRUNCATE; and editing, deleting, inserting or reordering entries behind its
 * back (trigger disabled, as a superuser could) is found by the verifier — on PostgreSQL and PGlite.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, hashEntry, verifyAudit } from '../../server/core/audit.js';
import { systemContext } from '../../server/core/context.js';
import { openMemoryDatabase, type Database } from '../../server/db/client.js';
import { buildTestApp, validCollection, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';

const actor = { kind: 'user' as const, id: 'auditor', name: 'Auditor', isAdmin: true, memberships: [] };

async function openDb(kind: 'postgres' | 'pglite'): Promise<{ database: Database; url?: string; done: () => Promise<void> }> {
  if (kind === 'pglite') {
    const database = await openMemoryDatabase();
    await database.migrate();
    return { database, done: () => database.close() };
  }
  const t = await createTestDatabase();
  return { database: t.database, url: t.url, done: t.drop };
}

/** Start the log again (as only a tamperer could) with five chained entries. */
async function chainOf5(db: Database['db']) {
  await tamper(db, 'delete from audit_event', "update audit_chain_head set seq = 0, hash = repeat('0', 64)");
  const ctx = systemContext(db, actor);
  for (let i = 1; i <= 5; i++)
    await appendAudit(ctx, { action: 'test.step', entityType: 'test', entityId: `e${i}`, after: { i, note: `step ${i}` } });
}

const run = (db: Database['db'], text: string) => db.execute(sql.raw(text));
/** Tamper as the table owner would: with the append-only trigger switched off for the statement. */
async function tamper(db: Database['db'], ...statements: string[]) {
  await run(db, 'alter table audit_event disable trigger user');
  for (const s of statements) await run(db, s);
  await run(db, 'alter table audit_event enable trigger user');
}

for (const kind of ['postgres', 'pglite'] as const) {
  describe(`audit chain on ${kind}`, () => {
    let opened: Awaited<ReturnType<typeof openDb>>;
    let db: Database['db'];
    beforeAll(async () => {
      opened = await openDb(kind);
      db = opened.database.db;
    });
    afterAll(async () => opened.done());
    it('verifies an intact chain', async () => {
      await chainOf5(db);
      {
        expect(await verifyAudit({ db: db })).toEqual({ ok: true, events: 5 });
      }
    });

    it('refuses UPDATE, DELETE and TRUNCATE at the database', async () => {
      await chainOf5(db);
      {
        await expect(run(db, "update audit_event set action = 'x' where seq = 2")).rejects.toThrow();
        await expect(run(db, 'delete from audit_event where seq = 5')).rejects.toThrow();
        await expect(run(db, 'truncate audit_event')).rejects.toThrow();
        expect(await verifyAudit({ db: db })).toEqual({ ok: true, events: 5 });
      }
    });

    it('detects an edited entry', async () => {
      await chainOf5(db);
      {
        await tamper(db, `update audit_event set after = '{"i": 3, "note": "nothing happened"}' where seq = 3`);
        expect(await verifyAudit({ db: db })).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'hash_mismatch' } });
      }
    });

    it('detects an edit that also recomputes the hash (the next link breaks)', async () => {
      await chainOf5(db);
      {
        const rows = await db.execute(
          sql`select seq, at, actor_id, action, entity_type, entity_id, before, after, data, request_id, prev_hash from audit_event where seq = 3`,
        );
        const r = ((rows as { rows?: unknown[] }).rows ?? rows) as Record<string, unknown>[];
        const e = r[0]!;
        const forged = {
          seq: 3,
          at: new Date(e.at as string).toISOString(),
          actorId: e.actor_id as string,
          action: e.action as string,
          entityType: e.entity_type as string,
          entityId: e.entity_id as string,
          before: null,
          after: { i: 3, note: 'forged' },
          data: null,
          requestId: e.request_id as string,
          prevHash: e.prev_hash as string,
        };
        await tamper(db, `update audit_event set after = '{"i": 3, "note": "forged"}', hash = '${hashEntry(forged)}' where seq = 3`);
        expect(await verifyAudit({ db: db })).toMatchObject({ ok: false, firstBroken: { seq: 4, reason: 'prev_hash_mismatch' } });
      }
    });

    it('detects a deleted entry, in the middle and at the end', async () => {
      await chainOf5(db);
      {
        await tamper(db, 'delete from audit_event where seq = 5');
        expect(await verifyAudit({ db: db })).toMatchObject({ ok: false, firstBroken: { seq: 5, reason: 'head_mismatch' } });
        await tamper(db, 'delete from audit_event where seq = 2');
        expect(await verifyAudit({ db: db })).toMatchObject({ ok: false, firstBroken: { seq: 2, reason: 'missing_or_extra_entry' } });
      }
    });

    it('detects an inserted entry', async () => {
      await chainOf5(db);
      {
        // Make room after entry 2 and slip in a copy of entry 2's content as entry 3.
        await tamper(
          db,
          'update audit_event set seq = seq + 100 where seq > 2',
          'update audit_event set seq = seq - 99 where seq > 100',
          `insert into audit_event (seq, at, actor_id, action, entity_type, entity_id, after, request_id, prev_hash, hash)
             select 3, at, actor_id, 'test.forged', entity_type, entity_id, after, request_id, hash, hash from audit_event where seq = 2`,
        );
        expect(await verifyAudit({ db: db })).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'hash_mismatch' } });
      }
    });

    it('detects an entry added behind the log (head not moved)', async () => {
      await chainOf5(db);
      {
        await tamper(
          db,
          `insert into audit_event (seq, at, actor_id, action, entity_type, entity_id, prev_hash, hash)
             select 6, at, actor_id, 'test.forged', entity_type, entity_id, hash, hash from audit_event where seq = 5`,
        );
        expect(await verifyAudit({ db: db })).toMatchObject({ ok: false, firstBroken: { seq: 6 } });
      }
    });

    it('detects reordered entries', async () => {
      await chainOf5(db);
      {
        await tamper(
          db,
          'update audit_event set seq = 100 where seq = 2',
          'update audit_event set seq = 2 where seq = 4',
          'update audit_event set seq = 4 where seq = 100',
        );
        expect(await verifyAudit({ db: db })).toMatchObject({ ok: false, firstBroken: { seq: 2, reason: 'prev_hash_mismatch' } });
      }
    });
  });
}

describe('npm run audit:verify', () => {
  it('exits 0 on an intact chain and 1, naming the broken entry, after tampering', async () => {
    const { database, url, done } = await openDb('postgres');
    const db = database.db;
    await chainOf5(db);
    const cli = () =>
      promisify(execFile)('npx', ['tsx', 'server/cli/audit-verify.ts'], {
        env: { ...process.env, DATABASE_URL: url! },
        cwd: new URL('../..', import.meta.url).pathname,
      }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    try {
      const ok = await cli();
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.out)).toEqual({ ok: true, events: 5 });
      await tamper(db, "update audit_event set entity_id = 'other' where seq = 4");
      const bad = await cli();
      expect(bad.code).toBe(1);
      expect(JSON.parse(bad.out)).toMatchObject({ ok: false, events: 4, firstBroken: { seq: 4, reason: 'hash_mismatch' } });
    } finally {
      await done();
    }
  });
});

describe('every catalogue write appends; admins verify over HTTP', () => {
  let t: TestApp;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const tdb = await createTestDatabase();
    drop = tdb.drop;
    t = await buildTestApp(tdb.database);
  });
  afterAll(async () => drop());

  const actions = async () => {
    const rows = await t.database.db.execute(sql`select action from audit_event order by seq`);
    return (((rows as { rows?: unknown[] }).rows ?? rows) as { action: string }[]).map((r) => r.action);
  };

  it('logs providers, networks, contacts, memberships, collections and imports', async () => {
    const admin = await t.user({ admin: true });
    const net = await t.call('POST', '/api/v1/networks', { as: admin, body: { id: 'net-audit', kind: 'project', name: 'N' } });
    expect(net.status).toBe(201);
    expect(
      (
        await t.call('PUT', '/api/v1/networks/net-audit', {
          as: admin,
          body: { kind: 'project', name: 'N2' },
          headers: { 'if-match': net.headers.get('etag')! },
        })
      ).status,
    ).toBe(200);
    const site = await t.provider();
    const prov = await t.call('GET', `/api/v1/providers/${site}`);
    const { createdAt: _c, modifiedAt: _m, revision: _r, id: _i, actions: _a, ...doc } = prov.body;
    expect(
      (
        await t.call('PUT', `/api/v1/providers/${site}`, {
          as: admin,
          body: { ...doc, city: 'Leiden' },
          headers: { 'if-match': prov.headers.get('etag')! },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await t.call('PUT', '/api/v1/contacts', {
          as: admin,
          body: { id: `${site}-c1`, providerId: site, firstName: 'Dana', lastName: 'Contact', email: 'dana@example.org' },
        })
      ).status,
    ).toBe(200);
    const dm = await t.user();
    expect((await t.call('POST', `/api/v1/providers/${site}/members`, { as: admin, body: { userId: dm } })).status).toBe(204);
    expect((await t.call('DELETE', `/api/v1/providers/${site}/members/${dm}`, { as: admin })).status).toBe(204);
    const c = await t.collection(site);
    expect(
      (await t.call('POST', `/api/v1/collections/${encodeURIComponent(c.id)}/withdraw`, { as: admin, body: { reason: 'gone' } })).status,
    ).toBe(200);
    expect(
      (
        await t.call('POST', '/api/v1/import', {
          as: admin,
          body: { collections: [validCollection(site, { xnat: { instance: 'https://x.org', projectId: 'AUD1', visibility: 'public' } })] },
        })
      ).status,
    ).toBe(200);
    expect(await actions()).toEqual([
      'network.created',
      'network.updated',
      'provider.created',
      'provider.updated',
      'contact.created',
      'membership.added',
      'membership.removed',
      'collection.created',
      'collection.published',
      'collection.withdrawn',
      'collection.created',
      'import.completed',
    ]);
  });

  it('lets admins verify the chain; others get 401 / 403', async () => {
    const admin = await t.user({ admin: true });
    const res = await t.call('POST', '/api/v1/admin/audit/verify', { as: admin });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, events: (await actions()).length });
    expect((await t.call('POST', '/api/v1/admin/audit/verify', { as: await t.user() })).status).toBe(403);
    expect((await t.call('POST', '/api/v1/admin/audit/verify')).status).toBe(401);
  });

  it('writes nothing to the log when the write is refused', async () => {
    const before = (await actions()).length;
    const site = await t.provider();
    const after = (await actions()).length;
    expect(after).toBe(before + 1);
    const res = await t.call('POST', '/api/v1/collections', {
      as: await t.user({ admin: true }),
      body: validCollection(site, { networkIds: ['no-such-network'] }),
    });
    expect(res.status).toBe(422);
    expect((await actions()).length).toBe(after);
  });
});
