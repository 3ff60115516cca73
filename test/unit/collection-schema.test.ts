import { describe, expect, it } from 'vitest';
import { freeTextValues } from '../../schemas/coded.js';
import { CollectionInput } from '../../schemas/collection.js';
import { collectionJsonSchema } from '../../schemas/json-schema.js';
import { isLocalDatabaseUrl } from '../../seed/local.js';
import { mapIdcRecord, splitList } from '../../seed/idc.js';

const base = {
  providerId: 'site-a',
  title: 'T',
  description: 'D',
  xnat: { instance: 'https://xnat.a.org', projectId: 'P1', visibility: 'public' },
};

describe('CollectionInput', () => {
  it('normalises coded strings and de-duplicates synonyms', () => {
    const c = CollectionInput.parse({
      ...base,
      modalities: ['MRI', 'Magnetic Resonance', 'PET', 'Histopathology'],
      bodyParts: ['Head-Neck'],
      sex: ['F'],
    });
    expect(c.modalities.map((m) => m.code)).toEqual(['MR', 'PT', 'SM']);
    expect(c.bodyParts[0]?.code).toBe('HEADNECK');
    expect(c.sex[0]?.code).toBe('female');
  });

  it('keeps values no term fits as free text, and lists them', () => {
    const c = CollectionInput.parse({ ...base, modalities: ['CT', 'Hyperspectral camera'], conditions: ['Phantom'] });
    expect(c.modalities[1]).toEqual({ label: 'Hyperspectral camera' });
    const found = freeTextValues(c as unknown as Record<string, unknown>);
    expect(found).toEqual(expect.arrayContaining([{ path: 'modalities[1]', value: 'Hyperspectral camera' }]));
    expect(found.map((f) => f.path)).toContain('conditions[0]');
  });

  it('accepts explicit codings but rejects unknown codes in known systems', () => {
    expect(CollectionInput.safeParse({ ...base, modalities: [{ system: 'DCM', code: 'CT', label: 'Computed Tomography' }] }).success).toBe(
      true,
    );
    const bad = CollectionInput.safeParse({ ...base, modalities: [{ system: 'DCM', code: 'XYZ', label: 'nope' }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['modalities', 0]);
  });

  it('rejects unknown fields and inverted age ranges', () => {
    expect(CollectionInput.safeParse({ ...base, colour: 'red' }).success).toBe(false);
    const age = CollectionInput.safeParse({ ...base, age: { low: 80, high: 18 } });
    expect(age.error?.issues[0]?.path).toEqual(['age', 'low']);
  });

  it('exports a JSON Schema with the model fields', () => {
    const s = collectionJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(s.properties)).toEqual(
      expect.arrayContaining(['modalities', 'bodyParts', 'conditions', 'deidentification', 'dataUse', 'license', 'xnat']),
    );
    expect(s.required).toContain('xnat');
  });
});

describe('seed mapping', () => {
  it('splits source lists without breaking "…, Not Otherwise Specified"', () => {
    expect(splitList('Diffuse Large B-Cell Lymphoma, Not Otherwise Specified, Glioma')).toEqual([
      'Diffuse Large B-Cell Lymphoma, Not Otherwise Specified',
      'Glioma',
    ]);
    expect(splitList('SEG, SEG, CT')).toEqual(['SEG', 'CT']);
  });

  it('maps an IDC record to a valid collection', () => {
    const doc = mapIdcRecord(
      {
        collection_id: 'nsclc_radiomics',
        cancer_type: 'Lung Cancer',
        location: 'Lung',
        species: 'Human',
        subject_count: '422',
        date_updated: '2025-12-03',
        doi: '10.7937/K9/TCIA.2015.PF0M9REI',
        image_types: 'CT, RTSTRUCT, SEG',
        supporting_data: 'Clinical',
        description: 'NSCLC-Radiomics.',
      },
      undefined,
      new Map([['10.7937/k9/tcia.2015.pf0m9rei', 'NSCLC-Radiomics']]),
    );
    const parsed = CollectionInput.parse(doc);
    expect(parsed.title).toBe('NSCLC-Radiomics');
    expect(parsed.subjectsCount).toBe(422);
    expect(parsed.imageDatasetTypes.map((t) => t.code)).toEqual(['original', 'segmentation']);
  });

  it('reseeds only local databases', () => {
    expect(isLocalDatabaseUrl('postgres://postgres@127.0.0.1:5432/x')).toBe(true);
    expect(isLocalDatabaseUrl('postgres://postgres@localhost/x')).toBe(true);
    expect(isLocalDatabaseUrl('postgres://app@db.prod.example.org/catalogue')).toBe(false);
  });
});
