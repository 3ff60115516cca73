/**
 * The catalogue's rules through the real API and database: who may change a collection (every verb,
 * not only create), If-Match on every versioned resource, the publication rules at the verbs, the
 * SQL form of "drafts are hidden from outsiders", "already catalogued", and import outcomes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueBed, validCollection, uid, type CatalogueBed, type TestApp } from '../helpers/app.js';

let bed: CatalogueBed;
let t: TestApp;
let site: string;
let manager: string;
let admin: string;

beforeAll(async () => {
  bed = await catalogueBed();
  ({ t, site, manager, admin } = bed);
});
afterAll(async () => bed?.close());

const url = (id: string) => `/api/v1/collections/${encodeURIComponent(id)}`;
const xnat = (projectId: string) => ({ instance: 'https://xnat.rules.org', projectId, visibility: 'public' as const });
const editable = (c: { id: string; xnat: unknown }) => ({ ...validCollection(site, { xnat: c.xnat as never }), id: c.id });

describe('only the provider’s data managers and admins change a collection — every verb', () => {
  /** Every write verb on one collection, as a caller; `state` is the collection's state before. */
  const writes = (c: { id: string; revision: number; xnat: unknown }) => ({
    update: { method: 'PUT', path: url(c.id), body: { ...editable(c), title: 'Defaced' }, headers: { 'if-match': `"${c.revision}"` } },
    publish: { method: 'POST', path: `${url(c.id)}/publish` },
    withdraw: { method: 'POST', path: `${url(c.id)}/withdraw`, body: { reason: 'Not mine to withdraw' } },
    delete: { method: 'DELETE', path: url(c.id) },
  });

  for (const state of ['published', 'withdrawn'] as const) {
    it(`refuses outsiders on a public ${state} collection and leaves it untouched`, async () => {
      let c = await t.collection(site, { xnat: xnat(uid('EDIT').replace('-', '_')) }, { as: manager });
      if (state === 'withdrawn') {
        const w = await t.call('POST', `${url(c.id)}/withdraw`, { as: manager, body: { reason: 'Superseded' } });
        expect(w.status).toBe(200);
        c = w.body;
      }
      const other = await t.provider();
      const callers = {
        anonymous: undefined,
        researcher: await t.user(),
        'manager of another provider': await t.user({ providerIds: [other] }),
      };
      for (const [who, as] of Object.entries(callers)) {
        for (const [verb, req] of Object.entries(writes(c))) {
          const res = await t.call(req.method, req.path, {
            as,
            body: 'body' in req ? req.body : undefined,
            headers: 'headers' in req ? req.headers : undefined,
          });
          // Anonymous callers are asked to sign in; signed-in outsiders are refused. Never a state conflict
          // (that would mean the state rule ran before the editor check) and never success.
          expect(res.status, `${who} ${verb}`).toBe(as ? 403 : 401);
          expect(res.body.code, `${who} ${verb}`).toBe(as ? 'forbidden' : 'unauthenticated');
        }
      }
      const after = await t.call('GET', url(c.id), { as: manager });
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ revision: c.revision, publicationState: state, title: c.title });
    });
  }

  it('lets the provider’s data manager and an admin do what the state allows', async () => {
    for (const as of [manager, admin]) {
      const c = await t.collection(site, { xnat: xnat(uid('OK').replace('-', '_')) }, { as: manager });
      const upd = await t.call('PUT', url(c.id), {
        as,
        body: { ...editable(c), title: 'Renamed' },
        headers: { 'if-match': `"${c.revision}"` },
      });
      expect(upd.status).toBe(200);
      expect((await t.call('POST', `${url(c.id)}/withdraw`, { as, body: { reason: 'Retired' } })).status).toBe(200);
      expect((await t.call('POST', `${url(c.id)}/publish`, { as })).status).toBe(200);
      const d = await t.collection(site, { xnat: xnat(uid('DEL').replace('-', '_')) }, { as: manager, publish: false });
      expect((await t.call('DELETE', url(d.id), { as })).status).toBe(204);
    }
  });
});

