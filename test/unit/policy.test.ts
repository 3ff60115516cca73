/** The policy's rules, as a predicate. Its SQL and Meilisearch forms are proven equal to this in test/integration/policy-agreement.test.ts. */
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, userActor, type Actor } from '../../server/auth/actor.js';
import {
  accountActions,
  can,
  canAtProvider,
  canReviewRequestsFor,
  collectionChangesAllowed,
  collectionMeiliFilter,
  providerActions,
} from '../../server/policy/index.js';
import { and, FALSE, holds, isIn, or, toMeiliFilter, TRUE } from '../../server/policy/condition.js';

const anon = ANONYMOUS;
const researcher = userActor({ id: 'r', name: 'R' });
const manager = userActor({ id: 'm', name: 'M', memberships: [{ providerId: 'site-a', role: 'data_manager' }] });
const viewer = userActor({ id: 'v', name: 'V', memberships: [{ providerId: 'site-a', role: 'viewer' }] });
const otherManager = userActor({ id: 'o', name: 'O', memberships: [{ providerId: 'site-b', role: 'data_manager' }] });
const admin = userActor({ id: 'a', name: 'A', isAdmin: true });
const c = (visibility: string, publicationState = 'published') => ({ providerId: 'site-a', visibility, publicationState });

describe('seeing collections (mirrors XNAT accessibility)', () => {
  it('shows public and protected published collections to everyone, anonymous included', () => {
    for (const a of [anon, researcher, manager, viewer, otherManager, admin]) {
      expect(can(a, 'view', c('public'))).toBe(true);
      expect(can(a, 'view', c('protected'))).toBe(true);
    }
  });

  it('shows private collections only to members of the provider (managers and viewers) and admins', () => {
    for (const a of [anon, researcher, otherManager]) expect(can(a, 'view', c('private'))).toBe(false);
    for (const a of [manager, viewer, admin]) expect(can(a, 'view', c('private'))).toBe(true);
  });

  it('hides drafts from everyone outside the provider', () => {
    for (const a of [anon, researcher, otherManager]) expect(can(a, 'view', c('public', 'draft'))).toBe(false);
    for (const a of [manager, viewer, admin]) expect(can(a, 'view', c('public', 'draft'))).toBe(true);
  });

  it('keeps withdrawn public collections visible as tombstones; the full record only for members', () => {
    expect(can(anon, 'view', c('public', 'withdrawn'))).toBe(true);
    expect(can(anon, 'read', c('public', 'withdrawn'))).toBe(false);
    expect(can(viewer, 'read', c('public', 'withdrawn'))).toBe(true);
    expect(can(anon, 'read', c('public'))).toBe(true);
  });
});

describe('changing collections', () => {
  it('lets only data managers of the provider and admins change them; viewers only look', () => {
    for (const action of ['edit', 'publish', 'withdraw', 'delete'] as const) {
      for (const a of [anon, researcher, viewer, otherManager]) expect(can(a, action, c('public'))).toBe(false);
      for (const a of [manager, admin]) expect(can(a, action, c('private', 'draft'))).toBe(true);
    }
    expect(collectionChangesAllowed(viewer, c('private', 'draft'))).toEqual([]);
    expect(collectionChangesAllowed(manager, c('public'))).toEqual(['edit', 'publish', 'withdraw', 'delete', 'history']);
  });
});

describe('provider-level rules', () => {
  it('data managers edit their provider, create its collections and review its access requests', () => {
    expect(providerActions(manager, 'site-a')).toEqual(['edit', 'createCollection', 'reviewRequests']);
    expect(providerActions(viewer, 'site-a')).toEqual([]);
    expect(providerActions(manager, 'site-b')).toEqual([]);
    expect(providerActions(admin, 'site-b')).toEqual(['edit', 'createCollection', 'reviewRequests', 'manageMembers']);
    expect(canReviewRequestsFor(manager, 'site-a')).toBe(true);
    expect(canReviewRequestsFor(viewer, 'site-a')).toBe(false);
    expect(canReviewRequestsFor(otherManager, 'site-a')).toBe(false);
    expect(canAtProvider(anon, 'edit', 'site-a')).toBe(false);
  });

  it('offers import and creation to data managers and admins only', () => {
    expect(accountActions(anon)).toEqual([]);
    expect(accountActions(researcher)).toEqual([]);
    expect(accountActions(viewer)).toEqual([]);
    expect(accountActions(manager)).toEqual(['import', 'createCollection', 'reviewRequests']);
    expect(accountActions(admin)).toEqual(['import', 'createCollection', 'reviewRequests', 'admin']);
  });
});

describe('the condition language', () => {
  it('folds constants, so admins get no filter and nobody gets an empty IN', () => {
    expect(collectionMeiliFilter(admin)).toBeUndefined();
    expect(and(TRUE, isIn('visibility', ['public']))).toEqual(isIn('visibility', ['public']));
    expect(or(FALSE, isIn('visibility', []))).toEqual(FALSE);
    expect(holds(FALSE, c('public'))).toBe(false);
    expect(toMeiliFilter(isIn('providerId', ['a"b']))).toBe('providerId = "a\\"b"');
  });

  it('quotes provider ids, so an id cannot widen the filter', () => {
    const tricky: Actor = userActor({ id: 'x', name: 'X', memberships: [{ providerId: 'p" OR visibility = "private', role: 'viewer' }] });
    expect(collectionMeiliFilter(tricky)).toContain('providerId = "p\\" OR visibility = \\"private"');
  });
});
