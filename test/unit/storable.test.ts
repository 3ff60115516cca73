import { describe, expect, it } from 'vitest';
import { findUnstorableStrings, isStorableText } from '../../schemas/storable.js';

describe('text the database cannot store', () => {
  it('finds NUL and unpaired surrogates, and accepts paired ones', () => {
    expect(isStorableText('plain ü 漢字 😀')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('\uD83D')).toBe(false); // high without low
    expect(isStorableText('x\uDE00')).toBe(false); // low without high
    expect(isStorableText('\uDE00\uD83D')).toBe(false); // reversed pair
  });

  it('names every offending field by its JSON path, keys included, at any depth', () => {
    const value = { title: 'ok', a: [{ b: 'x\u0000' }, 'fine', ['\uD800']], 'k\u0000ey': 1, deep: { er: { still: 'ok\uDFFF' } } };
    expect(findUnstorableStrings(value).map((e) => e.path)).toEqual(['a[0].b', 'a[2][0]', 'k\uFFFDey', 'deep.er.still']);
    expect(findUnstorableStrings(['\u0000'], 'collections')).toEqual([expect.objectContaining({ path: 'collections[0]', code: 'invalid_characters' })]);
    expect(findUnstorableStrings({ n: 1, b: true, z: null })).toEqual([]);
  });
});
