import { describe, expect, it } from 'vitest';
import {
  BODY_PARTS,
  CANCER_SITE_GROUPS,
  DUO_TERMS,
  ICD10,
  ICD10_CATEGORIES,
  MODALITIES,
  SYSTEM,
  bodyRegionsFor,
  cancerSiteGroupsFor,
  cancerSiteGroupsForBodyPart,
  icd10Ancestors,
  icd10Lookup,
  normaliseBodyPart,
  normaliseCancerType,
  normaliseCancerTypes,
  normaliseModality,
  splitList,
  vocabularies,
} from '../../schemas/vocab/index.js';

const codes = (cs: { code?: string; label: string }[]) => cs.map((c) => c.code ?? `"${c.label}"`);

describe('modalities', () => {
  it('ships CID 29 (51 acquisition codes) plus non-acquisition CID 33 codes incl. ANN', () => {
    expect(MODALITIES.filter((m) => m.acquisition)).toHaveLength(51);
    for (const c of ['SEG', 'RTSTRUCT', 'SR', 'ANN', 'KO', 'PR', 'REG', 'RTDOSE', 'RTPLAN', 'RWV', 'M3D', 'OT']) {
      expect(MODALITIES.find((m) => m.code === c)?.acquisition, c).toBe(false);
    }
    expect(MODALITIES.find((m) => m.code === 'SM')?.acquisition).toBe(true);
    expect(MODALITIES.some((m) => m.code === 'SC')).toBe(false);
  });

  it.each([
    ['MRI', ['MR']],
    ['Magnetic Resonance', ['MR']],
    ['mr', ['MR']],
    ['PET', ['PT']],
    ['PT', ['PT']],
    ['Computed Tomography', ['CT']],
    ['Pathology', ['SM']],
    ['Histopathology', ['SM']],
    ['Whole slide image', ['SM']],
    ['WSI', ['SM']],
    ['DBT', ['MG']],
    ['Tomosynthesis', ['MG']],
    ['Mammography', ['MG']],
    ['FDG-PET/CT', ['PT', 'CT']],
    ['PET-CT', ['PT', 'CT']],
    ['PSMA PET', ['PT']],
    ['SPECT', ['NM']],
    ['SPECT/CT', ['NM', 'CT']],
    ['Ultrasound', ['US']],
    ['X-ray', ['DX']],
    ['rt struct', ['RTSTRUCT']],
    ['Segmentation', ['SEG']],
    ['CT, MR, SEG, SEG', ['CT', 'MR', 'SEG']],
  ])('%s → %j', (raw, expected) => {
    const out = normaliseModality(raw);
    expect(codes(out)).toEqual(expected);
    for (const c of out) expect(c.system).toBe(SYSTEM.modality);
  });

  it('keeps unknown and non-modality values as free text', () => {
    expect(normaliseModality('  High-dimensional CODEX images ')).toEqual([{ label: 'High-dimensional CODEX images' }]);
    expect(normaliseModality('FUSION')).toEqual([{ label: 'FUSION' }]);
    expect(normaliseModality('SC')).toEqual([{ label: 'Secondary Capture (SC)' }]);
    expect(normaliseModality('PET/foo')).toEqual([{ system: 'DCM', code: 'PT', label: 'Positron emission tomography' }, { label: 'foo' }]);
    expect(normaliseModality('   ')).toEqual([]);
  });
});

describe('body parts', () => {
  it.each([
    ['Chest-Abdomen-Pelvis', ['CHESTABDPELVIS']],
    ['Chest, Abdomen and Pelvis', ['CHESTABDPELVIS']],
    ['Head-Neck', ['HEADNECK']],
    ['Head and Neck', ['HEADNECK']],
    ['TSpine', ['TSPINE']],
    ['T-SPINE', ['TSPINE']],
    ['Adrenal Glands', ['ADRENAL']],
    ['Testicles', ['TESTIS']],
    ['Whole Body', ['WHOLEBODY']],
    ['Entire body', ['WHOLEBODY']],
    ['Extremities', ['EXTREMITY']],
    ['Intraocular', ['EYE']],
    ['Lung Phantom', ['LUNG', '"Phantom"']],
    ['Head & Chest Phantom', ['HEAD', 'CHEST', '"Phantom"']],
    ['Phantom', ['"Phantom"']],
    ['Various', ['"Various"']],
    ['Various (11 locations)', ['"Various (11 locations)"']],
    ['Blood', ['"Blood"']],
    ['Bone Marrow', ['"Bone Marrow"']],
    ['bladder organ, uterine cervix, skin of body', ['BLADDER', 'CERVIX', 'SKIN']],
  ])('%s → %j', (raw, expected) => {
    expect(codes(normaliseBodyPart(raw))).toEqual(expected);
  });

  it('carries SCT codes, regions and site groups', () => {
    const lung = BODY_PARTS.find((b) => b.code === 'LUNG');
    expect(lung).toMatchObject({ sct: '39607008', region: 'CHEST' });
    expect(BODY_PARTS.find((b) => b.code === 'ABDOMEN')?.sct).toBe('818981001');
    expect(bodyRegionsFor('LIVER')).toEqual(['ABDOMEN']);
    expect(bodyRegionsFor('CHESTABDPELVIS')).toEqual(['CHEST', 'ABDOMEN', 'PELVIS']);
    expect(bodyRegionsFor('CHEST')).toEqual(['CHEST']);
    expect(cancerSiteGroupsForBodyPart('RECTUM')).toEqual(['colorectal']);
    for (const b of BODY_PARTS) expect(b.sct, b.code).toMatch(/^\d{6,10}$/);
  });
});

