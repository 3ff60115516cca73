/** The access workflow as users meet it: who may issue each command and what the history records, refusals, request status, the editable form, the resubmission diff. */
import { describe, expect, it } from 'vitest';
import type { ItemStatus } from '../../schemas/access.js';
import {
  accessEnds,
  COMMANDS,
  decide,
  diffForms,
  formEditable,
  requestStatus,
  type CommandType,
  type Role,
} from '../../server/access/rules.js';

/** docs/access-workflow.md, written out: who may issue each command, from which state, and what the history records. */
const WORKFLOW: Record<CommandType, { by: Role[]; from: ItemStatus; to: ItemStatus; event: string }> = {
  submit: { by: ['researcher'], from: 'draft', to: 'submitted', event: 'item.submitted' },
  startReview: { by: ['owner', 'admin'], from: 'submitted', to: 'under_review', event: 'item.review_started' },
  approve: { by: ['owner', 'admin'], from: 'under_review', to: 'approved', event: 'item.approved' },
  reject: { by: ['owner', 'admin'], from: 'under_review', to: 'rejected', event: 'item.rejected' },
  return: { by: ['owner', 'admin'], from: 'under_review', to: 'returned', event: 'item.returned' },
  withdraw: { by: ['researcher', 'admin'], from: 'active', to: 'withdrawn', event: 'item.withdrawn' },
  confirmGrant: { by: ['system'], from: 'approved', to: 'active', event: 'item.activated' },
  revoke: { by: ['owner', 'admin', 'system'], from: 'active', to: 'revoked', event: 'item.revoked' },
  expire: { by: ['system'], from: 'approved', to: 'expired', event: 'item.expired' },
};
const ROLES: Role[] = ['researcher', 'owner', 'admin', 'system'];

describe('who may issue each command, and what the history records', () => {
  it('every party listed may, every other party is refused', () => {
    expect([...COMMANDS].sort()).toEqual(Object.keys(WORKFLOW).sort());
    for (const command of COMMANDS) {
      const { by, from, to, event } = WORKFLOW[command];
      for (const who of ROLES) {
        const d = decide(from, command, who);
        if (by.includes(who)) expect(d.ok && d.events, `${who} ${command}`).toEqual([{ type: event, from, to }]);
        else expect(d, `${who} ${command}`).toMatchObject({ ok: false, code: 'forbidden' });
      }
    }
  });
});

describe('refusals say who may not do what, and why', () => {
  it('names the party and the command when the wrong party acts', () => {
    expect(decide('submitted', 'approve', 'researcher')).toEqual({
      ok: false,
      code: 'forbidden',
      detail: 'A researcher may not approve an item.',
    });
  });

  it('names the state and the attempted change in words when the state does not allow it', () => {
    // One command per row, tried from a state that does not allow it, by a party that may issue it.
    const tried: [CommandType, ItemStatus, 'researcher' | 'owner' | 'system', string][] = [
      ['submit', 'approved', 'researcher', 'An item that is approved cannot be submitted.'],
      ['startReview', 'draft', 'owner', 'An item that is draft cannot be taken into review.'],
      ['approve', 'draft', 'owner', 'An item that is draft cannot be approved.'],
      ['reject', 'approved', 'owner', 'An item that is approved cannot be rejected.'],
      ['return', 'active', 'owner', 'An item that is active cannot be returned for changes.'],
      ['withdraw', 'rejected', 'researcher', 'An item that is rejected cannot be withdrawn.'],
      ['confirmGrant', 'submitted', 'system', 'An item that is submitted cannot be activated.'],
      ['revoke', 'draft', 'owner', 'An item that is draft cannot be revoked.'],
      ['expire', 'withdrawn', 'system', 'An item that is withdrawn cannot be expired.'],
    ];
    for (const [command, state, who, detail] of tried) {
      expect(decide(state, command, who), command).toEqual({ ok: false, code: 'illegal_transition', detail });
    }
  });
});

describe('request status', () => {
  it('is a draft while nothing was submitted (also with no items yet), open once anything was', () => {
    expect(requestStatus([])).toBe('draft');
    expect(requestStatus(['draft'])).toBe('draft');
    // One item submitted, one still a draft: the request is under way.
    expect(requestStatus(['draft', 'submitted'])).toBe('open');
    expect(requestStatus(['withdrawn', 'draft'])).toBe('open');
  });

  it('is concluded once every item is rejected, withdrawn, active, expired or revoked; approved still waits for the grant', () => {
    for (const s of ['rejected', 'withdrawn', 'active', 'expired', 'revoked'] as const) {
      expect(requestStatus([s]), s).toBe('concluded');
      expect(requestStatus([s, 'approved']), s).toBe('open');
    }
  });
});

describe('the researcher may edit the form', () => {
  it('while every item is a draft, or some item was returned to them', () => {
    expect(formEditable(['draft'])).toBe(true);
    expect(formEditable(['returned', 'approved'])).toBe(true);
    expect(formEditable(['approved', 'draft'])).toBe(true);
  });

  it('not once it is with the provider or decided', () => {
    for (const s of ['submitted', 'under_review', 'approved', 'active', 'rejected', 'withdrawn', 'revoked', 'expired'] as const) {
      expect(formEditable([s]), s).toBe(false);
    }
    expect(formEditable(['submitted', 'rejected'])).toBe(false);
    expect(formEditable([])).toBe(false);
  });
});

describe('resubmission diff shown to the provider', () => {
  it('reports a section that was added or cleared as one change, not field by field', () => {
    expect(diffForms({ title: 'A', ethics: null }, { title: 'A', ethics: { reference: 'R1' } })).toEqual([
      { path: 'ethics', before: null, after: { reference: 'R1' } },
    ]);
    expect(diffForms({ title: 'A', ethics: { reference: 'R1' } }, { title: 'A' })).toEqual([
      { path: 'ethics', before: { reference: 'R1' }, after: null },
    ]);
  });

  it('lists changes in field order, whatever order the form was written in', () => {
    expect(diffForms({ title: 'A' }, { summary: 'new', title: 'B', abstract: 'x' }).map((d) => d.path)).toEqual([
      'abstract',
      'summary',
      'title',
    ]);
  });

  it('reports a changed whole form under (root), and nothing when equal', () => {
    expect(diffForms('old', 'new')).toEqual([{ path: '(root)', before: 'old', after: 'new' }]);
    expect(diffForms({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });
});

describe('when granted access ends', () => {
  it('a date means through the end of that day (UTC); a date-time is exact', () => {
    expect(accessEnds('2027-01-15').toISOString()).toBe('2027-01-15T23:59:59.999Z');
    expect(accessEnds('2027-01-15T10:00:00Z').toISOString()).toBe('2027-01-15T10:00:00.000Z');
  });
});
