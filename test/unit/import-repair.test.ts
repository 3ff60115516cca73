/** Import repairs, without a database: what is repaired, what is dropped with a warning, what stays an error. */
import { describe, expect, it } from 'vitest';
import { CollectionInput } from '../../schemas/collection.js';
import { NO_DESCRIPTION } from '../../server/catalogue/rules.js';
import { blocksPublishing, repairImportRecord, repairUrl } from '../../server/catalogue/import-repair.js';

const base = {
  providerId: 'tcia',
  title: 'CPTAC-CCRCC',
  description: 'Clear cell renal cell carcinoma imaging.',
  xnat: { instance: 'https://xnat.example.org', projectId: 'CCRCC', visibility: 'public' },
};

describe('repairUrl', () => {
  it.each([
    ['//doi.org/10.7937/K9/TCIA.2017.7hs46erv', 'https://doi.org/10.7937/K9/TCIA.2017.7hs46erv'],
    ['//dx.doi.org/10.7937/x', 'https://dx.doi.org/10.7937/x'],
    ['doi:10.7937/TCIA.2019.x', 'https://doi.org/10.7937/TCIA.2019.x'],
    ['10.5281/zenodo.12689935', 'https://doi.org/10.5281/zenodo.12689935'],
    ['www.cancerimagingarchive.net', 'https://www.cancerimagingarchive.net'],
    ['https://wiki.cancerimagingarchive.net/x', 'https://wiki.cancerimagingarchive.net/x'],
  ])('%s → %s', (raw, fixed) => expect(repairUrl(raw)).toBe(fixed));
  it('does not invent URLs', () => {
    expect(repairUrl('see the website')).toBeUndefined();
    expect(repairUrl('javascript:alert(1)')).toBeUndefined();
  });
});

describe('repairImportRecord', () => {
  it('repairs links and keeps the record publishable', () => {
    const { doc, warnings } = repairImportRecord({
      ...base,
      landingPage: '//doi.org/10.7937/x',
      documentation: ['//wiki.cancerimagingarchive.net/y'],
    });
    expect(CollectionInput.parse(doc).landingPage).toBe('https://doi.org/10.7937/x');
    expect(warnings.every((w) => w.code === 'repaired')).toBe(true);
    expect(blocksPublishing(warnings)).toBe(false);
  });

  it('drops an invalid optional field, list item or nested field with a warning', () => {
    const { doc, warnings } = repairImportRecord({
      ...base,
      accessUrl: 'ask us',
      documentation: ['https://ok.org', 'not a link'],
      subjectsCount: -3,
      license: { title: 'CC BY 4.0', url: 'creative commons site' },
    });
    const f = CollectionInput.parse(doc);
    expect(f.accessUrl).toBeUndefined();
    expect(f.documentation).toEqual(['https://ok.org']);
    expect(f.subjectsCount).toBeUndefined();
    expect(f.license).toEqual({ title: 'CC BY 4.0' });
    expect(warnings.map((w) => [w.path, w.code])).toEqual(
      expect.arrayContaining([
        ['accessUrl', 'dropped_invalid'],
        ['documentation[1]', 'dropped_invalid'],
        ['subjectsCount', 'dropped_invalid'],
        ['license.url', 'dropped_invalid'],
      ]),
    );
    expect(blocksPublishing(warnings)).toBe(false);
  });

  it('never drops a required field: the record stays invalid', () => {
    const { doc } = repairImportRecord({ ...base, xnat: { instance: 'nope', projectId: 'P', visibility: 'public' } });
    expect(CollectionInput.safeParse(doc).success).toBe(false);
  });

  it('keeps a record without description, or with unreadable access rights, as a blocked draft', () => {
    const { description: _d, ...noDesc } = base;
    const a = repairImportRecord(noDesc);
    expect((a.doc as { description: string }).description).toBe(NO_DESCRIPTION);
    expect(blocksPublishing(a.warnings)).toBe(true);
    const b = repairImportRecord({ ...base, accessRights: 'Ask the PI nicely' });
    expect(CollectionInput.parse(b.doc).accessRights).toBeUndefined();
    expect(b.warnings).toEqual([expect.objectContaining({ path: 'accessRights', code: 'not_in_vocabulary' })]);
    expect(blocksPublishing(b.warnings)).toBe(true);
  });

  it('moves "Clinical" out of the modalities and reads a histology at its body part', () => {
    const { doc } = repairImportRecord({
      ...base,
      modalities: ['CT', 'MR', 'Clinical'],
      bodyParts: ['Kidney'],
      conditions: ['Clear Cell Carcinoma'],
    });
    const f = CollectionInput.parse(doc);
    expect(f.modalities.map((m) => m.code)).toEqual(['CT', 'MR']);
    expect(f.supportingData.map((m) => m.code)).toEqual(['clinical']);
    expect(f.conditions[0]).toMatchObject({ code: 'C64', text: 'Clear Cell Carcinoma' });
  });
});
