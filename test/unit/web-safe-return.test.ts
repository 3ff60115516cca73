import { describe, expect, it } from 'vitest';
import { safeReturn } from '../../web/src/lib/server/guard.js';

/** Where the browser would really go from a Location header on our origin. */
const resolved = (location: string) => new URL(location, 'https://catalogue.example/signin');

describe('return targets after sign-in (no open redirects)', () => {
  it.each(['/', '/collections', '/collections/a%3Acollection%3Ab?tab=history#top', '/search?q=lung'])('keeps the local path %j', (target) => {
    expect(safeReturn(target)).toBe(target);
  });

  it.each([
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example/',
    '\\\\evil.example/',
    'javascript:alert(1)',
    'evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '\t//evil.example',
    '/\r\n/evil.example',
    '//[not-a-host',
    '',
  ])('sends %j home instead', (target) => {
    expect(safeReturn(target)).toBe('/');
  });

  it('never yields a target that leaves our origin, for any of these', () => {
    for (const t of ['//evil.example', '/\\evil.example', '/\t/evil.example', '/ /evil.example', '/%2F/evil.example', '/.//evil.example', '/x/..//evil.example', '/%2e//evil.example']) {
      expect(resolved(safeReturn(t)).host).toBe('catalogue.example');
    }
  });

  it('uses the given fallback and treats a missing target as none', () => {
    expect(safeReturn(null, '/collections')).toBe('/collections');
    expect(safeReturn(undefined)).toBe('/');
    expect(safeReturn('//evil.example', '/me')).toBe('/me');
  });
});
