import { describe, expect, it } from 'vitest';
import {
  collectionIdFor,
  decodeCursor,
  encodeCursor,
  idNamespaceProblem,
  parseIfMatch,
  transitionProblem,
} from '../../server/catalogue/rules.js';

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
