/**
 * What the collection verbs (server/catalogue/collections.ts) return and record beyond who may do what:
 * the full record and the list summary field by field, the times of publication and withdrawal as the
 * record moves through its states, invalid documents, the references a document may name, ids and
 * duplicates on create, the search update and the audit entry every write leaves, the list's cursor,
 * page size and state filter, and a 412 when another writer lands between the verb's read and write.
 */
import { asc, count, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, collection, searchOutbox } from '../../server/db/schema.js';
import { buildTestApp, uid, validCollection, type TestApp } from '../helpers/app.js';
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

const url = (id: string) => `/api/v1/collections/${encodeURIComponent(id)}`;
const project = () => uid('S').replace('-', '_');
const xnat = (visibility: 'public' | 'protected' | 'private' = 'public', projectId = project()) => ({
  instance: 'https://xnat.shapes.org',
  projectId,
  visibility,
});
const create = (body: unknown, as = manager) => t.call('POST', '/api/v1/collections', { as, body });

describe('the full record', () => {
  it('is the document plus id, state, derived facets, times, revision and actions; no publication or withdrawal time before they happen', async () => {
    const doc = validCollection(site, { xnat: xnat(), acronym: 'SHAPE' });
    const res = await create(doc);
    expect(res.status).toBe(201);
    const body = res.body;
    for (const k of Object.keys(doc)) expect(body).toHaveProperty(k);
    for (const k of ['publishedAt', 'withdrawnAt', 'withdrawnReason']) expect(body).not.toHaveProperty(k);
    expect(body).toMatchObject({
      id: `${site}:collection:${doc.xnat.projectId.toLowerCase()}`,
      title: doc.title,
      acronym: 'SHAPE',
      description: doc.description,
      xnat: doc.xnat,
      subjectsCount: 120,
      publicationState: 'draft',
      revision: 1,
    });
    expect([...body.actions].sort()).toEqual(['delete', 'edit', 'history', 'publish']);
    expect(body.modalities.map((m: { code: string }) => m.code)).toEqual(['CT', 'SEG']);
    expect(body.derived.cancerSiteGroups.length).toBeGreaterThan(0);
    expect(body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(body.modifiedAt).toBe(body.createdAt);
    // The same record on a read.
    expect((await t.call('GET', url(res.body.id), { as: manager })).body).toEqual(res.body);
  });

  it('shows when it was published and withdrawn, and forgets the withdrawal when published again', async () => {
    const draft = (await create(validCollection(site, { xnat: xnat() }))).body;
    const published = (await t.call('POST', `${url(draft.id)}/publish`, { as: manager })).body;
    expect(published).toMatchObject({ publicationState: 'published', revision: 2, publishedAt: published.modifiedAt });
    expect(published.createdAt).toBe(draft.createdAt);
    expect(published).not.toHaveProperty('withdrawnAt');
    expect(published).not.toHaveProperty('withdrawnReason');

    const withdrawn = (await t.call('POST', `${url(draft.id)}/withdraw`, { as: manager, body: { reason: 'Consent withdrawn' } })).body;
    expect(withdrawn).toMatchObject({
      publicationState: 'withdrawn',
      revision: 3,
      withdrawnAt: withdrawn.modifiedAt,
      withdrawnReason: 'Consent withdrawn',
      publishedAt: published.publishedAt,
    });

    const again = await t.call('POST', `${url(draft.id)}/publish`, { as: manager });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ publicationState: 'published', revision: 4, publishedAt: again.body.modifiedAt });
    expect(again.body.publishedAt > published.publishedAt).toBe(true);
    expect(again.body).not.toHaveProperty('withdrawnAt');
    expect(again.body).not.toHaveProperty('withdrawnReason');
    expect((await t.call('GET', url(draft.id))).body).not.toHaveProperty('withdrawnReason');
  });

  it('created and published at once (import with publish) carries its publication time', async () => {
    const record = validCollection(site, { xnat: xnat() });
    const res = await t.call('POST', '/api/v1/import', { as: manager, body: { publish: true, collections: [record] } });
    expect(res.body.created).toBe(1);
    const c = (await t.call('GET', url(res.body.records[0].id))).body;
    expect(c).toMatchObject({ publicationState: 'published', revision: 1, publishedAt: c.createdAt, modifiedAt: c.createdAt });
    // Outsiders see it from its creation: first exposed then, and its record datestamp is that time.
    const [r] = await tdb.database.db
      .select({ d: collection.recordDatestamp, e: collection.exposedAt })
      .from(collection)
      .where(eq(collection.id, c.id));
    expect(r!.e?.toISOString()).toBe(c.createdAt);
    expect(r!.d.toISOString()).toBe(c.createdAt);
  });

  it('an imported record with an invalid required field is rejected naming that field', async () => {
    const record = { ...validCollection(site, { xnat: xnat() }), xnat: { ...xnat(), visibility: 'secret' } };
    const res = await t.call('POST', '/api/v1/import', { as: manager, body: { collections: [record] } });
    expect(res.body.records[0]).toMatchObject({ outcome: 'rejected', code: 'validation_failed' });
    expect(res.body.records[0].errors.map((e: { path: string }) => e.path)).toEqual(['xnat.visibility']);
  });
});

