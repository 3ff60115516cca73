/** The pure parts of the audit chain and of record datestamps. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, hashEntry, type ChainedEntry } from '../../server/core/audit.js';
import { changedFields, datestampsFor } from '../../server/catalogue/rules.js';

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops undefined members and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives the same text for the same value whatever the key order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2] })).toBe(canonicalJson({ y: [1, 2], x: 1 }));
    expect(canonicalJson({ x: 1, y: [1, 2] })).not.toBe(canonicalJson({ x: 1, y: [2, 1] }));
  });

  it('escapes strings as JSON does (quotes, control characters, non-ASCII kept)', () => {
    expect(canonicalJson({ s: 'a"b\n\u0001é' })).toBe('{"s":"a\\"b\\n\\u0001é"}');
  });
});

describe('entry hash', () => {
  const entry: ChainedEntry = {
    seq: 1,
    at: '2026-01-01T00:00:00.000Z',
    actorId: 'u1',
    action: 'collection.created',
    entityType: 'collection',
    entityId: 'p:collection:x',
    before: null,
    after: { title: 'T' },
    data: null,
    requestId: 'r1',
    prevHash: '0'.repeat(64),
  };

  it('is SHA-256 of the canonical form, previous hash included', () => {
    expect(hashEntry(entry)).toBe(createHash('sha256').update(canonicalJson(entry)).digest('hex'));
    expect(hashEntry(entry)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with any field, the previous hash and the position included', () => {
    const base = hashEntry(entry);
    expect(hashEntry({ ...entry, prevHash: '1'.repeat(64) })).not.toBe(base);
    expect(hashEntry({ ...entry, seq: 2 })).not.toBe(base);
    expect(hashEntry({ ...entry, after: { title: 'T2' } })).not.toBe(base);
    expect(hashEntry({ ...entry, actorId: null })).not.toBe(base);
  });
});

describe('record datestamp', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const now = new Date('2026-02-01T00:00:00Z');
  const row = (over: Record<string, unknown> = {}) => ({
    publicationState: 'published',
    visibility: 'public',
    doc: { title: 'A' },
    withdrawnReason: null,
    recordDatestamp: t0,
    exposedAt: t0 as Date | null,
    ...over,
  });

  it('moves when outsiders would see a change: content, visibility, publication', () => {
    expect(datestampsFor(row(), row({ doc: { title: 'B' } }), now).recordDatestamp).toEqual(now);
    expect(datestampsFor(row(), row({ visibility: 'private' }), now).recordDatestamp).toEqual(now);
    expect(datestampsFor(row(), row({ publicationState: 'withdrawn', withdrawnReason: 'r' }), now).recordDatestamp).toEqual(now);
    expect(datestampsFor(row({ visibility: 'public' }), row({ visibility: 'protected' }), now).recordDatestamp).toEqual(now);
  });

  it('stays when nothing outsiders see changes: edits of drafts and of private records', () => {
    const draft = row({ publicationState: 'draft', exposedAt: null });
    expect(datestampsFor(draft, { ...draft, doc: { title: 'B' } }, now)).toEqual({});
    const priv = row({ visibility: 'private' });
    expect(datestampsFor(priv, { ...priv, doc: { title: 'B' } }, now)).toEqual({});
    expect(datestampsFor(row(), row(), now)).toEqual({});
  });

  it('sets the first exposure once: when first published and not private', () => {
    const draft = row({ publicationState: 'draft', exposedAt: null });
    expect(datestampsFor(draft, { ...draft, publicationState: 'published' }, now).exposedAt).toEqual(now);
    expect(datestampsFor(draft, { ...draft, publicationState: 'published', visibility: 'private' }, now).exposedAt).toBeUndefined();
    expect(datestampsFor(row(), row({ doc: { title: 'B' } }), now).exposedAt).toBeUndefined();
    expect(datestampsFor(undefined, row(), now).exposedAt).toEqual(now);
  });
});

describe('changed fields', () => {
  it('names the top-level fields whose value differs', () => {
    expect(changedFields({ a: 1, b: { c: [1] }, d: 'x' }, { a: 1, b: { c: [2] }, e: 'y' })).toEqual(['b', 'd', 'e']);
    expect(changedFields({ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } })).toEqual([]);
  });
});
