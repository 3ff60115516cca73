/**
 * The authorization matrix (issue 12): every route of the OpenAPI document × actor (anonymous,
 * researcher, data manager and viewer of this provider, data manager of another provider, admin) ×
 * collection state (public / protected / private × draft / published / withdrawn, for routes about a
 * collection), each answered with the status the policy predicts, reads and writes. Routes join by
 * declaration in test/authz/*.ts; a route without a declaration (or a declaration without a route)
 * fails here.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userActor, type Actor } from '../../server/auth/actor.js';
import { parseCollectionInput, rowFields } from '../../server/catalogue/collections.js';
import * as q from '../../server/catalogue/queries.js';
import { collection } from '../../server/db/schema.js';
import { jobsModule, type JobEngine } from '../../server/jobs/index.js';
import { accessModule, grantStateChanged } from '../../server/access/index.js';
import { systemCtx } from '../helpers/access.js';
import { metricsModule } from '../../server/metrics/index.js';
import { harvestingModule } from '../../server/oai/index.js';
import { xnatModule } from '../../server/xnat/index.js';
import { validCollection, uid } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestJobs } from '../helpers/jobs.js';
import { buildSearchTestApp, startTestMeili, type SearchTestApp, type TestMeili } from '../helpers/search.js';
import { expectOneToOne } from '../authz/coverage.js';
import { ACTOR_NAMES, type ActorName, type AuthzEntry, type Fixture } from '../authz/types.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'authz');
const entries: AuthzEntry[] = [];
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'types.ts')
  .sort()) {
  const mod = (await import(path.join(dir, file))) as { entries?: AuthzEntry[] };
  entries.push(...(mod.entries ?? []));
}
const keyOf = (method: string, p: string) => `${method.toUpperCase()} ${p.replace(/:([A-Za-z]+)/g, '{$1}')}`;

const VISIBILITIES = ['public', 'protected', 'private'] as const;
const STATES = ['draft', 'published', 'withdrawn'] as const;

let tdb: TestDatabase;
let meili: TestMeili;
let t: SearchTestApp;
let jobs: JobEngine;
let P: string;
let Q: string;
const users = {} as Record<ActorName, string | undefined>;
const actors = {} as Record<ActorName, Actor>;
let bystander: string;
let accessCollectionId: string;

beforeAll(async () => {
  [tdb, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
  jobs = await startTestJobs(tdb, [], { work: false });
  // Every module server/main.ts mounts, so every route of the app is in the matrix.
  t = await buildSearchTestApp(tdb.database, meili, {}, [
    jobsModule(jobs),
    harvestingModule(tdb.database.db, { publicUrl: 'https://catalogue.test.org', repositoryName: 'Matrix catalogue', pageSize: 50 }),
    xnatModule,
    metricsModule,
    accessModule(),
  ]);
  P = await t.provider();
  Q = await t.provider();
  users.anonymous = undefined;
  users.researcher = await t.user();
  users.managerHere = await t.user({ providerIds: [P] });
  users.viewerHere = await t.user({ viewerOf: [P] });
  users.managerElsewhere = await t.user({ providerIds: [Q] });
  users.admin = await t.user({ admin: true });
  bystander = await t.user();
  actors.anonymous = { kind: 'anonymous' };
  actors.researcher = userActor({ id: users.researcher, name: 'r' });
  actors.managerHere = userActor({ id: users.managerHere, name: 'm', memberships: [{ providerId: P, role: 'data_manager' }] });
  actors.viewerHere = userActor({ id: users.viewerHere, name: 'v', memberships: [{ providerId: P, role: 'viewer' }] });
  actors.managerElsewhere = userActor({ id: users.managerElsewhere, name: 'o', memberships: [{ providerId: Q, role: 'data_manager' }] });
  actors.admin = userActor({ id: users.admin, name: 'a', isAdmin: true });
  accessCollectionId = (await t.collection(P, { accessRights: 'RESTRICTED' } as never)).id;
  const net = await t.call('POST', '/api/v1/networks', {
    as: users.admin,
    body: { id: 'net-matrix', kind: 'project', name: 'Matrix network' },
  });
  expect(net.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await t?.search.stop();
  await jobs?.stop();
  await Promise.all([meili?.destroy(), tdb?.drop()]);
});

const collectionDoc = (providerId: string, overrides: Record<string, unknown> = {}) =>
  validCollection(providerId, {
    xnat: { instance: 'https://xnat.test.org', projectId: uid('p').replace('-', '_'), visibility: 'public' },
    ...overrides,
  }) as Record<string, unknown>;

/** A fresh collection of P in this state, written straight to the table (and queued for the index). */
async function freshRecord(visibility: string, publicationState: string): Promise<Fixture['record']> {
  const projectId = uid('m').replace('-', '_');
  const title = `Matrix ${uid('x').slice(2)} ${visibility} ${publicationState}`;
  const parsed = parseCollectionInput(collectionDoc(P, { title, xnat: { instance: 'https://xnat.test.org', projectId, visibility } }));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const id = `${P}:collection:${projectId.toLowerCase()}`;
  const now = new Date();
  await q.insertCollection(t.database.db, {
    id,
    ...rowFields({ ...parsed.fields, id }),
    publicationState,
    publishedAt: publicationState === 'draft' ? null : now,
    withdrawnAt: publicationState === 'withdrawn' ? now : null,
    withdrawnReason: publicationState === 'withdrawn' ? 'matrix' : null,
  });
  await q.enqueueIndexUpdate(t.database.db, [id]);
  return { id, title, providerId: P, visibility, publicationState };
}

