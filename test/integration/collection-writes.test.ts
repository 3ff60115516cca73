/**
 * What a collection write (server/catalogue/collections.ts) checks and leaves behind: invalid
 * documents, the references a document may name, ids and duplicates on create, one XNAT project per
 * provider, the search update and the audit entry every write leaves, and a 412 when another writer
 * lands between the verb's read and write. What the verbs return is in collection-shapes.test.ts.
 */
import { asc, count, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, searchOutbox } from '../../server/db/schema.js';
import { buildTestApp, collectionUrl, uid, validCollection, xnatRef, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let t: TestApp;
let site: string;
let manager: string;
let admin: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp(tdb.database);
  site = await t.provider();
  manager = await t.user({ providerIds: [site] });
  admin = await t.user({ admin: true });
});
afterAll(async () => tdb.drop());

const url = collectionUrl;
const xnat = xnatRef;
const create = (body: unknown, as = manager) => t.call('POST', '/api/v1/collections', { as, body });

describe('references a document names', () => {
  it('unknown provider, networks, contacts (or another provider’s) are field errors at their index', async () => {
    const p = await t.provider();
    const other = await t.provider();
    const net = uid('net');
    expect((await t.call('POST', '/api/v1/networks', { as: admin, body: { id: net, kind: 'network', name: 'Net' } })).status).toBe(201);
    const contact = (prov: string) => ({ id: `${prov}-c`, providerId: prov, firstName: 'Dana', lastName: 'X', email: 'dana@example.org' });
    expect((await t.call('PUT', '/api/v1/contacts', { as: admin, body: contact(p) })).status).toBe(200);
    expect((await t.call('PUT', '/api/v1/contacts', { as: admin, body: contact(other) })).status).toBe(200);

    const res = await create(
      validCollection(p, {
        xnat: xnat(),
        networkIds: [net, 'no-such-net'],
        contacts: [
          { contactId: `${p}-c`, role: 'contact' },
          { contactId: `${other}-c`, role: 'head' },
        ],
      }),
      admin,
    );
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: 'networkIds[1]', message: 'no such network', code: 'unknown_reference' },
      { path: 'contacts[1].contactId', message: 'no such contact at this provider', code: 'unknown_reference' },
    ]);

    const noProvider = await create(validCollection('no-such-provider', { xnat: xnat(), id: 'no-such-provider:collection:x' }), admin);
    expect(noProvider.status).toBe(422);
    expect(noProvider.body.errors).toEqual([{ path: 'providerId', message: 'no such provider', code: 'unknown_reference' }]);

    const ok = await create(
      validCollection(p, { xnat: xnat(), networkIds: [net], contacts: [{ contactId: `${p}-c`, role: 'contact' }] }),
      admin,
    );
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ networkIds: [net], contacts: [{ contactId: `${p}-c`, role: 'contact' }] });
  });
});

describe('an invalid document', () => {
  it('is refused on create and on update, naming the field; nothing is written', async () => {
    const bad = { ...validCollection(site, { xnat: xnat() }), subjectsCount: -1 };
    const created = await create(bad);
    expect(created.status).toBe(422);
    expect(created.body.errors.map((e: { path: string }) => e.path)).toEqual(['subjectsCount']);
    const c = (await create(validCollection(site, { xnat: xnat() }))).body;
    const put = await t.call('PUT', url(c.id), { as: manager, body: { ...bad, xnat: c.xnat }, headers: { 'if-match': `"${c.revision}"` } });
    expect(put.status).toBe(422);
    expect(put.body.errors.map((e: { path: string }) => e.path)).toEqual(['subjectsCount']);
    expect((await t.call('GET', url(c.id), { as: manager })).body).toMatchObject({ revision: 1, subjectsCount: 120 });
  });
});

