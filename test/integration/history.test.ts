/**
 * Record history and datestamps: every revision is kept (who, when, what changed) and shown to the
 * collection's editors; the record datestamp moves whenever outsiders would see a difference.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collection } from '../../server/db/schema.js';
import { buildTestApp, validCollection, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let t: TestApp;
let site: string;
let manager: string;
// A clock that moves one minute per reading: every write gets its own, known time.
let tick = Date.parse('2030-01-01T00:00:00Z');
const clock = () => new Date((tick += 60_000));

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp(tdb.database, { clock });
  site = await t.provider();
  manager = await t.user({ id: `dm-${Date.now()}`, providerIds: [site] });
});
afterAll(async () => tdb.drop());

const url = (id: string) => `/api/v1/collections/${encodeURIComponent(id)}`;
const stamps = async (id: string) => {
  const [r] = await tdb.database.db
    .select({ d: collection.recordDatestamp, e: collection.exposedAt })
    .from(collection)
    .where(eq(collection.id, id));
  return { datestamp: r!.d.toISOString(), exposedAt: r!.e?.toISOString() ?? null };
};

describe('collection history', () => {
  let id: string;
  const put = async (body: object) => {
    const cur = await t.call('GET', url(id), { as: manager });
    const res = await t.call('PUT', url(id), { as: manager, body, headers: { 'if-match': cur.headers.get('etag')! } });
    expect(res.status).toBe(200);
    return res.body;
  };
  const xnat = { instance: 'https://xnat.h.org', projectId: 'HIST_1', visibility: 'public' as const };

  it('moves the record datestamp only for changes outsiders can see, and records the first exposure', async () => {
    const created = await t.call('POST', '/api/v1/collections', { as: manager, body: validCollection(site, { xnat }) });
    expect(created.status).toBe(201);
    id = created.body.id;
    const s0 = await stamps(id);
    expect(s0.exposedAt).toBeNull();

    await put(validCollection(site, { xnat, title: 'Draft retitled' }));
    expect(await stamps(id)).toEqual(s0); // a draft: nobody outside sees it

    expect((await t.call('POST', `${url(id)}/publish`, { as: manager })).status).toBe(200);
    const s1 = await stamps(id);
    expect(s1.datestamp > s0.datestamp).toBe(true);
    expect(s1.exposedAt).toBe(s1.datestamp);

    await put(validCollection(site, { xnat, title: 'Draft retitled', keywords: ['lung', 'screening', 'nodules'] }));
    const s2 = await stamps(id);
    expect(s2.datestamp > s1.datestamp).toBe(true);

    await put(
      validCollection(site, {
        xnat: { ...xnat, visibility: 'private' },
        title: 'Draft retitled',
        keywords: ['lung', 'screening', 'nodules'],
      }),
    );
    const s3 = await stamps(id);
    expect(s3.datestamp > s2.datestamp).toBe(true); // became private: harvesters must learn it
    expect(s3.exposedAt).toBe(s1.exposedAt);

    await put(
      validCollection(site, {
        xnat: { ...xnat, visibility: 'private' },
        title: 'Private edit',
        keywords: ['lung', 'screening', 'nodules'],
      }),
    );
    expect((await stamps(id)).datestamp).toBe(s3.datestamp); // invisible to outsiders

    await put(validCollection(site, { xnat, title: 'Private edit', keywords: ['lung', 'screening', 'nodules'] }));
    const s4 = await stamps(id);
    expect(s4.datestamp > s3.datestamp).toBe(true); // public again, with the edit made meanwhile

    expect((await t.call('POST', `${url(id)}/withdraw`, { as: manager, body: { reason: 'Consent withdrawn' } })).status).toBe(200);
    expect((await stamps(id)).datestamp > s4.datestamp).toBe(true); // withdrawn: an OAI "deleted" record
  });

  it('re-dates the records outsiders see when their provider is renamed (drafts and private ones stay)', async () => {
    const p = await t.provider();
    const open = await t.collection(p);
    const draft = await t.collection(p, {}, { publish: false });
    const hidden = await t.collection(p, { xnat: { ...xnat, projectId: 'PRIV_REN', visibility: 'private' } });
    const before = { open: await stamps(open.id), draft: await stamps(draft.id), hidden: await stamps(hidden.id) };
    const prov = await t.call('GET', `/api/v1/providers/${p}`);
    const { createdAt: _c, modifiedAt: _m, revision: _r, id: _i, actions: _a, ...doc } = prov.body;
    const admin = await t.user({ admin: true });
    expect(
      (
        await t.call('PUT', `/api/v1/providers/${p}`, {
          as: admin,
          body: { ...doc, name: 'Renamed site' },
          headers: { 'if-match': prov.headers.get('etag')! },
        })
      ).status,
    ).toBe(200);
    expect((await stamps(open.id)).datestamp > before.open.datestamp).toBe(true);
    expect(await stamps(draft.id)).toEqual(before.draft);
    expect(await stamps(hidden.id)).toEqual(before.hidden);
  });

  it('lists every revision, newest first, with who, when and which fields changed', async () => {
    const res = await t.call('GET', `${url(id)}/revisions`, { as: manager });
    expect(res.status).toBe(200);
    const items = res.body.items as {
      action: string;
      revision: number;
      changes: string[];
      actor: { id: string; name?: string };
      at: string;
      reason?: string;
      publicationState: string;
    }[];
    expect(items.map((i) => i.action)).toEqual([
      'collection.withdrawn',
      'collection.updated',
      'collection.updated',
      'collection.updated',
      'collection.updated',
      'collection.published',
      'collection.updated',
      'collection.created',
    ]);
    expect(items.map((i) => i.revision)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(items[0]).toMatchObject({ publicationState: 'withdrawn', reason: 'Consent withdrawn', changes: ['publicationState'] });
    expect(items[1]!.changes).toEqual(['xnat', 'visibility']);
    expect(items[2]!.changes).toEqual(['title']);
    expect(items[3]!.changes).toEqual(['xnat', 'visibility']);
    expect(items[4]!.changes).toEqual(['keywords']);
    expect(items[5]!.changes).toEqual(['publicationState']);
    expect(items[6]!.changes).toEqual(['title']);
    expect(items.every((i) => i.actor.id === manager && i.actor.name === manager)).toBe(true);
    expect(new Set(items.map((i) => i.at)).size).toBe(items.length);
  });

  it('is for editors: 404 for those who may not see the collection, 401/403 for other readers', async () => {
    const admin = await t.user({ admin: true });
    expect((await t.call('GET', `${url(id)}/revisions`, { as: admin })).status).toBe(200);
    const hidden = await t.collection(site, { xnat: { ...xnat, projectId: 'HIDDEN', visibility: 'private' } }, { as: manager });
    // Private: outsiders must not learn it exists.
    expect((await t.call('GET', `${url(hidden.id)}/revisions`, { as: await t.user() })).status).toBe(404);
    expect((await t.call('GET', `${url(hidden.id)}/revisions`)).status).toBe(404);
    const open = await t.collection(site, {}, { as: manager });
    expect((await t.call('GET', `${url(open.id)}/revisions`, { as: await t.user() })).status).toBe(403);
    expect((await t.call('GET', `${url(open.id)}/revisions`)).status).toBe(401);
  });

  it('starts again when a deleted draft id is reused', async () => {
    const body = validCollection(site, { xnat: { ...xnat, projectId: 'REUSED' } });
    const a = await t.call('POST', '/api/v1/collections', { as: manager, body });
    expect((await t.call('DELETE', url(a.body.id), { as: manager })).status).toBe(204);
    const b = await t.call('POST', '/api/v1/collections', { as: manager, body });
    expect(b.body.id).toBe(a.body.id);
    const res = await t.call('GET', `${url(b.body.id)}/revisions`, { as: manager });
    expect(res.body.items.map((i: { action: string }) => i.action)).toEqual(['collection.created']);
  });
});
