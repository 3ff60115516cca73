import { describe, expect, it } from 'vitest';
import {
  SYSTEM,
  isKnownCode,
  lookupTerm,
  normaliseAccessRights,
  normaliseAgeUnit,
  normaliseCoding,
  normaliseDeidMethod,
  normaliseDuo,
  normaliseFileFormat,
  normaliseLicence,
  normaliseManufacturer,
  normaliseSex,
  normaliseSpecies,
  normaliseStatus,
  normaliseSupportingData,
  validateCoding,
  vocabulary,
} from '../../schemas/vocab/index.js';

const codes = (cs: { code?: string; label: string }[]) => cs.map((c) => c.code ?? `"${c.label}"`);

describe('short lists', () => {
  it('sex', () => {
    expect(codes(normaliseSex('M'))).toEqual(['male']);
    expect(codes(normaliseSex('Female'))).toEqual(['female']);
    expect(codes(normaliseSex('Male, Female'))).toEqual(['male', 'female']);
    expect(codes(normaliseSex('both'))).toEqual(['male', 'female']);
    expect(codes(normaliseSex('O'))).toEqual(['other']);
    expect(codes(normaliseSex('NASK'))).toEqual(['unknown']);
    expect(codes(normaliseSex('Not applicable'))).toEqual(['not-applicable']);
    expect(codes(normaliseSex('nonbinary-ish'))).toEqual(['"nonbinary-ish"']);
  });

  it('species', () => {
    expect(codes(normaliseSpecies('Human, Mouse'))).toEqual(['human', 'mouse']);
    expect(codes(normaliseSpecies('Canine'))).toEqual(['canine']);
    expect(codes(normaliseSpecies('Dog'))).toEqual(['canine']);
    expect(codes(normaliseSpecies('Phantom'))).toEqual(['phantom']);
    expect(codes(normaliseSpecies('Homo sapiens'))).toEqual(['human']);
    expect(normaliseSpecies('')).toEqual([]);
  });

  it('access rights and status', () => {
    expect(normaliseAccessRights('Public')?.code).toBe('PUBLIC');
    expect(normaliseAccessRights('Limited')?.code).toBe('RESTRICTED');
    expect(normaliseAccessRights('private')?.code).toBe('NON_PUBLIC');
    expect(normaliseAccessRights('by appointment')).toEqual({ label: 'by appointment' });
    expect(normaliseAccessRights('  ')).toBeUndefined();
    expect(normaliseStatus('Ongoing')).toEqual({ system: SYSTEM.status, code: 'Active', label: 'Active' });
    expect(normaliseStatus('Complete')?.code).toBe('Ended');
    expect(normaliseStatus('Retired-ish')).toEqual({ label: 'Retired-ish' });
    expect(normaliseAgeUnit('years')?.code).toBe('YEAR');
    expect(normaliseAgeUnit('M')?.code).toBe('MONTH');
  });

  it('supporting data', () => {
    expect(codes(normaliseSupportingData('Clinical, Genomics, Software/Source Code'))).toEqual(['clinical', 'genomics', 'software']);
    expect(codes(normaliseSupportingData('genomic'))).toEqual(['genomics']);
    expect(codes(normaliseSupportingData('Image Registrations'))).toEqual(['image-registrations']);
  });

  it('licences', () => {
    expect(normaliseLicence('CC BY 4.0')?.code).toBe('CC-BY-4.0');
    expect(normaliseLicence('CC BY-NC 4.0')?.code).toBe('CC-BY-NC-4.0');
    expect(normaliseLicence('https://creativecommons.org/licenses/by/3.0/')?.code).toBe('CC-BY-3.0');
    expect(normaliseLicence('Creative Commons Attribution-NonCommercial 4.0 International License')?.code).toBe('CC-BY-NC-4.0');
    expect(normaliseLicence('cc-by-4.0')).toEqual({
      system: 'SPDX',
      code: 'CC-BY-4.0',
      label: 'Creative Commons Attribution 4.0 International',
    });
    expect(normaliseLicence('TCIA Restricted License Agreement')).toEqual({ label: 'TCIA Restricted License Agreement' });
    expect(normaliseLicence({ shortName: 'CC BY 3.0', longName: 'Creative Commons Attribution 3.0 Unported License' })?.code).toBe(
      'CC-BY-3.0',
    );
  });

  it('manufacturers, de-identification, file formats', () => {
    expect(normaliseManufacturer('GE MEDICAL SYSTEMS')?.code).toBe('GE');
    expect(normaliseManufacturer('Philips Medical Systems')?.code).toBe('PHILIPS');
    expect(normaliseManufacturer('TOSHIBA')?.code).toBe('CANON');
    expect(normaliseManufacturer('IMS GIOTTO S.p.A.')?.code).toBe('IMS_GIOTTO');
    expect(normaliseManufacturer('Acme Imaging')).toEqual({ label: 'Acme Imaging' });
    expect(codes(normaliseDeidMethod('113100, Clean Pixel Data'))).toEqual(['113100', '113101']);
    expect(codes(normaliseFileFormat('.nii.gz, DICOM, svs'))).toEqual(['NIfTI', 'DICOM', 'SVS']);
  });

  it('DUO accepts ids, shorthands and labels', () => {
    const gru = { system: 'DUO', code: 'DUO:0000042', label: 'general research use' };
    expect(normaliseDuo('DUO:0000042')).toEqual(gru);
    expect(normaliseDuo('DUO_0000042')).toEqual(gru);
    expect(normaliseDuo('http://purl.obolibrary.org/obo/DUO_0000042')).toEqual(gru);
    expect(normaliseDuo('GRU')).toEqual(gru);
    expect(normaliseDuo('hmb')?.code).toBe('DUO:0000006');
    expect(normaliseDuo('NCU')?.code).toBe('DUO:0000046');
    expect(normaliseDuo('not for profit use only')?.code).toBe('DUO:0000018');
    expect(normaliseDuo('no AI training')).toEqual({ label: 'no AI training' });
  });
});

