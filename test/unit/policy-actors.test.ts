/** Account-level answers of the policy: who is an admin, where a user manages collections or reviews requests. */
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, userActor } from '../../server/auth/actor.js';
import {
  accountActions,
  canAtProvider,
  collectionSql,
  isAdmin,
  managedProviders,
  providersWith,
  rolesFor,
} from '../../server/policy/index.js';

const admin = userActor({ id: 'a', name: 'A', isAdmin: true });
/** An admin who is also a data manager at one provider and a viewer at another. */
const adminMember = userActor({
  id: 'am',
  name: 'AM',
  isAdmin: true,
  memberships: [
    { providerId: 'site-a', role: 'data_manager' },
    { providerId: 'site-b', role: 'viewer' },
  ],
});
const mixed = userActor({
  id: 'm',
  name: 'M',
  memberships: [
    { providerId: 'site-a', role: 'viewer' },
    { providerId: 'site-b', role: 'data_manager' },
  ],
});
const researcher = userActor({ id: 'r', name: 'R' });

describe('admins', () => {
  it('are users flagged as catalogue admins; nobody else is', () => {
    expect(isAdmin(admin)).toBe(true);
    expect(isAdmin(researcher)).toBe(false);
    expect(isAdmin(mixed)).toBe(false);
    expect(isAdmin(ANONYMOUS)).toBe(false);
  });

  it('manage every provider: no list, and every provider-level action anywhere', () => {
    expect(managedProviders(admin)).toBeUndefined();
    expect(managedProviders(adminMember)).toBeUndefined();
    expect(canAtProvider(admin, 'manageMembers', 'any')).toBe(true);
    expect(accountActions(adminMember)).toEqual(['import', 'createCollection', 'reviewRequests', 'admin']);
  });

  it('see every collection: no SQL condition (the list query defaults to the view rule)', () => {
    expect(collectionSql(admin)).toBeUndefined();
    expect(collectionSql(researcher)).toBeDefined();
  });
});

describe('users with provider roles', () => {
  it('manage the collections of the providers where they are data managers only', () => {
    expect(managedProviders(mixed)).toEqual(['site-b']);
    expect(managedProviders(researcher)).toEqual([]);
    expect(managedProviders(ANONYMOUS)).toEqual([]);
  });

  it('review access requests where they are data managers; an admin is listed only where a membership says so', () => {
    expect(providersWith(mixed, 'reviewRequests')).toEqual(['site-b']);
    expect(providersWith(adminMember, 'reviewRequests')).toEqual(['site-a']);
    expect(providersWith(adminMember, 'manageMembers')).toEqual([]);
    expect(providersWith(ANONYMOUS, 'reviewRequests')).toEqual([]);
  });

  it('are offered import and creation when they manage somewhere, review when they review somewhere', () => {
    expect(accountActions(mixed)).toEqual(['import', 'createCollection', 'reviewRequests']);
    expect(accountActions(ANONYMOUS)).toEqual([]);
  });

  it('only data managers are told about requests to review; member management is for admins alone', () => {
    expect(rolesFor('reviewRequests')).toEqual(['data_manager']);
    expect(rolesFor('manageMembers')).toEqual([]);
    expect(canAtProvider(mixed, 'manageMembers', 'site-b')).toBe(false);
  });
});
