/**
 * Tightening is immediate: once a write that hides a collection from someone returns, search never
 * shows it to them again — not in hits, totals, facet counts, facet-value search or suggestions —
 * whatever the index lag. The outbox worker does not run here (maximum lag): the index still holds
 * the old state during every check. Loosening may lag until the worker catches up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripSystem } from '../helpers/app.js';
import { searchSiteBed, type SearchSiteBed, type SearchTestApp } from '../helpers/search.js';

let bed: SearchSiteBed;
let t: SearchTestApp;
let site: string;
let manager: string;
let outsider: string;

beforeAll(async () => {
  bed = await searchSiteBed();
  ({ t, site, manager, outsider } = bed);
});
afterAll(async () => bed?.close());

let n = 0;
const create = async (title: string, bodyPart: string, visibility: 'public' | 'private' = 'public') => {
  const c = await t.collection(
    site,
    { title, bodyParts: [bodyPart], xnat: { instance: 'https://xnat.test.org', projectId: `TIGHT_${n++}`, visibility } },
    { as: manager },
  );
  // The facet value is the body part's code.
  return { ...c, part: (c.bodyParts[0].code ?? c.bodyParts[0].label) as string };
};

async function setVisibility(id: string, visibility: 'public' | 'private') {
  const path = `/api/v1/collections/${encodeURIComponent(id)}`;
  const cur = await t.call('GET', path, { as: manager });
  const doc = { ...stripSystem(cur.body), xnat: { ...cur.body.xnat, visibility } };
  const res = await t.call('PUT', path, { as: manager, body: doc, headers: { 'if-match': `"${cur.body.revision}"` } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** Everything search tells this actor about the word `word` and the body part `part`. */
async function seen(as: string | undefined, word: string, part: string) {
  const [s, f, g] = await Promise.all([
    t.call('GET', `/api/v1/search?q=${word}`, { as }),
    t.call('GET', `/api/v1/search/facets/bodyPart?q=${encodeURIComponent(part.slice(0, 3))}`, { as }),
    t.call('GET', `/api/v1/search/suggest?q=${word}`, { as }),
  ]);
  expect([s.status, f.status, g.status]).toEqual([200, 200, 200]);
  const all = await t.call('GET', '/api/v1/search', { as });
  return {
    hits: s.body.hits.length,
    total: s.body.total,
    facet: all.body.facets.bodyPart[part] ?? 0,
    facetSearch: f.body.values.find((v: { value: string }) => v.value === part)?.count ?? 0,
    suggestions: g.body.suggestions.length,
  };
}
const NOTHING = { hits: 0, total: 0, facet: 0, facetSearch: 0, suggestions: 0 };

async function neverSeenAgain(who: (string | undefined)[], word: string, part: string) {
  let checks = 0;
  for (let i = 0; i < 20; i++) {
    for (const as of who) {
      expect(await seen(as, word, part)).toEqual(NOTHING);
      checks++;
    }
  }
  expect(checks).toBe(20 * who.length);
}

describe('a change that hides a collection shows at once in search', () => {
  it('made private: gone for anonymous and outsiders at once, still found by its data managers', async () => {
    const c = await create('Zanzibarian thyroid cohort', 'Thyroid');
    await t.drain();
    expect(await seen(undefined, 'zanzibarian', c.part)).toEqual({ hits: 1, total: 1, facet: 1, facetSearch: 1, suggestions: 1 });

    await setVisibility(c.id, 'private');
    // The index still has it as public (nothing drained): the exclusion alone hides it.
    expect((await t.search.worker.pending()) > 0).toBe(true);
    await neverSeenAgain([undefined, outsider], 'zanzibarian', c.part);
    expect((await seen(manager, 'zanzibarian', c.part)).hits).toBe(1);

    // Once the index caught up, the same.
    await t.drain();
    expect(await seen(undefined, 'zanzibarian', c.part)).toEqual(NOTHING);
  });

  it('withdrawn: gone at once', async () => {
    const c = await create('Quetzalcoatl adrenal series', 'Adrenal gland');
    await t.drain();
    expect((await seen(undefined, 'quetzalcoatl', c.part)).hits).toBe(1);
    const w = await t.call('POST', `/api/v1/collections/${encodeURIComponent(c.id)}/withdraw`, {
      as: manager,
      body: { reason: 'consent withdrawn' },
    });
    expect(w.status).toBe(200);
    await neverSeenAgain([undefined, outsider, manager], 'quetzalcoatl', c.part);
  });

  it('loosening may lag, and shows once the index catches up', async () => {
    const c = await create('Xylophonic kidney scans', 'Kidney', 'private');
    await t.drain();
    expect((await seen(undefined, 'xylophonic', c.part)).hits).toBe(0);
    await setVisibility(c.id, 'public');
    await t.drain();
    expect((await seen(undefined, 'xylophonic', c.part)).hits).toBe(1);
  });

  it('holds while the worker is applying the changes concurrently', async () => {
    const c = await create('Wolframite pancreas atlas', 'Pancreas');
    await t.drain();
    await setVisibility(c.id, 'private');
    const draining = t.drain();
    await neverSeenAgain([undefined], 'wolframite', c.part);
    await draining;
  });
});

describe('facet values with equal counts', () => {
  it('are ordered by value, so hidden collections never reorder the visible ones', async () => {
    await create('Tie A', 'Spleen');
    await create('Tie B', 'Bladder');
    await create('Tie C', 'Ovary');
    await t.drain();
    const order = async () => Object.keys((await t.call('GET', '/api/v1/search')).body.facets.bodyPart);
    const before = await order();
    for (const part of ['Esophagus', 'Uterus', 'Bladder', 'Ovary', 'Colon']) await create(`Hidden ${part}`, part, 'private');
    await t.drain();
    expect(await order()).toEqual(before);
    const counts = (await t.call('GET', '/api/v1/search')).body.facets.bodyPart as Record<string, number>;
    const entries = Object.entries(counts);
    for (let i = 1; i < entries.length; i++) {
      const [[va, a], [vb, b]] = [entries[i - 1]!, entries[i]!];
      expect(a > b || (a === b && va < vb)).toBe(true);
    }
  });
});