describe('ICD-10', () => {
  it('ships chapter II blocks and every 3-character C and D category', () => {
    expect(ICD10_CATEGORIES.filter((t) => t.code.startsWith('C'))).toHaveLength(89);
    expect(ICD10_CATEGORIES.filter((t) => t.code.startsWith('D'))).toHaveLength(48);
    expect(ICD10.some((t) => t.code === 'D49')).toBe(false);
    expect(icd10Lookup('C34')?.label).toBe('Malignant neoplasm of bronchus and lung');
    expect(icd10Lookup('D18')?.label).toBe('Haemangioma and lymphangioma, any site');
  });

  it('accepts the usual code forms', () => {
    for (const f of ['C34', 'c34', 'urn:miriam:icd:C34', 'ICD-10: C34', 'https://icd.who.int/browse10/2019/en#/C34']) {
      expect(icd10Lookup(f)?.code, f).toBe('C34');
    }
    expect(icd10Lookup('C34.1')).toMatchObject({ code: 'C34.1', kind: 'subcategory', parent: 'C34' });
    expect(icd10Lookup('c341')?.code).toBe('C34.1');
    expect(icd10Lookup('C99')).toBeUndefined();
    expect(icd10Lookup('J18')).toBeUndefined();
    expect(icd10Lookup('lung')).toBeUndefined();
  });

  it('computes ancestors', () => {
    expect(icd10Ancestors('C34')).toEqual(['C30-C39', 'C00-C75', 'C00-C97', 'II']);
    expect(icd10Ancestors('C34.1')).toEqual(['C34', 'C30-C39', 'C00-C75', 'C00-C97', 'II']);
    expect(icd10Ancestors('C50')).toEqual(['C50-C50', 'C00-C75', 'C00-C97', 'II']);
    expect(icd10Ancestors('C92')).toEqual(['C81-C96', 'C00-C97', 'II']);
    expect(icd10Ancestors('D33')).toEqual(['D10-D36', 'II']);
    expect(icd10Ancestors('C30-C39')).toEqual(['C00-C75', 'C00-C97', 'II']);
    expect(icd10Ancestors('X99')).toEqual([]);
  });
});

