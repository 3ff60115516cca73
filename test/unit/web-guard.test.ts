/** The web's sign-in guard (web/src/lib/server/guard.ts): which requests need a user, and safe return paths. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_POSTS, needsSignIn, safeReturn, signInLocation, SIGNED_IN_PAGES } from '../../web/src/lib/server/guard.js';

const ROUTES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../web/src/routes');

/** Route ids of every page with form actions (a `+page.server.ts` exporting `actions`), and of every page. */
function pages(): { id: string; hasActions: boolean }[] {
  return (readdirSync(ROUTES, { recursive: true }) as string[])
    .filter((f) => ['+page.server.ts', '+page.svelte'].includes(path.basename(f)))
    .map((f) => {
      const dir = path.dirname(f).split(path.sep).join('/');
      const id = dir === '.' ? '/' : `/${dir}`;
      const hasActions = f.endsWith('.ts') && /export const actions\b/.test(readFileSync(path.join(ROUTES, f), 'utf8'));
      return { id, hasActions };
    });
}

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

describe('every web form action', () => {
  it('is guarded, except sign-in and sign-out', () => {
    const withActions = pages()
      .filter((p) => p.hasActions)
      .map((p) => p.id);
    expect(withActions).toEqual(
      expect.arrayContaining(['/collections/[id]', '/collections/[id]/edit', '/collections/new', '/import', '/signin', '/signout']),
    );
    for (const id of withActions) expect({ id, guarded: needsSignIn(id, 'POST') }).toEqual({ id, guarded: !ANONYMOUS_POSTS.has(id) });
  });

  it('names only pages that exist', () => {
    const ids = new Set(pages().map((p) => p.id));
    for (const id of [...SIGNED_IN_PAGES, ...ANONYMOUS_POSTS]) expect(ids.has(id), id).toBe(true);
  });
});

describe('safeReturn (no open redirects)', () => {
  it('keeps local paths with their query', () => {
    expect(safeReturn('/collections/a%3Ab/edit?x=1')).toBe('/collections/a%3Ab/edit?x=1');
  });

  it('refuses anything that a browser could read as another origin', () => {
    for (const bad of [
      'https://evil.org',
      '//evil.org',
      '/\\evil.org',
      '/\t/evil.org',
      '/\n/evil.org',
      '\\\\evil.org',
      'javascript:alert(1)',
      '',
      null,
      undefined,
      'relative',
    ]) {
      expect(safeReturn(bad)).toBe('/');
    }
  });

  it('refuses a path the browser would rewrite (control characters, backslashes), not just the dangerous ones', () => {
    for (const bad of ['/collections\\x', '/a\tb', '/a\u0000b', '/a\u007fb']) expect(safeReturn(bad), JSON.stringify(bad)).toBe('/');
  });
});

describe('signInLocation', () => {
  it('returns to the page, not to the form action that was refused', () => {
    expect(signInLocation(new URL('http://h/collections/x?/publish'))).toBe(`/signin?redirectTo=${encodeURIComponent('/collections/x')}`);
    expect(signInLocation(new URL('http://h/import?a=1'))).toBe(`/signin?redirectTo=${encodeURIComponent('/import?a=1')}`);
    expect(signInLocation(new URL('http://h//evil.org/x'))).toBe('/signin?redirectTo=%2F');
  });

  it('keeps the page query that follows the action name, and a "?/" inside a query value', () => {
    expect(signInLocation(new URL('http://h/collections/x?/publish&tab=2'))).toBe(
      `/signin?redirectTo=${encodeURIComponent('/collections/x?tab=2')}`,
    );
    expect(signInLocation(new URL('http://h/search?q=?/x'))).toBe(`/signin?redirectTo=${encodeURIComponent('/search?q=?/x')}`);
  });
});
