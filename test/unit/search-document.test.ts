import { describe, expect, it } from 'vitest';
import { CollectionInput } from '../../schemas/collection.js';
import { deriveFacets } from '../../server/catalogue/derive.js';
import {
  ageYears,
  documentKey,
  idFromKey,
  isIndexable,
  plainText,
  toSearchDocument,
  type IndexableRow,
} from '../../server/search/document.js';
import { INDEX_SETTINGS } from '../../server/search/index-settings.js';

function row(overrides: Record<string, unknown> = {}, state = 'published'): IndexableRow {
  const doc = CollectionInput.parse({
    providerId: 'nci-idc',
    title: 'Lung CT with segmentations',
    acronym: 'LUNG-CT',
    description: 'Low-dose chest CT. See [the TCIA page](https://doi.org/10.7937/K9/TCIA.2016.X) or https://example.org/x.',
    keywords: ['lung', 'screening'],
    modalities: ['CT', 'SEG', 'Fusion imaging'],
    bodyParts: ['Chest'],
    conditions: ['Non-small Cell Lung Cancer'],
    sex: ['male', 'female'],
    species: ['Human'],
    countries: ['NL'],
    subjectsCount: 120,
    studiesCount: 240,
    age: { low: 6, high: 18, unit: 'months' },
    accessRights: 'PUBLIC',
    status: 'Active',
    imageDatasetTypes: ['segmentation'],
    manufacturers: ['Siemens'],
    fileFormats: ['DICOM'],
    dataUse: [{ term: 'DUO:0000042' }],
    license: { spdxId: 'CC-BY-4.0', title: 'CC BY 4.0' },
    networkIds: ['eucanimage', 'gone'],
    contacts: [{ contactId: 'jane-doe', role: 'head' }],
    accessUrl: 'https://access.example.org/request',
    accessDescription: 'Write to jane@example.org',
    provenance: 'Exported from the PACS of ward 7',
    deidentification: { patientIdentityRemoved: true, methodText: 'secret method' },
    xnat: { instance: 'https://xnat.secret-site.org', projectId: 'LUNG_CT_01', visibility: 'protected' },
    ...overrides,
  });
  return {
    id: 'nci-idc:collection:lung_ct.v1',
    providerId: 'nci-idc',
    visibility: doc.xnat.visibility,
    publicationState: state,
    title: doc.title,
    doc,
    derived: deriveFacets(doc),
    modifiedAt: new Date('2025-01-02T03:04:05Z'),
  };
}

const ctx = { providerName: 'NCI Imaging Data Commons', networkNames: new Map([['eucanimage', 'EuCanImage']]) };