describe('If-Match on every versioned resource', () => {
  const provDoc = (body: Record<string, unknown>) => {
    const { createdAt: _c, modifiedAt: _m, revision: _r, id: _i, actions: _a, ...doc } = body;
    return doc;
  };
  const netDoc = (body: Record<string, unknown>) => {
    const { createdAt: _c, modifiedAt: _m, revision: _r, id: _i, actions: _a, ...doc } = body;
    return doc;
  };

  /** 428 without If-Match, 412 on a stale tag (nothing written), 200 on `"n"`, `W/"n"` and `*`. */
  async function checkIfMatch(
    path: string,
    read: () => Promise<{ body: any; headers: Headers }>,
    edit: (body: any, name: string) => unknown,
    field: string,
  ) {
    const first = await read();
    const tag = first.headers.get('etag')!;
    expect(tag).toBe(`"${first.body.revision}"`);
    const missing = await t.call('PUT', path, { as: admin, body: edit(first.body, 'No precondition') });
    expect(missing.status).toBe(428);
    expect(missing.body.code).toBe('precondition_required');
    const strong = await t.call('PUT', path, { as: admin, body: edit(first.body, 'Strong tag'), headers: { 'if-match': tag } });
    expect(strong.status).toBe(200);
    expect(strong.headers.get('etag')).toBe(`"${first.body.revision + 1}"`);
    const stale = await t.call('PUT', path, { as: admin, body: edit(first.body, 'Lost update'), headers: { 'if-match': tag } });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('precondition_failed');
    expect((await read()).body[field]).toBe('Strong tag');
    const weak = await t.call('PUT', path, {
      as: admin,
      body: edit(first.body, 'Weak tag'),
      headers: { 'if-match': `W/${strong.headers.get('etag')}` },
    });
    expect(weak.status).toBe(200);
    const weakStale = await t.call('PUT', path, { as: admin, body: edit(first.body, 'Weak stale'), headers: { 'if-match': `W/${tag}` } });
    expect(weakStale.status).toBe(412);
    const star = await t.call('PUT', path, { as: admin, body: edit(first.body, 'Any version'), headers: { 'if-match': '*' } });
    expect(star.status).toBe(200);
    const last = await read();
    expect(last.body[field]).toBe('Any version');
    expect(last.body.revision).toBe(first.body.revision + 3);
  }

  it('collections', async () => {
    const c = await t.collection(site, { xnat: xnat(uid('IFM').replace('-', '_')) }, { as: manager });
    await checkIfMatch(
      url(c.id),
      () => t.call('GET', url(c.id), { as: admin }),
      (b, title) => ({ ...editable(b), title }),
      'title',
    );
  });

  it('providers', async () => {
    const p = await t.provider();
    const path = `/api/v1/providers/${p}`;
    await checkIfMatch(
      path,
      () => t.call('GET', path),
      (b, name) => ({ ...provDoc(b), name }),
      'name',
    );
  });

  it('networks', async () => {
    const id = uid('net');
    expect((await t.call('POST', '/api/v1/networks', { as: admin, body: { id, kind: 'network', name: 'Start' } })).status).toBe(201);
    const path = `/api/v1/networks/${id}`;
    await checkIfMatch(
      path,
      () => t.call('GET', path),
      (b, name) => ({ ...netDoc(b), name }),
      'name',
    );
  });

  it('contacts: created without If-Match, replaced only with it', async () => {
    const p = await t.provider();
    const dm = await t.user({ providerIds: [p] });
    const contact = (lastName: string) => ({ id: `${p}-contact`, providerId: p, firstName: 'Dana', lastName, email: 'dana@example.org' });
    const created = await t.call('PUT', '/api/v1/contacts', { as: dm, body: contact('First') });
    expect(created.status).toBe(200);
    const tag = created.headers.get('etag')!;
    expect(tag).toBe(`"${created.body.revision}"`);
    const missing = await t.call('PUT', '/api/v1/contacts', { as: dm, body: contact('No precondition') });
    expect(missing.status).toBe(428);
    const strong = await t.call('PUT', '/api/v1/contacts', { as: dm, body: contact('Strong'), headers: { 'if-match': tag } });
    expect(strong.status).toBe(200);
    const stale = await t.call('PUT', '/api/v1/contacts', { as: dm, body: contact('Lost update'), headers: { 'if-match': tag } });
    expect(stale.status).toBe(412);
    expect(
      (
        await t.call('PUT', '/api/v1/contacts', {
          as: dm,
          body: contact('Weak'),
          headers: { 'if-match': `W/${strong.headers.get('etag')}` },
        })
      ).status,
    ).toBe(200);
    expect((await t.call('PUT', '/api/v1/contacts', { as: dm, body: contact('Any'), headers: { 'if-match': '*' } })).status).toBe(200);
    const list = await t.call('GET', `/api/v1/providers/${p}/contacts`);
    expect(list.body.items).toEqual([expect.objectContaining({ lastName: 'Any', revision: created.body.revision + 3 })]);
    // Outsiders cannot replace it, even with the right tag.
    const outsider = await t.user({ providerIds: [site] });
    expect((await t.call('PUT', '/api/v1/contacts', { as: outsider, body: contact('Hijack'), headers: { 'if-match': '*' } })).status).toBe(
      403,
    );
  });

  it('treats an unparseable If-Match as missing (428), not as a match', async () => {
    const c = await t.collection(site, { xnat: xnat(uid('BAD').replace('-', '_')) }, { as: manager });
    const res = await t.call('PUT', url(c.id), {
      as: manager,
      body: { ...editable(c), title: 'x' },
      headers: { 'if-match': String(c.revision) },
    });
    expect(res.status).toBe(428);
  });
});

