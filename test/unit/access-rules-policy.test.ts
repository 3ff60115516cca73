/**
 * The policy check an owner sees next to an access request: which of the collection's conditions
 * (DUO permission and modifiers, role, duration, ethics) the request's answers conflict with.
 */
import { describe, expect, it } from 'vitest';
import { DUO } from '../../schemas/vocab/duo.js';
import { checkPolicy, type CollectionPolicy, type FormFacts } from '../../server/access/rules.js';

const TODAY = '2026-06-01';
const fits: FormFacts = { purposes: [{ code: DUO.GRU }], commercialUse: false, role: 'collaborator', durationMonths: 12 };
const policy = (dataUse: CollectionPolicy['dataUse'], more: Partial<CollectionPolicy> = {}): CollectionPolicy => ({
  collectionId: 'c1',
  dataUse,
  ...more,
});
const codes = (p: CollectionPolicy, f: Partial<FormFacts>) => checkPolicy(p, { ...fits, ...f }, TODAY).map((c) => c.code);
const purposeOk = (dataUse: CollectionPolicy['dataUse'], code: string, disease?: string) =>
  !codes(policy(dataUse), { purposes: [{ code, ...(disease ? { disease } : {}) }] }).includes('duo_purpose');

describe('data-use permission against the requested purposes', () => {
  it('no restriction and general research use admit every purpose', () => {
    for (const perm of [DUO.NRES, DUO.GRU]) {
      for (const purpose of [DUO.GRU, DUO.HMB, DUO.POA]) expect(purposeOk([{ code: perm }], purpose), `${perm} ${purpose}`).toBe(true);
      expect(purposeOk([{ code: perm }], DUO.DS, 'C50')).toBe(true);
    }
  });

  it('health/medical research admits health/medical and disease-specific research, nothing broader', () => {
    expect(purposeOk([{ code: DUO.HMB }], DUO.HMB)).toBe(true);
    expect(purposeOk([{ code: DUO.HMB }], DUO.DS, 'C50')).toBe(true);
    expect(purposeOk([{ code: DUO.HMB }], DUO.GRU)).toBe(false);
    expect(purposeOk([{ code: DUO.HMB }], DUO.POA)).toBe(false);
  });

  it('disease-specific research admits only research on that disease category (ICD-10, three characters)', () => {
    const lung = [{ code: DUO.DS, disease: 'C34.1' }];
    expect(purposeOk(lung, DUO.DS, 'C34.9')).toBe(true);
    expect(purposeOk(lung, DUO.DS, 'C34')).toBe(true);
    expect(purposeOk(lung, DUO.DS, 'C50')).toBe(false);
    expect(purposeOk(lung, DUO.DS)).toBe(false);
    expect(purposeOk(lung, DUO.HMB)).toBe(false);
    // Without a named disease, any disease-specific research, but still nothing broader.
    expect(purposeOk([{ code: DUO.DS }], DUO.DS, 'C50')).toBe(true);
    expect(purposeOk([{ code: DUO.DS }], DUO.HMB)).toBe(false);
  });

  it('population origins research admits only itself', () => {
    expect(purposeOk([{ code: DUO.POA }], DUO.POA)).toBe(true);
    expect(purposeOk([{ code: DUO.POA }], DUO.GRU)).toBe(false);
    expect(purposeOk([{ code: DUO.POA }], DUO.DS, 'C34')).toBe(false);
  });

  it('a purpose is covered when any one of several permissions admits it', () => {
    const two = [{ code: DUO.DS, disease: 'C34' }, { code: DUO.POA }];
    expect(purposeOk(two, DUO.POA)).toBe(true);
    expect(purposeOk(two, DUO.DS, 'C34.2')).toBe(true);
    expect(purposeOk(two, DUO.HMB)).toBe(false);
  });

  it('modifiers alone (or no terms) restrict no purpose', () => {
    expect(purposeOk([], DUO.POA)).toBe(true);
    expect(purposeOk([{ code: DUO.NCU }, { code: DUO.IRB }, {}], DUO.POA)).toBe(true);
  });

  it('names each uncovered purpose, with its disease', () => {
    const p = policy([{ code: DUO.DS, disease: 'C34' }]);
    expect(checkPolicy(p, { ...fits, purposes: [{ code: DUO.HMB }, { code: DUO.DS, disease: 'C50' }] }, TODAY)).toEqual([
      {
        collectionId: 'c1',
        code: 'duo_purpose',
        message: "The purpose DUO:0000006 is not covered by the collection's data-use permission.",
      },
      {
        collectionId: 'c1',
        code: 'duo_purpose',
        message: "The purpose DUO:0000007 (C50) is not covered by the collection's data-use permission.",
      },
    ]);
  });
});

