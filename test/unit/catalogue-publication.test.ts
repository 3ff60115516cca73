import { describe, expect, it } from 'vitest';
import type { CollectionFields } from '../../schemas/collection.js';
import {
  changedFields,
  datestampsFor,
  decodeCursor,
  encodeCursor,
  etagOf,
  idNamespaceProblem,
  outsiderView,
  parseIfMatch,
  NO_DESCRIPTION,
  publicationProblems,
  stableJson,
  transitionProblem,
} from '../../server/catalogue/rules.js';

/** Only the fields the `core` profile looks at; the rest of the document does not matter here. */
const complete = {
  description: 'Low-dose chest CT of screening participants.',
  modalities: [{ code: 'CT' }],
  bodyParts: [{ code: 'LUNG' }],
  conditions: [{ code: 'C34' }],
  subjectsCount: 12,
  accessRights: 'restricted',
} as unknown as CollectionFields;
const without = (patch: Partial<Record<keyof CollectionFields, unknown>>) => ({ ...complete, ...patch }) as CollectionFields;
const paths = (f: CollectionFields) => publicationProblems(f).map((e) => e.path);

describe('what a collection needs before it can be published (core profile)', () => {
  it('accepts a complete collection', () => {
    expect(publicationProblems(complete)).toEqual([]);
  });

  it.each([
    ['modalities', { modalities: [] }],
    ['bodyParts', { bodyParts: [] }],
    ['conditions', { conditions: [] }],
    ['subjectsCount', { subjectsCount: undefined }],
    ['accessRights', { accessRights: undefined }],
    ['description', { description: NO_DESCRIPTION }],
    ['description', { description: `  ${NO_DESCRIPTION}\n` }],
  ] as const)('refuses to publish without %s, naming only that field', (path, patch) => {
    const problems = publicationProblems(without(patch));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path, code: 'required_to_publish' });
    expect(problems[0]!.message).toMatch(/needed to publish/);
  });

  it('accepts zero subjects (a count, not a presence flag)', () => {
    expect(paths(without({ subjectsCount: 0 }))).toEqual([]);
  });

  it('lists every missing field at once, in form order', () => {
    const empty = without({ description: NO_DESCRIPTION, modalities: [], bodyParts: [], conditions: [], subjectsCount: undefined, accessRights: undefined });
    expect(paths(empty)).toEqual(['description', 'modalities', 'bodyParts', 'conditions', 'subjectsCount', 'accessRights']);
  });
});

describe('life-cycle transitions (every state × every action)', () => {
  const table = {
    draft: { publish: true, withdraw: false, delete: true, edit: true },
    published: { publish: false, withdraw: true, delete: false, edit: true },
    withdrawn: { publish: true, withdraw: false, delete: false, edit: false },
  } as const;
  for (const [state, actions] of Object.entries(table)) {
    for (const [action, allowed] of Object.entries(actions)) {
      it(`${allowed ? 'allows' : 'refuses'} ${action} on a ${state} collection`, () => {
        const problem = transitionProblem(state as keyof typeof table, action as keyof typeof actions);
        if (allowed) expect(problem).toBeNull();
        else expect(problem).toMatch(/\w/);
      });
    }
  }
  it('explains refusals in words the editor can act on', () => {
    expect(transitionProblem('published', 'publish')).toMatch(/already published/);
    expect(transitionProblem('draft', 'withdraw')).toMatch(/only published .* \(this one is draft\)/);
    expect(transitionProblem('published', 'delete')).toMatch(/only drafts .* withdraw/);
    expect(transitionProblem('withdrawn', 'edit')).toMatch(/tombstone/);
  });
});

describe('ETags and If-Match', () => {
  it('issues strong tags', () => {
    expect(etagOf(3)).toBe('"3"');
  });
  it.each([
    ['"3"', 3],
    ['W/"3"', 3],
    [' "42" ', 42],
    ['*', '*'],
    [' * ', '*'],
  ] as const)('reads %j as %j', (header, expected) => {
    expect(parseIfMatch(header)).toBe(expected);
  });
  it.each(['', '3', '"3', 'x"3"', '"3"x', 'W/3', 'w/"3"', '"a"', '"3", "4"'])('ignores the unparseable %j', (header) => {
    expect(parseIfMatch(header)).toBeUndefined();
  });
});