describe('cancer-site groups', () => {
  it.each([
    ['C34', ['lung']],
    ['C18', ['colorectal']],
    ['C20', ['colorectal']],
    ['C50', ['breast']],
    ['C71', ['brain-cns']],
    ['D33', ['brain-cns']],
    ['C38.4', ['mesothelioma-pleura']],
    ['C45', ['mesothelioma-pleura']],
    ['C74.9', ['neuroblastoma-paediatric']],
    ['C74', ['other']],
    ['C83', ['lymphoma']],
    ['C92', ['leukaemia-myeloma']],
    ['C78', ['metastatic']],
    ['C00-C14', []],
    ['Z99', []],
  ])('%s → %j', (code, expected) => {
    expect(cancerSiteGroupsFor(code)).toEqual(expected);
  });

  it('has unique slugs', () => {
    const slugs = CANCER_SITE_GROUPS.map((g) => g.code);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const s of slugs) expect(s).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});

describe('cancer types', () => {
  it.each([
    ['Non-small Cell Lung Cancer', 'C34'],
    ['Glioblastoma Multiforme', 'C71'],
    ['Breast Invasive Carcinoma', 'C50'],
    ['Acute Myeloid Leukemia', 'C92'],
    ['Kidney Renal Clear Cell Carcinoma', 'C64'],
    ['Uveal Melanoma', 'C69'],
    ['Thymoma', 'C37'],
    ['Vestibular Schwannoma (non-cancer)', 'D33'],
    ['Hemangioma', 'D18'],
    ['Multiple Myeloma', 'C90'],
    ['Prostate', 'C61'],
    ['Gastroesophageal Cancer', 'C16'],
    ['ervical Squamous Cell Carcinoma', 'C53'],
    ['C34', 'C34'],
    ['c34.1', 'C34.1'],
  ])('%s → %s, text kept', (raw, code) => {
    const ct = normaliseCancerType(raw);
    expect(ct.code).toBe(code);
    expect(ct.system).toBe(SYSTEM.icd10);
    expect(ct.label).toBe(icd10Lookup(code)?.label);
    expect(ct.text).toBe(raw);
  });

  it.each([
    ['Phantom', 'non-cancer'],
    ['Non-Cancer', 'non-cancer'],
    ['COVID-19 (non-cancer)', 'non-cancer'],
    ['Healthy Controls (non-cancer)', 'non-cancer'],
    ['Various', 'unspecified'],
    ['Paraganglioma', 'unmapped'],
    ['Adenocarcinoma', 'unmapped'],
    ['Colorectal Cancer', 'site-group'],
  ])('%s stays free text (%s)', (raw, match) => {
    const ct = normaliseCancerType(raw);
    expect(ct.code).toBeUndefined();
    expect(ct.system).toBeUndefined();
    expect(ct.label).toBe(raw);
    expect(ct.text).toBe(raw);
    expect(ct.match).toBe(match);
  });

  it('derives site groups from text when no code is safe', () => {
    expect(normaliseCancerType('Colorectal Cancer').siteGroups).toEqual(['colorectal']);
    expect(normaliseCancerType('Head and Neck Squamous Cell Carcinoma').siteGroups).toEqual(['head-neck']);
    expect(normaliseCancerType('Non-small Cell Lung Cancer').siteGroups).toEqual(['lung']);
  });

  it('splits multi-valued fields but keeps ", Not Otherwise Specified" attached', () => {
    expect(splitList('Renal Cell Carcinoma, Not Otherwise Specified, Melanoma')).toEqual([
      'Renal Cell Carcinoma, Not Otherwise Specified',
      'Melanoma',
    ]);
    const list = normaliseCancerTypes('Diffuse Large B-Cell Lymphoma, Not Otherwise Specified');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ code: 'C83', text: 'Diffuse Large B-Cell Lymphoma, Not Otherwise Specified' });
    expect(normaliseCancerTypes('')).toEqual([]);
  });
});

describe('vocabulary data integrity', () => {
  it('every vocabulary has unique codes and non-empty labels within the Coding limits', () => {
    const ids = vocabularies.map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const v of vocabularies) {
      const cs = v.terms.map((t) => t.code);
      expect(new Set(cs).size, v.id).toBe(cs.length);
      for (const t of v.terms) {
        expect(t.label.length, `${v.id}:${t.code}`).toBeGreaterThan(0);
        expect(t.label.length).toBeLessThanOrEqual(500);
        expect(t.code.length).toBeLessThanOrEqual(100);
      }
    }
    expect(JSON.parse(JSON.stringify(vocabularies))).toHaveLength(vocabularies.length);
  });

  it('DUO uses CURIE codes; obsolete and root terms are not offered', () => {
    for (const t of DUO_TERMS) expect(t.code).toMatch(/^DUO:\d{7}$/);
    expect(DUO_TERMS.filter((t) => t.kind === 'obsolete').every((t) => !t.offered)).toBe(true);
    expect(DUO_TERMS.find((t) => t.code === 'DUO:0000001')?.offered).toBe(false);
    expect(DUO_TERMS.filter((t) => t.offered)).toHaveLength(23);
  });
});

describe('DUO shorthands', () => {
  it('name the CURIEs rules and exports use, one per shorthand term of the table', async () => {
    const { DUO, DUO_TERMS } = await import('../../schemas/vocab/index.js');
    expect(DUO.GRU).toBe('DUO:0000042');
    expect(DUO.NCU).toBe('DUO:0000046');
    expect(DUO.TS).toBe('DUO:0000025');
    const withShorthand = DUO_TERMS.filter((t) => t.shorthand);
    expect(Object.keys(DUO).sort()).toEqual(withShorthand.map((t) => t.shorthand).sort());
    for (const t of withShorthand) expect(DUO[t.shorthand!]).toBe(t.code);
  });
});
