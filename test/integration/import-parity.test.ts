/**
 * Import and the single-record API are one write path: each rule of PUT / publish / withdraw,
 * tried through the verb's endpoint and through the import (real and dry run), gives the same
 * refusal, and neither path changes the collection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionInput } from '../../schemas/collection.js';
import type { ErrorCode } from '../../schemas/common.js';
import { systemContext, withTransaction } from '../../server/core/context.js';
import { DomainError } from '../../server/core/errors.js';
import { provider } from '../../server/db/schema.js';
import { statusOf } from '../../server/http/problem.js';
import { buildTestApp, uid, validCollection, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let t: TestApp;
let site: string;
let otherSite: string;
let manager: string;
let outsider: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp(tdb.database);
  site = await t.provider();
  otherSite = await t.provider();
  manager = await t.user({ providerIds: [site] });
  outsider = await t.user({ providerIds: [otherSite] });
});
afterAll(async () => tdb.drop());

type Stored = { id: string; revision: number; xnat: CollectionInput['xnat'] } & Record<string, unknown>;
const url = (id: string) => `/api/v1/collections/${encodeURIComponent(id)}`;
/** The document as a client would send it back (server-set members removed). */
const docOf = (c: Stored): CollectionInput => {
  const {
    publicationState: _p,
    derived: _d,
    createdAt: _c,
    modifiedAt: _m,
    publishedAt: _pa,
    revision: _r,
    withdrawnAt: _w,
    withdrawnReason: _wr,
    actions: _a,
    ...doc
  } = c;
  return doc as unknown as CollectionInput;
};

interface Case {
  rule: string;
  code: ErrorCode;
  /** The collection as it stands before the attempt. */
  setup: () => Promise<Stored>;
  /** The document both paths try to write. */
  doc: (c: Stored) => Promise<unknown> | unknown;
  /** The single-record call that applies the rule (default: PUT with the current ETag). */
  verb?: (c: Stored, doc: unknown) => Promise<{ status: number; body: { code?: string } }>;
  as?: () => string;
}

const published = () => t.collection(site, {}, { as: manager }) as Promise<Stored>;
const cases: Case[] = [
  {
    rule: 'a withdrawn collection is a tombstone: no edits until it is published again',
    code: 'conflict',
    setup: async () => {
      const c = await published();
      const w = await t.call('POST', `${url(c.id)}/withdraw`, { as: manager, body: { reason: 'Consent withdrawn' } });
      return w.body;
    },
    doc: (c) => ({ ...docOf(c), title: 'Rewritten tombstone' }),
  },
  {
    rule: 'a published collection must stay complete (conditions, access rights)',
    code: 'validation_failed',
    setup: published,
    doc: (c) => {
      const { conditions: _c, accessRights: _a, ...rest } = docOf(c);
      return { ...rest, conditions: [] };
    },
  },
  {
    rule: 'fields must be valid',
    code: 'validation_failed',
    setup: published,
    doc: (c) => ({ ...docOf(c), subjectsCount: 'many' }),
  },
  {
    rule: 'references must exist',
    code: 'validation_failed',
    setup: published,
    doc: (c) => ({ ...docOf(c), networkIds: ['no-such-network'] }),
  },
  {
    rule: 'a collection cannot move to another provider',
    code: 'validation_failed',
    setup: published,
    doc: (c) => ({ ...docOf(c), providerId: otherSite }),
  },
  {
    rule: 'one XNAT project is catalogued once per provider',
    code: 'conflict',
    setup: published,
    doc: async (c) => {
      const other = (await published()) as Stored;
      return { ...docOf(c), xnat: other.xnat };
    },
  },
  {
    rule: 'only data managers of the provider (or admins) may write',
    code: 'forbidden',
    setup: published,
    doc: (c) => ({ ...docOf(c), title: 'Not mine to change' }),
    as: () => outsider,
  },
  {
    rule: 'publishing needs the core fields (publish of an incomplete draft / import over a published record)',
    code: 'validation_failed',
    setup: published,
    doc: (c) => {
      const { modalities: _m, subjectsCount: _s, ...rest } = docOf(c);
      return { ...rest, modalities: [] };
    },
    verb: async (c, doc) => {
      // Through the publish endpoint: a draft with the same gaps cannot be published either.
      const draft = await t.call('POST', '/api/v1/collections', {
        as: manager,
        body: { ...(doc as object), id: undefined, xnat: { ...c.xnat, projectId: uid('D').replace('-', '_') } },
      });
      expect(draft.status).toBe(201);
      return t.call('POST', `${url(draft.body.id)}/publish`, { as: manager });
    },
  },
];

