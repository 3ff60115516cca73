/** The role-sync rules: never remove or demote a role this service did not grant. */
import { describe, expect, it } from 'vitest';
import { maxRole, planUser, resolveRecord } from '../../server/xnat/rules.js';

const std = (role: 'owner' | 'member' | 'collaborator', p = 'P') => ({ groupId: `${p}_${role}`, role });

describe('planUser', () => {
  it('grants a role to a user without one, and remembers that it is ours', () => {
    expect(planUser('member', null, null)).toMatchObject({
      action: { kind: 'put', role: 'member' },
      target: 'member',
      record: { priorRole: null, managedRole: 'member' },
    });
  });
  it('revokes our role with a DELETE on the group the user is in', () => {
    expect(planUser(null, std('member'), { priorRole: null, managedRole: 'member' })).toMatchObject({
      action: { kind: 'delete', groupId: 'P_member' },
      target: null,
      record: null,
    });
  });
  it('keeps a higher role the user already had, and reports it', () => {
    const p = planUser('member', std('owner'), null);
    expect(p.action).toEqual({ kind: 'none' });
    expect(p.record).toBeNull();
    expect(p.report).toMatch(/already owner/);
    // …and a revoke then leaves it alone.
    expect(planUser(null, std('owner'), null).action).toEqual({ kind: 'none' });
  });
  it('raises a lower prior role and restores it on revoke instead of removing it', () => {
    const g = planUser('owner', std('collaborator'), null);
    expect(g).toMatchObject({ action: { kind: 'put', role: 'owner' }, record: { priorRole: 'collaborator', managedRole: 'owner' } });
    expect(planUser(null, std('owner'), g.record)).toMatchObject({ action: { kind: 'put', role: 'collaborator' }, record: null });
  });
  it('repairs a role removed or lowered by hand, reporting drift', () => {
    const rec = { priorRole: null, managedRole: 'member' as const };
    expect(planUser('member', null, rec)).toMatchObject({ action: { kind: 'put', role: 'member' }, drift: 'expected member, found none' });
    expect(planUser('member', std('collaborator'), rec)).toMatchObject({
      action: { kind: 'put', role: 'member' },
      drift: expect.any(String),
    });
  });
  it('leaves a role raised by hand, adopting it as the user’s own', () => {
    const p = planUser('member', std('owner'), { priorRole: null, managedRole: 'member' });
    expect(p).toMatchObject({ action: { kind: 'none' }, record: null, report: expect.stringMatching(/raised to owner/) });
  });
  it('never touches a custom group', () => {
    expect(planUser('member', { groupId: 'P_reviewers', role: null }, null)).toMatchObject({
      action: { kind: 'none' },
      report: expect.stringMatching(/custom group/),
    });
    expect(planUser(null, { groupId: 'P_reviewers', role: null }, { priorRole: null, managedRole: 'member' }).action).toEqual({
      kind: 'none',
    });
  });
  it('does nothing when XNAT already agrees (idempotent)', () => {
    expect(planUser('member', std('member'), { priorRole: null, managedRole: 'member' })).toMatchObject({
      action: { kind: 'none' },
      drift: undefined,
    });
    expect(planUser(null, null, null)).toMatchObject({ action: { kind: 'none' }, record: null });
  });
});

describe('resolveRecord (a change whose answer was lost)', () => {
  const intent = { from: null, to: 'member' as const, next: { priorRole: null, managedRole: 'member' as const } };
  it('adopts the intended record when XNAT shows the change landed, so it is not sent again nor taken for a foreign role', () => {
    const rec = resolveRecord(null, intent, std('member'));
    expect(rec).toEqual(intent.next);
    expect(planUser('member', std('member'), rec)).toMatchObject({ action: { kind: 'none' }, report: undefined });
    expect(planUser(null, std('member'), rec).action).toEqual({ kind: 'delete', groupId: 'P_member' });
  });
  it('keeps the old record when the change did not land', () => {
    expect(resolveRecord(null, intent, null)).toBeNull();
  });
});

it('maxRole orders owner > member > collaborator', () => {
  expect(maxRole(['collaborator', null, 'owner', 'member'])).toBe('owner');
  expect(maxRole([null])).toBeNull();
});