async function removeRecord(id: string) {
  await t.database.db.delete(collection).where(eq(collection.id, id));
  await q.enqueueIndexUpdate(t.database.db, [id]);
}

function fixture(record: Fixture['record']): Fixture {
  return {
    providerId: P,
    otherProviderId: Q,
    record,
    users,
    bystander,
    uid,
    collectionDoc,
    indexed: async () => void (await t.drain()),
    accessCollectionId,
    call: (method, p, opts = {}) => t.call(method, p, opts),
    activate: async (itemId) => void (await grantStateChanged(systemCtx(t.database, jobs), { itemId, state: 'active' })),
  };
}

/** One cell: call the route as `who`, compare with the policy; a mismatch is returned as text. */
async function cell(e: AuthzEntry, who: ActorName, f: Fixture): Promise<string | null> {
  const req = e.request(f, e.setup ? await e.setup(f) : {});
  const res = await t.call(e.method.toUpperCase(), req.path, { as: users[who], body: req.body, headers: req.headers });
  const want = e.expected(actors[who], f);
  const where = `${who} × ${f.record.visibility}/${f.record.publicationState}`;
  if (res.status !== want) return `${where}: ${res.status} (want ${want}) ${JSON.stringify(res.body)?.slice(0, 200)}`;
  if (res.status < 300 && e.check) {
    try {
      e.check(res, actors[who], f);
    } catch (err) {
      return `${where}: ${(err as Error).message.split('\n')[0]}`;
    }
  }
  return null;
}

describe('authorization matrix', () => {
  it('has a declaration for every route of the OpenAPI document, and a route for every declaration', () => {
    const doc = t.openapi() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => keyOf(m, p)));
    expectOneToOne(
      routes,
      entries.map((e) => keyOf(e.method, e.path)),
      { undeclared: 'routes without an authorization declaration', orphaned: 'declarations without a route' },
    );
  });

  for (const e of entries) {
    it(`${keyOf(e.method, e.path)}: every actor${e.over === 'collection' ? ' × collection state' : ''} gets the policy's answer`, async () => {
      const wrong: string[] = [];
      if (e.over === 'collection') {
        for (const visibility of VISIBILITIES) {
          for (const state of STATES) {
            // Reads share one record per state; writes get a fresh record per cell.
            const reads = e.method === 'get';
            let record = reads ? await freshRecord(visibility, state) : undefined;
            if (record && e.needsIndex) await t.drain();
            for (const who of ACTOR_NAMES) {
              const r = record ?? (await freshRecord(visibility, state));
              const f = fixture(r);
              if (!reads && e.needsIndex) await f.indexed();
              const problem = await cell(e, who, f);
              if (problem) wrong.push(problem);
              if (!reads) await removeRecord(r.id);
            }
            if (record) await removeRecord(record.id);
            record = undefined;
          }
        }
      } else {
        const f = fixture({ id: 'none', title: 'none', providerId: P, visibility: 'public', publicationState: 'published' });
        for (const who of ACTOR_NAMES) {
          const problem = await cell(e, who, f);
          if (problem) wrong.push(problem);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