describe('publication rules at the verbs', () => {
  it('refuses to publish without conditions, naming only that field', async () => {
    const res = await t.call('POST', '/api/v1/collections', {
      as: manager,
      body: validCollection(site, { conditions: [], xnat: xnat(uid('NOCOND').replace('-', '_')) }),
    });
    expect(res.status).toBe(201);
    const pub = await t.call('POST', `${url(res.body.id)}/publish`, { as: manager });
    expect(pub.status).toBe(422);
    expect(pub.body.errors.map((e: { path: string }) => e.path)).toEqual(['conditions']);
    expect((await t.call('GET', url(res.body.id), { as: manager })).body.publicationState).toBe('draft');
  });

  it('refuses to create-and-publish an incomplete collection through import', async () => {
    const res = await t.call('POST', '/api/v1/import', {
      as: manager,
      body: { publish: true, collections: [validCollection(site, { conditions: [], xnat: xnat(uid('IMPC').replace('-', '_')) })] },
    });
    expect(res.body.records[0]).toMatchObject({ outcome: 'created' });
    expect(res.body.records[0].warnings.map((w: { path: string }) => w.path)).toEqual(['conditions']);
    expect((await t.call('GET', url(res.body.records[0].id), { as: manager })).body.publicationState).toBe('draft');
  });

  it('keeps a published collection complete: an update that drops a required field is refused', async () => {
    const c = await t.collection(site, { xnat: xnat(uid('KEEP').replace('-', '_')) }, { as: manager });
    for (const drop of [{ conditions: [] }, { modalities: [] }, { subjectsCount: undefined }]) {
      const res = await t.call('PUT', url(c.id), {
        as: manager,
        body: { ...editable(c), ...drop },
        headers: { 'if-match': `"${c.revision}"` },
      });
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/must stay complete/);
    }
    expect((await t.call('GET', url(c.id))).body.revision).toBe(c.revision);
  });

  it('lets a draft be saved incomplete', async () => {
    const d = await t.collection(site, { xnat: xnat(uid('DRAFT').replace('-', '_')) }, { as: manager, publish: false });
    const res = await t.call('PUT', url(d.id), {
      as: manager,
      body: { ...editable(d), conditions: [] },
      headers: { 'if-match': `"${d.revision}"` },
    });
    expect(res.status).toBe(200);
  });
});

describe('drafts are hidden from outsiders in queries (SQL), not only in reads', () => {
  it('never lists a public draft to anonymous callers, researchers or other providers, even when asked for drafts', async () => {
    const p = await t.provider();
    const dm = await t.user({ providerIds: [p] });
    const draft = await t.collection(p, { xnat: xnat(uid('HID').replace('-', '_')) }, { as: dm, publish: false });
    const pub = await t.collection(p, { xnat: xnat(uid('SHOWN').replace('-', '_')) }, { as: dm });
    const other = await t.user({ providerIds: [site] });
    for (const as of [undefined, await t.user(), other]) {
      for (const q of [`providerId=${p}`, `providerId=${p}&state=draft`]) {
        const res = await t.call('GET', `/api/v1/collections?${q}&limit=200`, { as });
        expect(res.status).toBe(200);
        const ids = res.body.items.map((i: { id: string }) => i.id);
        expect(ids).not.toContain(draft.id);
        if (!q.includes('draft')) expect(ids).toContain(pub.id);
      }
    }
    for (const as of [dm, admin]) {
      const res = await t.call('GET', `/api/v1/collections?providerId=${p}&state=draft`, { as });
      expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([draft.id]);
    }
  });
});

describe('one catalogue entry per XNAT project and provider ("already catalogued")', () => {
  it('refuses a second collection for the same project, on create and on update', async () => {
    const project = uid('ONCE').replace('-', '_');
    const first = await t.collection(site, { xnat: xnat(project) }, { as: manager });
    const again = await t.call('POST', '/api/v1/collections', {
      as: manager,
      body: { ...validCollection(site, { xnat: xnat(project) }), id: `${site}:collection:another-id` },
    });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ path: 'xnat.projectId', message: 'already catalogued by this provider' }]);
    const second = await t.collection(site, { xnat: xnat(uid('TWO').replace('-', '_')) }, { as: manager });
    const moved = await t.call('PUT', url(second.id), {
      as: manager,
      body: { ...editable(second), xnat: xnat(project) },
      headers: { 'if-match': `"${second.revision}"` },
    });
    expect(moved.status).toBe(409);
    expect(moved.body.errors[0].path).toBe('xnat.projectId');
    // Re-saving the first one with its own project is not a clash.
    const self = await t.call('PUT', url(first.id), {
      as: manager,
      body: { ...editable(first), title: 'Still mine' },
      headers: { 'if-match': `"${first.revision}"` },
    });
    expect(self.status).toBe(200);
  });
});

