import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ItemStatus } from '../../schemas/access.js';
import { AccessForm } from '../../schemas/access.js';
import { addMonths, apply, checkPolicy, COMMANDS, decide, diffForms, maxDuration, median, requestStatus, type CommandType, type Role } from '../../server/access/rules.js';

/** The workflow of docs/access-workflow.md, written out independently of the rule table. */
const EDGES = new Set([
  'draft>submitted', 'returned>submitted',
  'submitted>under_review',
  'under_review>approved', 'under_review>rejected', 'under_review>returned',
  'draft>withdrawn', 'submitted>withdrawn', 'under_review>withdrawn', 'returned>withdrawn',
  'approved>withdrawn', 'active>withdrawn',
  'approved>active', 'approved>revoked', 'active>revoked', 'approved>expired', 'active>expired',
]);
const ROLES: Role[] = ['researcher', 'owner', 'admin', 'system'];

describe('item state machine', () => {
  it('walks the happy path with the events the history shows', () => {
    const sub = decide('draft', 'submit', 'researcher');
    expect(sub).toEqual({ ok: true, events: [{ type: 'item.submitted', from: 'draft', to: 'submitted' }] });
    const appr = decide('submitted', 'approve', 'owner');
    expect(appr.ok && appr.events.map((e) => e.type)).toEqual(['item.review_started', 'item.approved']);
    expect(appr.ok && apply('submitted', appr.events)).toBe('approved');
    const act = decide('approved', 'confirmGrant', 'system');
    expect(act.ok && apply('approved', act.events)).toBe('active');
  });

  it('refuses illegal transitions with a machine code', () => {
    expect(decide('approved', 'approve', 'owner')).toMatchObject({ ok: false, code: 'illegal_transition' });
    expect(decide('rejected', 'withdraw', 'researcher')).toMatchObject({ ok: false, code: 'illegal_transition' });
    expect(decide('draft', 'approve', 'owner')).toMatchObject({ ok: false, code: 'illegal_transition' });
  });

  it('refuses commands from the wrong party', () => {
    expect(decide('submitted', 'approve', 'researcher')).toMatchObject({ ok: false, code: 'forbidden' });
    // Only the XNAT sync confirms a grant: an owner cannot mark access active.
    expect(decide('approved', 'confirmGrant', 'owner')).toMatchObject({ ok: false, code: 'forbidden' });
    expect(decide('draft', 'submit', 'owner')).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('derives the request status from its items', () => {
    expect(requestStatus(['draft', 'draft'])).toBe('draft');
    expect(requestStatus(['approved', 'rejected'])).toBe('open');
    expect(requestStatus(['active', 'rejected'])).toBe('concluded');
    expect(requestStatus(['returned', 'rejected'])).toBe('open');
  });

  it('property: random command sequences never reach an invalid state, and every illegal command is refused', () => {
    const step = fc.record({ command: fc.constantFrom(...COMMANDS), who: fc.constantFrom(...ROLES) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let state: ItemStatus = 'draft';
        for (const { command, who } of steps) {
          const d = decide(state, command as CommandType, who);
          if (d.ok) {
            for (const e of d.events) {
              expect(e.from).toBe(state);
              expect(EDGES.has(`${e.from}>${e.to}`)).toBe(true);
              state = e.to;
            }
            expect(ItemStatus.options).toContain(state);
          } else {
            // Refused: the state is unchanged, and the command had no edge from here for this party.
            expect(['illegal_transition', 'forbidden']).toContain(d.code);
            const target: Record<CommandType, ItemStatus> = { submit: 'submitted', startReview: 'under_review', approve: 'approved', reject: 'rejected', return: 'returned', withdraw: 'withdrawn', confirmGrant: 'active', revoke: 'revoked', expire: 'expired' };
            const via = state === 'submitted' && ['approve', 'reject', 'return'].includes(command) ? 'under_review' : state;
            if (d.code === 'illegal_transition') expect(EDGES.has(`${via}>${target[command as CommandType]}`) && (via === state || EDGES.has(`${state}>${via}`))).toBe(false);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('every edge of the workflow is reachable by some command and party', () => {
    for (const edge of EDGES) {
      const [from, to] = edge.split('>') as [ItemStatus, ItemStatus];
      const reached = COMMANDS.some((c) => ROLES.some((w) => {
        const d = decide(from, c, w);
        return d.ok && d.events.at(-1)!.to === to;
      }));
      expect(reached, edge).toBe(true);
    }
  });
});

describe('policy check', () => {
  const base = { collectionId: 'c1', dataUse: [] as { code?: string; disease?: string; months?: number }[] };
  const form = { purposes: [{ code: 'DUO:0000042' }], commercialUse: false, role: 'collaborator', durationMonths: 12 };

  it('passes a request that fits', () => {
    expect(checkPolicy({ ...base, dataUse: [{ code: 'DUO:0000042' }] }, form, '2026-01-01')).toEqual([]);
  });

  it('flags a purpose outside the permission, commercial use, role, duration and ethics', () => {
    const p = { ...base, dataUse: [{ code: 'DUO:0000007', disease: 'C34' }, { code: 'DUO:0000046' }, { code: 'DUO:0000021' }, { code: 'DUO:0000025', months: 6 }] };
    const codes = checkPolicy(p, { ...form, commercialUse: true, role: 'member', durationMonths: 12 }, '2026-01-01').map((c) => c.code);
    expect(codes.sort()).toEqual(['commercial_use', 'duo_purpose', 'duration_too_long', 'ethics_required', 'role_not_allowed']);
  });

  it('matches disease-specific permission by ICD-10 category', () => {
    const p = { ...base, dataUse: [{ code: 'DUO:0000007', disease: 'C34' }] };
    expect(checkPolicy(p, { ...form, purposes: [{ code: 'DUO:0000007', disease: 'C34.1' }] }, '2026-01-01')).toEqual([]);
    expect(checkPolicy(p, { ...form, purposes: [{ code: 'DUO:0000007', disease: 'C50' }] }, '2026-01-01')).toHaveLength(1);
    // HMB admits disease-specific research.
    expect(checkPolicy({ ...base, dataUse: [{ code: 'DUO:0000006' }] }, { ...form, purposes: [{ code: 'DUO:0000007', disease: 'C50' }] }, '2026-01-01')).toEqual([]);
  });

  it('flags an expired ethics approval and takes the tightest duration cap', () => {
    expect(checkPolicy(base, { ...form, ethics: { reference: 'X', expiry: '2025-01-01' } }, '2026-01-01').map((c) => c.code)).toEqual(['ethics_expired']);
    expect(maxDuration({ ...base, maxDurationMonths: 24, dataUse: [{ code: 'DUO:0000025', months: 18 }] })).toBe(18);
    expect(checkPolicy({ ...base, allowedRoles: ['collaborator', 'member'] }, { ...form, role: 'member' }, '2026-01-01')).toEqual([]);
  });
});

describe('form and helpers', () => {
  it('normalises DUO shorthands and requires a disease for DS', () => {
    const ok = AccessForm.safeParse({ title: 'Lung nodules', laySummary: 'We study lung nodules.', abstract: 'A retrospective study of CT.', purposes: [{ code: 'HMB' }], commercialUse: false });
    expect(ok.success && ok.data.purposes[0]!.code).toBe('DUO:0000006');
    expect(ok.success && ok.data.durationMonths).toBe(12);
    expect(ok.success && ok.data.role).toBe('collaborator');
    const ds = AccessForm.safeParse({ title: 'Lung nodules', laySummary: 'We study lung nodules.', abstract: 'A retrospective study of CT.', purposes: [{ code: 'DS' }], commercialUse: false });
    expect(ds.success).toBe(false);
    expect(!ds.success && ds.error.issues[0]!.path).toEqual(['purposes', 0, 'disease']);
  });

  it('diffs two form versions by field path', () => {
    expect(diffForms({ title: 'A', ethics: { reference: 'R1' }, team: [] }, { title: 'A', ethics: { reference: 'R2' }, team: [{ name: 'x' }] })).toEqual([
      { path: 'ethics.reference', before: 'R1', after: 'R2' },
      { path: 'team', before: [], after: [{ name: 'x' }] },
    ]);
  });

  it('adds months and takes medians', () => {
    expect(addMonths(new Date('2026-01-15T10:00:00Z'), 12)).toBe('2027-01-15');
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});
