/**
 * The policy's three forms agree. Generated: every actor shape (anonymous; signed in with no role,
 * data manager or viewer at each of two providers; admin or not) × every collection state
 * (visibility × publication state × provider) × every collection rule. The SQL condition runs on a
 * real PostgreSQL holding those rows, the Meilisearch filter on a real Meilisearch index (with the
 * production index settings) holding the same documents; both must select exactly the records the
 * predicate allows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, userActor, type Actor, type Membership } from '../../server/auth/actor.js';
import { collection, provider } from '../../server/db/schema.js';
import { can, collectionMeiliFilter, collectionSql, type CollectionRule } from '../../server/policy/index.js';
import { COLLECTION_GRANTS } from '../../server/policy/rules.js';
import { SearchIndex, waitOk } from '../../server/search/meili-index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestMeili, type TestMeili } from '../helpers/search.js';

const PROVIDERS = ['pa', 'pb'];
const VISIBILITIES = ['public', 'protected', 'private'];
const STATES = ['draft', 'published', 'withdrawn'];
const RULES = Object.keys(COLLECTION_GRANTS) as CollectionRule[];

const records = PROVIDERS.flatMap((providerId) =>
  VISIBILITIES.flatMap((visibility) =>
    STATES.map((publicationState) => ({
      id: `${providerId}:collection:${visibility}-${publicationState}`,
      providerId,
      visibility,
      publicationState,
    })),
  ),
);

/** Every combination of (no role | data_manager | viewer) at each provider, with and without admin, plus anonymous. */
function actors(): { name: string; actor: Actor }[] {
  const roles = [undefined, 'data_manager', 'viewer'] as const;
  const out: { name: string; actor: Actor }[] = [{ name: 'anonymous', actor: ANONYMOUS }];
  for (const isAdmin of [false, true]) {
    for (const ra of roles) {
      for (const rb of roles) {
        const memberships: Membership[] = [];
        if (ra) memberships.push({ providerId: 'pa', role: ra });
        if (rb) memberships.push({ providerId: 'pb', role: rb });
        const name = `${isAdmin ? 'admin' : 'user'}[pa=${ra ?? '-'},pb=${rb ?? '-'}]`;
        out.push({ name, actor: userActor({ id: name, name, isAdmin, memberships }) });
      }
    }
  }
  return out;
}

let tdb: TestDatabase;
let meili: TestMeili;
let index: SearchIndex;

beforeAll(async () => {
  tdb = await createTestDatabase();
  meili = await startTestMeili();
  const db = tdb.database.db;
  for (const id of PROVIDERS) await db.insert(provider).values({ id, name: id, doc: { id, name: id } });
  await db.insert(collection).values(
    records.map((r) => ({
      ...r,
      xnatInstance: 'https://xnat.test.org',
      xnatProjectId: r.id,
      title: r.id,
      doc: {},
      derived: {},
    })),
  );
  index = new SearchIndex(meili.meili.connection().client, 'policy_agreement');
  await index.createWithSettings(index.name);
  await waitOk(index.index().addDocuments(records.map((r) => ({ key: r.id.replace(/[:.]/g, '_'), ...r })) as never), 'add documents');
}, 60_000);

afterAll(async () => {
  index?.close();
  await meili?.destroy();
  await tdb?.drop();
});

describe('policy: predicate, SQL and Meilisearch filter agree', () => {
  const all = actors();

  it('covers every actor shape, record state and rule', () => {
    expect(all).toHaveLength(19);
    expect(records).toHaveLength(18);
    expect(RULES).toEqual(['view', 'read', 'edit', 'publish', 'withdraw', 'delete', 'history']);
  });

  for (const rule of RULES) {
    it(`"${rule}": the same records for every actor`, async () => {
      const seen = new Set<string>();
      for (const { name, actor } of all) {
        const expected = records
          .filter((r) => can(actor, rule, r))
          .map((r) => r.id)
          .sort();
        const sqlRows = await tdb.database.db.select({ id: collection.id }).from(collection).where(collectionSql(actor, rule));
        const filter = collectionMeiliFilter(actor, rule);
        const res = await index.search({ q: '', limit: 100, ...(filter ? { filter } : {}), attributesToRetrieve: ['id'] });
        const fromSql = sqlRows.map((r) => r.id).sort();
        const fromMeili = res.hits.map((h) => String(h.id)).sort();
        expect({ actor: name, rule, sql: fromSql }).toEqual({ actor: name, rule, sql: expected });
        expect({ actor: name, rule, meili: fromMeili }).toEqual({ actor: name, rule, meili: expected });
        seen.add(expected.join(','));
      }
      // The rule discriminates: not every actor gets the same answer.
      expect(seen.size).toBeGreaterThan(1);
    });
  }
});