describe('import outcomes', () => {
  it('reports created, unchanged, updated and rejected, and a dry run of an update writes nothing', async () => {
    const record = validCollection(site, { xnat: xnat(uid('IMP').replace('-', '_')) });
    const created = await t.call('POST', '/api/v1/import', { as: manager, body: { publish: true, collections: [record] } });
    expect(created.body).toMatchObject({ created: 1, updated: 0, unchanged: 0, rejected: 0, dryRun: false });
    const id = created.body.records[0].id;
    const before = await t.call('GET', url(id), { as: manager });
    expect(before.body.publicationState).toBe('published');

    const same = await t.call('POST', '/api/v1/import', { as: manager, body: { publish: true, collections: [record] } });
    expect(same.body.records[0].outcome).toBe('unchanged');

    const changed = { ...record, title: 'Renamed by import' };
    const historyBefore = await t.call('GET', `${url(id)}/revisions`, { as: manager });
    expect(historyBefore.status).toBe(200);
    const dry = await t.call('POST', '/api/v1/import', { as: manager, body: { dryRun: true, publish: true, collections: [changed] } });
    expect(dry.body).toMatchObject({ updated: 1, dryRun: true });
    const untouched = await t.call('GET', url(id), { as: manager });
    expect(untouched.body).toMatchObject({ title: before.body.title, revision: before.body.revision });
    expect((await t.call('GET', `${url(id)}/revisions`, { as: manager })).body).toEqual(historyBefore.body);

    const real = await t.call('POST', '/api/v1/import', { as: manager, body: { publish: true, collections: [changed] } });
    expect(real.body.records[0].outcome).toBe('updated');
    const after = await t.call('GET', url(id), { as: manager });
    expect(after.body).toMatchObject({ title: 'Renamed by import', revision: before.body.revision + 1 });

    const bad = await t.call('POST', '/api/v1/import', { as: manager, body: { collections: [{ ...changed, subjectsCount: -1 }] } });
    expect(bad.body.records[0]).toMatchObject({ outcome: 'rejected', code: 'validation_failed' });
    expect(bad.body.records[0].errors.map((e: { path: string }) => e.path)).toContain('subjectsCount');
    expect((await t.call('GET', url(id), { as: manager })).body.revision).toBe(before.body.revision + 1);
  });

  it('refuses outsiders even a no-op: an unchanged copy of a public collection is rejected, not reported unchanged', async () => {
    const record = validCollection(site, { xnat: xnat(uid('NOOP').replace('-', '_')) });
    const created = await t.call('POST', '/api/v1/import', { as: manager, body: { publish: true, collections: [record] } });
    expect(created.body.records[0].outcome).toBe('created');
    const otherManager = await t.user({ providerIds: [await t.provider()] });
    for (const as of [await t.user(), otherManager]) {
      const res = await t.call('POST', '/api/v1/import', { as, body: { publish: true, collections: [record] } });
      expect(res.body.records[0]).toMatchObject({ outcome: 'rejected', code: 'forbidden' });
    }
    const own = await t.call('POST', '/api/v1/import', { as: manager, body: { publish: true, collections: [record] } });
    expect(own.body.records[0].outcome).toBe('unchanged');
  });

  it('answers an id of a collection the importer may not see exactly as an id that does not exist', async () => {
    const hidden = await t.collection(site, { xnat: { ...xnat(uid('HID').replace('-', '_')), visibility: 'private' } }, { as: manager });
    const elsewhere = await t.provider();
    const outsider = await t.user({ providerIds: [elsewhere] });
    const attempt = async (id: string) => {
      const doc = { ...validCollection(elsewhere, { xnat: xnat(uid('MINE').replace('-', '_')) }), id };
      const res = await t.call('POST', '/api/v1/import', { as: outsider, body: { collections: [doc] } });
      const { outcome, code, errors } = res.body.records[0];
      return { outcome, code, errors };
    };
    const seen = await attempt(hidden.id);
    expect(seen).toEqual(await attempt(`${site}:collection:no_such_project`));
    expect(seen).toMatchObject({ outcome: 'rejected', code: 'validation_failed' });
  });
});