describe('commercial use', () => {
  const commercial = { commercialUse: true };
  it('conflicts with a collection marked non-commercial or carrying NCU, NPUNCU or NPU', () => {
    const expected = [{ collectionId: 'c1', code: 'commercial_use', message: 'The collection may not be used commercially.' }];
    expect(checkPolicy(policy([], { commercialUse: false }), { ...fits, ...commercial }, TODAY)).toEqual(expected);
    for (const term of [DUO.NCU, DUO.NPUNCU, DUO.NPU])
      expect(codes(policy([{ code: term }]), commercial), term).toEqual(['commercial_use']);
  });

  it('is fine where the collection allows it or says nothing, and non-commercial requests never conflict', () => {
    expect(codes(policy([], { commercialUse: true }), commercial)).toEqual([]);
    expect(codes(policy([]), commercial)).toEqual([]);
    expect(codes(policy([{ code: DUO.IRB }, { code: DUO.GRU }]), { ...commercial, ethics: { reference: 'E1' } })).toEqual([]);
    expect(codes(policy([{ code: DUO.NCU }], { commercialUse: false }), { commercialUse: false })).toEqual([]);
  });
});

describe('ethics approval', () => {
  it('is required by IRB, and one with a reference satisfies it', () => {
    expect(checkPolicy(policy([{ code: DUO.IRB }]), fits, TODAY)).toEqual([
      { collectionId: 'c1', code: 'ethics_required', message: 'The collection requires an ethics approval.' },
    ]);
    expect(codes(policy([{ code: DUO.IRB }]), { ethics: { reference: 'E1' } })).toEqual([]);
  });

  it('counts as expired only after its expiry day', () => {
    expect(checkPolicy(policy([]), { ...fits, ethics: { reference: 'E1', expiry: '2026-05-31' } }, TODAY)).toEqual([
      { collectionId: 'c1', code: 'ethics_expired', message: 'The ethics approval has expired.' },
    ]);
    expect(codes(policy([]), { ethics: { reference: 'E1', expiry: TODAY } })).toEqual([]);
    expect(codes(policy([]), { ethics: { reference: 'E1', expiry: '2027-01-01' } })).toEqual([]);
  });
});

describe('XNAT role', () => {
  it('is collaborator unless the form asks for another, and the collection grants collaborator unless it says otherwise', () => {
    const { role: _, ...noRole } = fits;
    expect(checkPolicy(policy([]), noRole, TODAY)).toEqual([]);
    expect(checkPolicy(policy([], { allowedRoles: ['member'] }), noRole, TODAY)).toEqual([
      { collectionId: 'c1', code: 'role_not_allowed', message: 'The collection does not grant the XNAT collaborator role.' },
    ]);
    expect(codes(policy([]), { role: 'owner' })).toEqual(['role_not_allowed']);
  });
});

describe('duration', () => {
  it('may be as long as the tightest cap, not longer', () => {
    const capped = policy([{ code: DUO.TS, months: 24 }], { maxDurationMonths: 18 });
    expect(codes(capped, { durationMonths: 18 })).toEqual([]);
    expect(codes(capped, { durationMonths: 6 })).toEqual([]);
    expect(checkPolicy(capped, { ...fits, durationMonths: 19 }, TODAY)).toEqual([
      { collectionId: 'c1', code: 'duration_too_long', message: 'The collection grants access for at most 18 months.' },
    ]);
  });

  it('is uncapped when the collection sets no limit, and a form without one asks for 12 months', () => {
    expect(codes(policy([]), { durationMonths: 120 })).toEqual([]);
    const { durationMonths: _, ...noDuration } = fits;
    expect(checkPolicy(policy([{ code: DUO.TS, months: 6 }]), noDuration, TODAY).map((c) => c.code)).toEqual(['duration_too_long']);
    expect(checkPolicy(policy([{ code: DUO.TS, months: 12 }]), noDuration, TODAY)).toEqual([]);
  });
});