describe('ids on create', () => {
  it('an id outside the provider’s namespace is refused; a taken id is a conflict naming the id', async () => {
    const outside = await create({ ...validCollection(site, { xnat: xnat() }), id: 'elsewhere:collection:x' });
    expect(outside.status).toBe(422);
    expect(outside.body.errors).toEqual([expect.objectContaining({ path: 'id', code: 'id_namespace' })]);
    const first = (await create(validCollection(site, { xnat: xnat() }))).body;
    const taken = await create({ ...validCollection(site, { xnat: xnat() }), id: first.id });
    expect(taken.status).toBe(409);
    expect(taken.body.errors).toEqual([{ path: 'id', message: 'already exists' }]);
    expect(taken.body.detail).toContain(first.id);
    const chosen = `${site}:collection:${uid('chosen')}`;
    const own = await create({ ...validCollection(site, { xnat: xnat() }), id: chosen });
    expect(own.status).toBe(201);
    expect(own.body.id).toBe(chosen);
  });
});

describe('every write queues a search update of that collection', () => {
  it('create, update, publish, withdraw, publish again and delete each add one', async () => {
    const queued = async (id: string) =>
      (await tdb.database.db.select({ n: count() }).from(searchOutbox).where(eq(searchOutbox.collectionId, id)))[0]!.n;
    const c = (await create(validCollection(site, { xnat: xnat() }))).body;
    expect(await queued(c.id)).toBe(1);
    const put = await t.call('PUT', url(c.id), {
      as: manager,
      body: { ...validCollection(site, { xnat: c.xnat }), title: 'Queued' },
      headers: { 'if-match': `"${c.revision}"` },
    });
    expect(put.status).toBe(200);
    expect(await queued(c.id)).toBe(2);
    expect((await t.call('POST', `${url(c.id)}/publish`, { as: manager })).status).toBe(200);
    expect(await queued(c.id)).toBe(3);
    expect((await t.call('POST', `${url(c.id)}/withdraw`, { as: manager, body: { reason: 'r' } })).status).toBe(200);
    expect(await queued(c.id)).toBe(4);
    const d = (await create(validCollection(site, { xnat: xnat() }))).body;
    expect((await t.call('DELETE', url(d.id), { as: manager })).status).toBe(204);
    expect(await queued(d.id)).toBe(2);
  });
});

describe('a change that lands between reading the collection and writing it', () => {
  it('makes a state change (withdraw, publish) a 412 that leaves the state as the other writer left it', async () => {
    if (tdb.database.kind !== 'postgres') return;
    const published = await t.collection(site, { xnat: xnat() }, { as: manager });
    const draft = await t.collection(site, { xnat: xnat() }, { as: manager, publish: false });
    const other = postgres(tdb.url, { max: 2, onnotice: () => {} });
    try {
      for (const [c, path, body] of [
        [published, 'withdraw', { reason: 'r' }],
        [draft, 'publish', undefined],
      ] as const) {
        // Another writer holds the row (changed, not yet committed) while the verb reads and tries to write it.
        const { pending } = await other.begin(async (sql) => {
          await sql`update collection set title = 'Changed elsewhere', revision = revision + 1 where id = ${c.id}`;
          const pending = t.call('POST', `${url(c.id)}/${path}`, { as: manager, body });
          for (let i = 0; i < 400; i++) {
            const [w] = await other`select count(*)::int as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`;
            if (w!.n > 0) break;
            await new Promise((r) => setTimeout(r, 25));
          }
          return { pending };
        });
        const res = await pending;
        expect(res.status, path).toBe(412);
        expect(res.body.detail).toBe('The collection changed meanwhile; reload and retry.');
        const now = (await t.call('GET', url(c.id), { as: manager })).body;
        expect(now).toMatchObject({ revision: c.revision + 1, publicationState: c.publicationState });
      }
    } finally {
      await other.end();
    }
  });
});

