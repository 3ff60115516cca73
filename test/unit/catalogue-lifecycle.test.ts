import { describe, expect, it } from 'vitest';
import type { CollectionFields } from '../../schemas/collection.js';
import { decide, type CollectionCommand } from '../../server/catalogue/lifecycle.js';

const complete = {
  description: 'Low-dose chest CT of screening participants.',
  modalities: [{ code: 'CT' }],
  bodyParts: [{ code: 'LUNG' }],
  conditions: [{ code: 'C34' }],
  subjectsCount: 12,
  accessRights: 'restricted',
} as unknown as CollectionFields;
const incomplete = { ...complete, conditions: [] } as unknown as CollectionFields;

describe('the collection lifecycle decision, exactly', () => {
  it('creates drafts and published collections, the latter only when complete', () => {
    expect(decide(undefined, { type: 'create', fields: incomplete, publish: false })).toEqual({ ok: true, events: [{ type: 'created', state: 'draft' }] });
    expect(decide(undefined, { type: 'create', fields: complete, publish: true })).toEqual({ ok: true, events: [{ type: 'created', state: 'published' }] });
    expect(decide(undefined, { type: 'create', fields: incomplete, publish: true })).toEqual({
      ok: false,
      code: 'validation_failed',
      detail: 'The collection cannot be published yet.',
      errors: [expect.objectContaining({ path: 'conditions' })],
    });
  });

  const ok = (type: string, extra = {}) => ({ ok: true, events: [{ type, ...extra }] });
  const table: [Parameters<typeof decide>[0], CollectionCommand, unknown][] = [
    ['draft', { type: 'edit', fields: incomplete }, ok('edited')],
    ['draft', { type: 'edit' }, ok('edited')],
    ['published', { type: 'edit', fields: complete }, ok('edited')],
    ['published', { type: 'edit' }, ok('edited')],
    ['draft', { type: 'publish' }, ok('published')],
    ['draft', { type: 'publish', fields: complete }, ok('published')],
    ['withdrawn', { type: 'publish', fields: complete }, ok('published')],
    ['published', { type: 'withdraw', reason: 'Consent withdrawn' }, ok('withdrawn', { reason: 'Consent withdrawn' })],
    ['published', { type: 'withdraw' }, ok('withdrawn', { reason: '' })],
    ['draft', { type: 'delete' }, ok('deleted')],
    [undefined, { type: 'delete' }, ok('deleted')],
  ];
  it.each(table)('%s + %j → allowed', (state, cmd, expected) => {
    expect(decide(state, cmd)).toEqual(expected);
  });

  it.each([
    ['published', { type: 'publish' }],
    ['draft', { type: 'withdraw', reason: 'x' }],
    ['withdrawn', { type: 'withdraw', reason: 'x' }],
    ['published', { type: 'delete' }],
    ['withdrawn', { type: 'delete' }],
    ['withdrawn', { type: 'edit', fields: complete }],
  ] as [Parameters<typeof decide>[0], CollectionCommand][])('%s + %j → conflict with a reason', (state, cmd) => {
    const d = decide(state, cmd);
    expect(d).toMatchObject({ ok: false, code: 'conflict' });
    expect(d.ok === false && d.detail).toMatch(/\w{4}/);
    expect(d).not.toHaveProperty('errors');
  });

  it('keeps a published collection complete, and names what is missing', () => {
    expect(decide('published', { type: 'edit', fields: incomplete })).toEqual({
      ok: false,
      code: 'validation_failed',
      detail: 'A published collection must stay complete.',
      errors: [expect.objectContaining({ path: 'conditions', code: 'required_to_publish' })],
    });
    expect(decide('draft', { type: 'publish', fields: incomplete })).toEqual({
      ok: false,
      code: 'validation_failed',
      detail: 'The collection cannot be published yet.',
      errors: [expect.objectContaining({ path: 'conditions' })],
    });
  });
});