describe('id namespaces and cursors', () => {
  it('requires the provider id followed by a colon, not just a common prefix', () => {
    expect(idNamespaceProblem('site-a:collection:x', 'site-a')).toBeNull();
    const p = idNamespaceProblem('site-ab:collection:x', 'site-a');
    expect(p).toMatchObject({ path: 'id', code: 'id_namespace' });
    expect(p!.message).toContain('"site-a:…"');
  });
  it('rejects cursors that do not decode to an id', () => {
    expect(encodeCursor('a:collection:b')).toBe(Buffer.from('a:collection:b').toString('base64url'));
    expect(decodeCursor('')).toBeNull();
    expect(decodeCursor('!!!not base64!!!')).toBeNull();
  });
});

describe('what outsiders see, and when the record datestamp moves', () => {
  const pub = { publicationState: 'published', visibility: 'public', doc: { title: 'A' } };
  const t0 = new Date('2026-01-01T00:00:00Z');
  const now = new Date('2026-02-01T00:00:00Z');
  const stored = (f: typeof pub & { withdrawnReason?: string | null }, exposedAt: Date | null = t0) => ({ ...f, recordDatestamp: t0, exposedAt });

  it('hides drafts and private records, trims withdrawn ones to a tombstone', () => {
    expect(outsiderView({ ...pub, publicationState: 'draft' })).toEqual({ hidden: true });
    expect(outsiderView({ ...pub, visibility: 'private' })).toEqual({ hidden: true });
    expect(outsiderView({ ...pub, publicationState: 'withdrawn', withdrawnReason: 'gone' })).toEqual({ withdrawn: true, reason: 'gone' });
    expect(outsiderView({ ...pub, publicationState: 'withdrawn' })).toEqual({ withdrawn: true, reason: null });
    expect(outsiderView({ ...pub, visibility: 'protected' })).toEqual({ published: true, visibility: 'protected', doc: { title: 'A' } });
  });

  it('stamps a new public record and its first exposure', () => {
    expect(datestampsFor(undefined, pub, now)).toEqual({ recordDatestamp: now, exposedAt: now });
  });
  it('stamps a new draft but does not call it exposed', () => {
    expect(datestampsFor(undefined, { ...pub, publicationState: 'draft' }, now)).toEqual({ recordDatestamp: now });
  });
  it('leaves the datestamp alone when outsiders see no difference', () => {
    const draft = { ...pub, publicationState: 'draft', doc: { title: 'old' } };
    expect(datestampsFor(stored(draft, null), { ...draft, doc: { title: 'new' } }, now)).toEqual({});
    expect(datestampsFor(stored(pub), { ...pub, doc: { title: 'A' } }, now)).toEqual({});
  });
  it('moves the datestamp but keeps the first exposure when a published record changes', () => {
    expect(datestampsFor(stored(pub), { ...pub, doc: { title: 'B' } }, now)).toEqual({ recordDatestamp: now });
  });
  it('moves the datestamp when a record turns private (outsiders must learn it is gone)', () => {
    expect(datestampsFor(stored(pub), { ...pub, visibility: 'private' }, now)).toEqual({ recordDatestamp: now });
  });
  it('does not call a private published record exposed', () => {
    expect(datestampsFor(undefined, { ...pub, visibility: 'private' }, now)).toEqual({ recordDatestamp: now });
  });
  it('records the first exposure of a record published after being a draft', () => {
    const draft = { ...pub, publicationState: 'draft' };
    expect(datestampsFor(stored(draft, null), pub, now)).toEqual({ recordDatestamp: now, exposedAt: now });
  });
});

describe('stable JSON and changed fields', () => {
  it('sorts object keys at every depth but keeps array order', () => {
    expect(stableJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } })).toBe('{"a":{"c":[3,{"e":2,"f":1}],"d":2},"b":1}');
    expect(stableJson([2, 1])).toBe('[2,1]');
    expect(stableJson(null)).toBe('null');
    expect(stableJson({ a: 1, b: 2 })).toBe(stableJson({ b: 2, a: 1 }));
    // Enough keys for the engine's merge sort, not only insertion sort.
    const keys = Array.from({ length: 80 }, (_, i) => `k${String((i * 37) % 80).padStart(2, '0')}`);
    expect(Object.keys(JSON.parse(stableJson(Object.fromEntries(keys.map((k) => [k, 1])))))).toEqual([...keys].sort());
  });
  it('names the top-level fields that differ, sorted, ignoring key order', () => {
    expect(changedFields({ title: 'A', x: { p: 1, q: 2 }, gone: 1 }, { x: { q: 2, p: 1 }, title: 'B', added: 1 })).toEqual(['added', 'gone', 'title']);
    expect(changedFields(null, { b: 1, a: 1 })).toEqual(['a', 'b']);
    expect(changedFields({ a: 1 }, undefined)).toEqual(['a']);
    expect(changedFields({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