describe('import and the single-record API refuse the same writes', () => {
  for (const k of cases) {
    it(`${k.rule} → ${k.code} (${statusOf(k.code)}) on both paths`, async () => {
      const c = await k.setup();
      const doc = await k.doc(c);
      const as = k.as?.() ?? manager;
      const viaVerb = k.verb
        ? await k.verb(c, doc)
        : await t.call('PUT', url(c.id), { as, body: doc, headers: { 'if-match': `"${c.revision}"` } });
      expect(viaVerb.status).toBe(statusOf(k.code));
      expect(viaVerb.body.code).toBe(k.code);
      for (const dryRun of [true, false]) {
        const viaImport = await t.call('POST', '/api/v1/import', { as, body: { collections: [doc], dryRun } });
        expect(viaImport.status).toBe(200);
        expect(viaImport.body.records[0]).toMatchObject({ outcome: 'rejected', code: k.code });
      }
      const after = await t.call('GET', url(c.id), { as: manager });
      expect(after.body.revision).toBe(c.revision);
      expect(after.body.publicationState).toBe(c.publicationState);
    });
  }

  it('the same documents, made valid, go through both paths', async () => {
    const c = await published();
    const doc = { ...docOf(c), title: 'Renamed by import' };
    const res = await t.call('POST', '/api/v1/import', { as: manager, body: { collections: [doc] } });
    expect(res.body.records[0]).toMatchObject({ outcome: 'updated', id: c.id });
    const after = await t.call('GET', url(c.id));
    expect(after.body).toMatchObject({ title: 'Renamed by import', revision: c.revision + 1, publicationState: 'published' });
    const again = await t.call('PUT', url(c.id), {
      as: manager,
      body: { ...doc, title: 'Renamed by PUT' },
      headers: { 'if-match': `"${c.revision + 1}"` },
    });
    expect(again.status).toBe(200);
  });

  it('reports an unchanged record only to those who may write it', async () => {
    const c = await published();
    const res = await t.call('POST', '/api/v1/import', { as: outsider, body: { collections: [docOf(c)] } });
    expect(res.body.records[0]).toMatchObject({ outcome: 'rejected', code: 'forbidden' });
    expect((await t.call('POST', '/api/v1/import', { as: manager, body: { collections: [docOf(c)] } })).body.records[0].outcome).toBe(
      'unchanged',
    );
  });

  it('reports a refusal the way the API does, never leaking private collections of other providers', async () => {
    const hidden = (await t.collection(otherSite, {
      xnat: { instance: 'https://xnat.test.org', projectId: uid('H').replace('-', '_'), visibility: 'private' },
    })) as Stored;
    const res = await t.call('POST', '/api/v1/import', { as: manager, body: { collections: [{ ...docOf(hidden), title: 'probe' }] } });
    const unknown = await t.call('POST', '/api/v1/import', {
      as: manager,
      body: { collections: [{ ...docOf(hidden), id: `${otherSite}:collection:never_was`, title: 'probe' }] },
    });
    expect(res.body.records[0]).toMatchObject({ outcome: 'rejected', code: 'forbidden' });
    expect(unknown.body.records[0].code).toBe(res.body.records[0].code);
    expect(unknown.body.records[0].errors).toEqual(res.body.records[0].errors);
  });
});

describe('unique indexes behind the verbs', () => {
  it('turns a unique violation that raced past a check into the same 409, never a 500', async () => {
    const body = validCollection(site, {
      xnat: { instance: 'https://xnat.race.org', projectId: uid('R').replace('-', '_'), visibility: 'public' },
    });
    const results = await Promise.all([0, 1, 2].map(() => t.call('POST', '/api/v1/collections', { as: manager, body })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'conflict')).toBe(true);
  });

  it('maps 23505 inside withTransaction to a conflict DomainError', async () => {
    const ctx = systemContext(tdb.database.db, { kind: 'user', id: 'x', name: 'x', isAdmin: true, memberships: [] });
    const write = withTransaction(ctx, async (tx) => {
      await tx.db.insert(provider).values({ id: site, name: 'dup', doc: {} });
    });
    await expect(write).rejects.toBeInstanceOf(DomainError);
    await expect(write).rejects.toMatchObject({ code: 'conflict' });
  });
});