describe('registry', () => {
  it('lookupTerm / isKnownCode by system', () => {
    expect(lookupTerm('DCM', 'MR')?.label).toBe('Magnetic Resonance');
    expect(lookupTerm('DCM', '113100')?.label).toBe('Basic Application Confidentiality Profile');
    expect(isKnownCode('ICD-10', 'C34.1')).toBe(true);
    expect(isKnownCode('ICD-10', 'C99')).toBe(false);
    expect(isKnownCode('DUO', 'DUO_0000042')).toBe(true);
    expect(isKnownCode('DCM-BPE', 'LUNG')).toBe(true);
    expect(isKnownCode('DCM', 'LUNG')).toBe(false);
    expect(isKnownCode('nope', 'MR')).toBe(false);
  });

  it('normaliseCoding maps strings and codings', () => {
    expect(normaliseCoding('modality', 'MRI')).toEqual([{ system: 'DCM', code: 'MR', label: 'Magnetic Resonance' }]);
    expect(normaliseCoding('modality', { label: 'PET' })).toEqual([{ system: 'DCM', code: 'PT', label: 'Positron emission tomography' }]);
    expect(normaliseCoding('modality', { system: 'DICOM', code: 'mr', label: 'MRI' })).toEqual([
      { system: 'DCM', code: 'MR', label: 'Magnetic Resonance' },
    ]);
    expect(normaliseCoding('bodyPart', { system: 'SCT', code: '39607008', label: 'Lung structure' })).toEqual([
      { system: 'DCM-BPE', code: 'LUNG', label: 'Lung' },
    ]);
    expect(normaliseCoding('cancerType', 'Lung Cancer, Phantom')).toEqual([
      { system: 'ICD-10', code: 'C34', label: 'Malignant neoplasm of bronchus and lung' },
      { label: 'Phantom' },
    ]);
    expect(normaliseCoding('condition', 'Non-small Cell Lung Cancer, Phantom')).toEqual([
      {
        system: 'ICD-10',
        code: 'C34',
        label: 'Malignant neoplasm of bronchus and lung',
        text: 'Non-small Cell Lung Cancer',
      },
      { label: 'Phantom' },
    ]);
    expect(normaliseCoding('deidMethod', 'Basic Application Confidentiality Profile')).toEqual([
      { system: 'DCM', code: '113100', label: 'Basic Application Confidentiality Profile' },
    ]);
    const unknown = { system: 'DCM', code: 'XYZ', label: 'whatever' };
    expect(normaliseCoding('modality', unknown)).toEqual([unknown]);
    expect(normaliseCoding('sex', '')).toEqual([]);
  });

  it('validateCoding reports bad codings and accepts good ones', () => {
    expect(validateCoding('modality', { system: 'DCM', code: 'MR', label: 'MR' })).toBeNull();
    expect(validateCoding('modality', { label: 'CODEX' })).toBeNull();
    expect(validateCoding('modality', { system: 'DCM', code: 'XYZ', label: 'x' })).toMatch(/unknown DCM code/);
    expect(validateCoding('modality', { system: 'DCM', code: '113100', label: 'x' })).toMatch(/unknown DCM code/);
    expect(validateCoding('modality', { system: 'ICD-10', code: 'C34', label: 'x' })).toMatch(/not used for modality/);
    expect(validateCoding('accessRights', { label: 'Public' })).toMatch(/free text is not allowed/);
    expect(validateCoding('cancerType', { system: 'ICD-10', code: 'c34.1', label: 'x' })).toBeNull();
    expect(validateCoding('cancerType', { system: 'ORPHA', code: 'ORPHA:1234', label: 'x' })).toBeNull();
    expect(validateCoding('duo', { system: 'DUO', code: 'DUO:0000042', label: 'GRU' })).toBeNull();
    expect(validateCoding('condition', { system: 'ICD-10', code: 'C99', label: 'x' })).toMatch(/unknown ICD-10 code/);
    expect(validateCoding('deidMethod', { system: 'DCM-CID7050', code: '113101', label: 'x' })).toBeNull();
    expect(validateCoding('sex', { system: 'sex', code: 'Male', label: 'Male' })).toMatch(/unknown/);
    expect(validateCoding('bodyPart', { system: 'DCM-BPE', code: '' as string, label: 'x' })).not.toBeNull();
  });

  it('exposes vocabularies by id', () => {
    expect(vocabulary('modality')?.system).toBe('DCM');
    expect(vocabulary('icd10')?.terms.length).toBeGreaterThan(150);
    expect(vocabulary('nope')).toBeUndefined();
  });
});