describe('toSearchDocument', () => {
  const d = toSearchDocument(row(), ctx);

  it('uses a Meilisearch-safe key that maps back to the id', () => {
    expect(d.key).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(idFromKey(d.key)).toBe('nci-idc:collection:lung_ct.v1');
    expect(documentKey(d.id)).toBe(d.key);
  });

  it('puts facet codes in arrays, hierarchies with their ancestors', () => {
    expect(d).toMatchObject({
      modality: ['CT', 'SEG'],
      bodyPart: ['CHEST'],
      cancerSite: ['lung'],
      icd10: ['C34'],
      sex: ['male', 'female'],
      species: ['human'],
      country: ['NL'],
      network: ['eucanimage', 'gone'],
      accessRights: 'PUBLIC',
      imageDatasetType: ['segmentation'],
      hasSegmentation: true,
      duo: ['DUO:0000042'],
      license: 'CC-BY-4.0',
      status: 'Active',
      manufacturer: ['SIEMENS'],
      fileFormat: ['DICOM'],
      providerId: 'nci-idc',
      visibility: 'protected',
      publicationState: 'published',
    });
    expect(d.icd10Tree).toEqual(expect.arrayContaining(['C34', 'C30-C39', 'C00-C97', 'II']));
  });

  it('keeps free-text values searchable but out of the facets', () => {
    expect(d.modalityLabels).toContain('Fusion imaging');
    expect(d.modality).not.toContain('Fusion imaging');
  });

  it('carries numbers for ranges and sorting, age in years', () => {
    expect(d).toMatchObject({
      subjects: 120,
      studies: 240,
      ageLow: 0.5,
      ageHigh: 1.5,
      modified: 1735787045,
      titleSort: 'lung ct with segmentations',
    });
  });

  it('has searchable text: labels, codes, names; network names it knows', () => {
    expect(d.conditionLabels).toEqual(['Malignant neoplasm of bronchus and lung', 'Non-small Cell Lung Cancer']);
    expect(d.codes).toEqual(expect.arrayContaining(['C34', 'CT', 'CHEST']));
    expect(d.providerName).toBe('NCI Imaging Data Commons');
    expect(d.networkNames).toEqual(['EuCanImage']);
    expect(d.description).toBe('Low-dose chest CT. See the TCIA page or');
  });

  it('never carries contacts, XNAT location, access details, provenance or de-identification', () => {
    const json = JSON.stringify(d);
    for (const secret of ['jane', 'xnat.secret-site.org', 'LUNG_CT_01', 'access.example.org', 'ward 7', 'secret method']) {
      expect(json).not.toContain(secret);
    }
  });

  it('every attribute the settings name exists in the document type', () => {
    const keys = new Set(Object.keys(d));
    for (const a of [
      ...INDEX_SETTINGS.searchableAttributes!,
      ...(INDEX_SETTINGS.filterableAttributes as string[]),
      ...INDEX_SETTINGS.sortableAttributes!,
    ]) {
      if (!['ageLow', 'ageHigh'].includes(a)) expect(keys, a).toContain(a);
    }
  });
});

it('indexes published collections only', () => {
  expect(isIndexable({ publicationState: 'published' })).toBe(true);
  expect(isIndexable({ publicationState: 'draft' })).toBe(false);
  expect(isIndexable({ publicationState: 'withdrawn' })).toBe(false);
});

it('widens an open age range so overlap filters still match', () => {
  expect(ageYears(undefined)).toEqual({});
  expect(ageYears({ low: 18, unit: 'years' })).toEqual({ ageLow: 18, ageHigh: 150 });
  expect(ageYears({ high: 12, unit: 'years' })).toEqual({ ageLow: 0, ageHigh: 12 });
  expect(ageYears({ low: 7, high: 14, unit: 'days' })).toEqual({ ageLow: 0.02, ageHigh: 0.04 });
});

it('strips link targets and bare URLs from descriptions', () => {
  expect(plainText('[TCGA](http://a.b/c_(d)) data at https://x.y/z  here')).toBe('TCGA data at here');
});

it('leaves no markdown syntax for the result snippet to show', () => {
  expect(plainText('Please see the [RIDER Lung CT](https://doi.org/10.7937/K9) page.')).toBe('Please see the RIDER Lung CT page.');
  expect(plainText('## Summary\n> quoted **bold** and *em* and _em_ and `code`, ![scan](x.png)')).toBe(
    'Summary\nquoted bold and em and em and code, scan',
  );
  // Underscores and asterisks inside words and identifiers stay: snake_case, 2*3, TCGA_LUAD.
  expect(plainText('TCGA_LUAD and a_b_c, 2*3*4')).toBe('TCGA_LUAD and a_b_c, 2*3*4');
});

it('tolerates sparse rows', () => {
  const d = toSearchDocument(
    {
      id: 'p:c',
      providerId: 'p',
      visibility: 'public',
      publicationState: 'published',
      title: 'T',
      doc: {},
      derived: {},
      modifiedAt: new Date(0),
    },
    { providerName: 'P', networkNames: new Map() },
  );
  expect(d).toMatchObject({ acronym: '', modality: [], icd10Tree: [], hasSegmentation: false, description: '' });
  expect(d.subjects).toBeUndefined();
});
