/** The web's sign-in guard (web/src/lib/server/guard.ts): which requests need a user, and safe return paths. */
import { describe, expect, it } from 'vitest';
import { needsSignIn, safeReturn, signInLocation } from '../../web/src/lib/server/guard.js';

describe('needsSignIn', () => {
  it('guards the signed-in pages for reads and their form actions', () => {
    for (const route of ['/collections/new', '/collections/[id]/edit', '/import']) {
      expect(needsSignIn(route, 'GET')).toBe(true);
      expect(needsSignIn(route, 'POST')).toBe(true);
    }
  });

  it('guards every form action by default, public pages stay public to read', () => {
    expect(needsSignIn('/collections/[id]', 'GET')).toBe(false);
    expect(needsSignIn('/collections/[id]', 'POST')).toBe(true);
    expect(needsSignIn('/some/future/page', 'POST')).toBe(true);
    expect(needsSignIn('/', 'GET')).toBe(false);
  });

  it('lets anonymous visitors sign in and out', () => {
    expect(needsSignIn('/signin', 'POST')).toBe(false);
    expect(needsSignIn('/signout', 'POST')).toBe(false);
    expect(needsSignIn(null, 'POST')).toBe(false);
  });
});

describe('safeReturn (no open redirects)', () => {
  it('keeps local paths with their query', () => {
    expect(safeReturn('/collections/a%3Ab/edit?x=1')).toBe('/collections/a%3Ab/edit?x=1');
  });

  it('refuses anything that a browser could read as another origin', () => {
    for (const bad of ['https://evil.org', '//evil.org', '/\\evil.org', '/\t/evil.org', '/\n/evil.org', '\\\\evil.org', 'javascript:alert(1)', '', null, undefined, 'relative']) {
      expect(safeReturn(bad)).toBe('/');
    }
  });
});

describe('signInLocation', () => {
  it('returns to the page, not to the form action that was refused', () => {
    expect(signInLocation(new URL('http://h/collections/x?/publish'))).toBe(`/signin?redirectTo=${encodeURIComponent('/collections/x')}`);
    expect(signInLocation(new URL('http://h/import?a=1'))).toBe(`/signin?redirectTo=${encodeURIComponent('/import?a=1')}`);
    expect(signInLocation(new URL('http://h//evil.org/x'))).toBe('/signin?redirectTo=%2F');
  });
});