describe('robustness', () => {
  const hostile: unknown[] = ['', ' ', ',,,;', '\u0000', 'x'.repeat(5000), '((', '/', '&', '*', 'Ünïcödé, 肺癌', null, undefined, 42, {}];
  const kinds = [
    'modality',
    'bodyPart',
    'icd10',
    'cancerType',
    'cancerSiteGroup',
    'duo',
    'sex',
    'ageUnit',
    'accessRights',
    'accessCondition',
    'imageDatasetType',
    'deid',
    'status',
    'collectionType',
    'dataCategory',
    'supportingData',
    'species',
    'fileFormat',
    'segmentationMethod',
    'manufacturer',
    'licence',
    'condition',
    'deidMethod',
  ] as const;

  it('normaliseCoding / validateCoding never throw and never emit labels over 500 chars', () => {
    for (const kind of kinds) {
      for (const h of hostile) {
        const out = normaliseCoding(kind, h as string);
        for (const c of out) {
          expect(c.label.length, kind).toBeLessThanOrEqual(500);
          expect(validateCoding(kind, c) === null || typeof validateCoding(kind, c) === 'string').toBe(true);
        }
        expect(() => validateCoding(kind, h as never)).not.toThrow();
        expect(() => lookupTerm(kind, h as string)).not.toThrow();
      }
    }
  });
});