describe('the audit log of a collection', () => {
  const entries = async (id: string) =>
    (
      await tdb.database.db
        .select({
          action: auditEvent.action,
          entityType: auditEvent.entityType,
          actorId: auditEvent.actorId,
          before: auditEvent.before,
          after: auditEvent.after,
          data: auditEvent.data,
        })
        .from(auditEvent)
        .where(eq(auditEvent.entityId, id))
        .orderBy(asc(auditEvent.seq))
    ).map(({ before, after, ...e }) => ({
      ...e,
      before: before && { ...(before as object), doc: expect.any(Object) },
      after: after && { ...(after as object), doc: expect.any(Object) },
    }));
  const snap = (revision: number, publicationState: string, extra: object = {}) => ({
    revision,
    publicationState,
    visibility: 'public',
    ...extra,
    doc: expect.any(Object),
  });

  it('records each write: who, which verb, the version before and after, and the reason of a withdrawal', async () => {
    const c = (await create(validCollection(site, { xnat: xnat() }))).body;
    const put = await t.call('PUT', url(c.id), {
      as: manager,
      body: { ...validCollection(site, { xnat: c.xnat }), title: 'Audited' },
      headers: { 'if-match': `"${c.revision}"` },
    });
    expect(put.status).toBe(200);
    expect((await t.call('POST', `${url(c.id)}/publish`, { as: manager })).status).toBe(200);
    expect((await t.call('POST', `${url(c.id)}/withdraw`, { as: manager, body: { reason: 'Consent withdrawn' } })).status).toBe(200);
    expect((await t.call('POST', `${url(c.id)}/publish`, { as: manager })).status).toBe(200);
    const base = { entityType: 'collection', actorId: manager };
    const log = await entries(c.id);
    expect(log).toEqual([
      { ...base, action: 'collection.created', before: null, after: snap(1, 'draft'), data: null },
      { ...base, action: 'collection.updated', before: snap(1, 'draft'), after: snap(2, 'draft'), data: null },
      { ...base, action: 'collection.published', before: snap(2, 'draft'), after: snap(3, 'published'), data: null },
      {
        ...base,
        action: 'collection.withdrawn',
        before: snap(3, 'published'),
        after: snap(4, 'withdrawn', { withdrawnReason: 'Consent withdrawn' }),
        data: { reason: 'Consent withdrawn' },
      },
      {
        ...base,
        action: 'collection.published',
        before: snap(4, 'withdrawn', { withdrawnReason: 'Consent withdrawn' }),
        after: snap(5, 'published'),
        data: null,
      },
    ]);
    const raw = await tdb.database.db.select({ after: auditEvent.after }).from(auditEvent).where(eq(auditEvent.entityId, c.id));
    expect(raw.map((r) => (r.after as { doc: { title: string } }).doc.title)).toContain('Audited');

    const d = (await create(validCollection(site, { xnat: xnat() }))).body;
    expect((await t.call('DELETE', url(d.id), { as: manager })).status).toBe(204);
    expect((await entries(d.id)).at(-1)).toEqual({
      ...base,
      action: 'collection.deleted',
      before: snap(1, 'draft'),
      after: null,
      data: null,
    });
  });
});

describe('one XNAT project per provider', () => {
  it('the conflict says so, on create and on update', async () => {
    const taken = xnat();
    await create(validCollection(site, { xnat: taken }));
    const again = await create({ ...validCollection(site, { xnat: taken }), id: `${site}:collection:${uid('again')}` });
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('This provider already catalogues that XNAT project.');
    const other = (await create(validCollection(site, { xnat: xnat() }))).body;
    const moved = await t.call('PUT', url(other.id), {
      as: manager,
      body: validCollection(site, { xnat: taken }),
      headers: { 'if-match': `"${other.revision}"` },
    });
    expect(moved.status).toBe(409);
    expect(moved.body.detail).toBe('This provider already catalogues that XNAT project.');
    expect(moved.body.errors).toEqual([{ path: 'xnat.projectId', message: 'already catalogued by this provider' }]);
  });
});