describe('the list summary', () => {
  it('names what a list needs and nothing of the document beyond it', async () => {
    const p = await t.provider();
    const dm = await t.user({ providerIds: [p] });
    const withAll = await t.collection(p, { xnat: xnat('protected'), acronym: 'ALL' }, { as: dm });
    const { acronym: _a, subjectsCount: _s, accessRights: _r, ...bare } = validCollection(p, { xnat: xnat() });
    void _a;
    void _s;
    void _r;
    const sparse = (await create(bare, dm)).body;
    const items = (await t.call('GET', `/api/v1/collections?providerId=${p}&limit=10`, { as: dm })).body.items;
    const byId = (id: string) => items.find((i: { id: string }) => i.id === id);
    expect(byId(withAll.id)).toEqual({
      id: withAll.id,
      title: withAll.title,
      acronym: 'ALL',
      providerId: p,
      publicationState: 'published',
      visibility: 'protected',
      modalities: withAll.modalities,
      bodyParts: withAll.bodyParts,
      conditions: withAll.conditions,
      subjectsCount: 120,
      accessRights: withAll.accessRights,
      modifiedAt: withAll.modifiedAt,
      actions: expect.arrayContaining(['edit', 'withdraw', 'history']),
    });
    const s = byId(sparse.id);
    expect(s).toMatchObject({ id: sparse.id, publicationState: 'draft', visibility: 'public' });
    for (const k of ['acronym', 'subjectsCount', 'accessRights', 'description', 'keywords', 'xnat']) expect(s).not.toHaveProperty(k);
  });
});

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

describe('the list', () => {
  it('refuses a cursor it did not issue, naming the parameter', async () => {
    const res = await t.call('GET', '/api/v1/collections?cursor=not-a-cursor');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'query.cursor', message: 'not a cursor this API issued' }]);
    expect(res.body.detail).toBe('Invalid query parameters.');
  });

  it('lists drafts and published ones by default, one state when asked, and offers no cursor after the last page', async () => {
    const p = await t.provider();
    const dm = await t.user({ providerIds: [p] });
    const pub = await t.collection(p, { xnat: xnat() }, { as: dm });
    const draft = await t.collection(p, { xnat: xnat() }, { as: dm, publish: false });
    const gone = await t.collection(p, { xnat: xnat() }, { as: dm });
    expect((await t.call('POST', `${url(gone.id)}/withdraw`, { as: dm, body: { reason: 'r' } })).status).toBe(200);
    const ids = async (query: string) => {
      const res = await t.call('GET', `/api/v1/collections?providerId=${p}${query}`, { as: dm });
      expect(res.status).toBe(200);
      return { ids: res.body.items.map((i: { id: string }) => i.id).sort(), next: res.body.nextCursor };
    };
    expect(await ids('&limit=3')).toEqual({ ids: [pub.id, draft.id].sort(), next: undefined });
    expect(await ids('&limit=2')).toEqual({ ids: [pub.id, draft.id].sort(), next: undefined });
    const first = await ids('&limit=1');
    expect(first.ids).toHaveLength(1);
    expect(first.next).toEqual(expect.any(String));
    const second = await ids(`&limit=1&cursor=${first.next}`);
    expect(second).toEqual({ ids: [[pub.id, draft.id].find((i) => i !== first.ids[0])], next: undefined });
    expect(await ids('&state=draft')).toEqual({ ids: [draft.id], next: undefined });
    expect(await ids('&state=withdrawn')).toEqual({ ids: [gone.id], next: undefined });
  });

  it('normalises modality and body-part filters like search does', async () => {
    const p = await t.provider();
    const mr = await t.collection(p, { xnat: xnat(), modalities: ['MR'], bodyParts: ['Brain'] });
    await t.collection(p, { xnat: xnat(), modalities: ['CT'], bodyParts: ['Chest'] });
    const list = async (q: string) =>
      (await t.call('GET', `/api/v1/collections?providerId=${p}&${q}`)).body.items.map((i: { id: string }) => i.id);
    expect(await list('modality=MRI')).toEqual([mr.id]);
    expect(await list('bodyPart=brain')).toEqual([mr.id]);
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
