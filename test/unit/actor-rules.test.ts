import { describe, expect, it } from 'vitest';
import { ANONYMOUS, canEditProvider, canSeeCollection, isAdmin, isMemberOf, visibilityScope, type Actor } from '../../server/auth/actor.js';

const user = (over: Partial<Extract<Actor, { kind: 'user' }>> = {}): Actor => ({ kind: 'user', id: 'u', name: 'U', isAdmin: false, providerIds: [], ...over });
const researcher = user();
const managerA = user({ providerIds: ['site-a'] });
const managerB = user({ providerIds: ['site-b'] });
const admin = user({ isAdmin: true });

describe('who may see a collection: every actor × visibility × publication state', () => {
  const states = ['draft', 'published', 'withdrawn'] as const;
  const visibilities = ['public', 'protected', 'private'] as const;
  const outsiders = { anonymous: ANONYMOUS, researcher, 'manager of another provider': managerB };
  for (const v of visibilities)
    for (const s of states) {
      const expected = v !== 'private' && s !== 'draft';
      it(`${v} ${s}: outsiders ${expected ? 'see it' : 'do not'}, its managers and admins do`, () => {
        const c = { providerId: 'site-a', visibility: v, publicationState: s };
        for (const [name, a] of Object.entries(outsiders)) expect(canSeeCollection(a, c), name).toBe(expected);
        expect(canSeeCollection(managerA, c)).toBe(true);
        expect(canSeeCollection(admin, c)).toBe(true);
      });
    }
});

describe('who may edit a provider', () => {
  it('only its data managers and admins', () => {
    expect(canEditProvider(ANONYMOUS, 'site-a')).toBe(false);
    expect(canEditProvider(researcher, 'site-a')).toBe(false);
    expect(canEditProvider(managerB, 'site-a')).toBe(false);
    expect(canEditProvider(managerA, 'site-a')).toBe(true);
    expect(canEditProvider(admin, 'site-a')).toBe(true);
  });
  it('does not mistake the admin flag for membership or the other way round', () => {
    expect(isAdmin(managerA)).toBe(false);
    expect(isAdmin(admin)).toBe(true);
    expect(isAdmin(ANONYMOUS)).toBe(false);
    expect(isMemberOf(admin, 'site-a')).toBe(false);
    expect(isMemberOf(ANONYMOUS, 'site-a')).toBe(false);
    expect(isMemberOf(managerA, 'site-a')).toBe(true);
  });
});

describe('the same rule as a query scope', () => {
  it('gives admins everything, members their providers, everyone else none', () => {
    expect(visibilityScope(admin)).toEqual({ all: true });
    expect(visibilityScope(user({ isAdmin: true, providerIds: ['site-a'] }))).toEqual({ all: true });
    expect(visibilityScope(managerA)).toEqual({ all: false, providerIds: ['site-a'] });
    expect(visibilityScope(researcher)).toEqual({ all: false, providerIds: [] });
    expect(visibilityScope(ANONYMOUS)).toEqual({ all: false, providerIds: [] });
  });
});
