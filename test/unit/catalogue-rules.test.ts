import { describe, expect, it } from 'vitest';
import {
  collectionIdFor,
  decodeCursor,
  encodeCursor,
  idNamespaceProblem,
  parseIfMatch,
  transitionProblem,
} from '../../server/catalogue/rules.js';
import { decide } from '../../server/catalogue/lifecycle.js';
import type { CollectionFields } from '../../schemas/collection.js';

describe('publication transitions', () => {
  it('allows deleting drafts only', () => {
    expect(transitionProblem('draft', 'delete')).toBeNull();
    expect(transitionProblem('published', 'delete')).toMatch(/withdraw/);
    expect(transitionProblem('withdrawn', 'delete')).not.toBeNull();
  });
  it('withdraws only published collections and freezes tombstones', () => {
    expect(transitionProblem('published', 'withdraw')).toBeNull();
    expect(transitionProblem('draft', 'withdraw')).not.toBeNull();
    expect(transitionProblem('withdrawn', 'edit')).not.toBeNull();
    expect(transitionProblem('withdrawn', 'publish')).toBeNull();
    expect(transitionProblem('published', 'publish')).not.toBeNull();
  });
});

describe('identifiers, ETags and cursors', () => {
  it('namespaces collection ids by provider', () => {
    expect(collectionIdFor('site-a', 'LUNG_01')).toBe('site-a:collection:lung_01');
    expect(idNamespaceProblem('site-a:collection:x', 'site-a')).toBeNull();
    expect(idNamespaceProblem('site-b:collection:x', 'site-a')?.path).toBe('id');
  });
  it('parses If-Match forms', () => {
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch('*')).toBe('*');
    expect(parseIfMatch('3')).toBeUndefined();
    expect(parseIfMatch(undefined)).toBeUndefined();
  });
  it('round-trips cursors and rejects forged ones', () => {
    expect(decodeCursor(encodeCursor('nci-idc:collection:tcga_prad'))).toBe('nci-idc:collection:tcga_prad');
    expect(decodeCursor(Buffer.from("x' or 1=1 --").toString('base64url'))).toBeNull();
  });
});

describe('collection lifecycle decisions', () => {
  const complete = {
    providerId: 'site-a',
    title: 'T',
    description: 'D',
    modalities: [{ system: 'DCM', code: 'CT', label: 'CT' }],
    bodyParts: [{ system: 'DCM-BP', code: 'CHEST', label: 'Chest' }],
    conditions: [{ label: 'Lung cancer' }],
    subjectsCount: 10,
    accessRights: 'PUBLIC',
  } as unknown as CollectionFields;
  const incomplete = { ...complete, accessRights: undefined, conditions: [] } as unknown as CollectionFields;

  it('publishes a complete draft and a withdrawn record again, as events', () => {
    expect(decide('draft', { type: 'publish', fields: complete })).toEqual({ ok: true, events: [{ type: 'published' }] });
    expect(decide('withdrawn', { type: 'publish', fields: complete }).ok).toBe(true);
    expect(decide(undefined, { type: 'create', fields: complete, publish: true })).toEqual({
      ok: true,
      events: [{ type: 'created', state: 'published' }],
    });
  });

  it('refuses with values: 409-type conflicts for the state, 422-type field errors for gaps', () => {
    expect(decide('published', { type: 'publish', fields: complete })).toMatchObject({ ok: false, code: 'conflict' });
    expect(decide('withdrawn', { type: 'edit', fields: complete })).toMatchObject({ ok: false, code: 'conflict' });
    expect(decide('withdrawn', { type: 'edit' })).toMatchObject({ ok: false, code: 'conflict' });
    expect(decide('draft', { type: 'withdraw', reason: 'r' })).toMatchObject({ ok: false, code: 'conflict' });
    const gaps = decide('published', { type: 'edit', fields: incomplete });
    expect(gaps).toMatchObject({ ok: false, code: 'validation_failed' });
    expect(!gaps.ok && gaps.errors?.map((e) => e.path)).toEqual(['conditions', 'accessRights']);
    expect(decide('draft', { type: 'publish', fields: incomplete })).toMatchObject({ ok: false, code: 'validation_failed' });
    expect(decide(undefined, { type: 'create', fields: incomplete, publish: true })).toMatchObject({
      ok: false,
      code: 'validation_failed',
    });
  });

  it('lets drafts be incomplete', () => {
    expect(decide('draft', { type: 'edit', fields: incomplete }).ok).toBe(true);
    expect(decide(undefined, { type: 'create', fields: incomplete, publish: false }).ok).toBe(true);
  });
});
