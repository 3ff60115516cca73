import { describe, expect, it } from 'vitest';
import { datasetKey, datasetKeys } from '../../schemas/dataset-key.js';

describe('dataset keys: the same dataset is recognised however its DOI or landing page is written', () => {
  it.each([
    'https://doi.org/10.7937/K9/TCIA.2016.X',
    'http://dx.doi.org/10.7937/k9/tcia.2016.x',
    '//doi.org/10.7937/K9/TCIA.2016.X/',
    'doi:10.7937/K9/TCIA.2016.X',
    '  10.7937/K9/TCIA.2016.X  ',
  ])('%s', (value) => expect(datasetKey(value)).toBe('10.7937/k9/tcia.2016.x'));

  it('drops the scheme, www. and trailing slashes of landing pages, and ignores keys too short to identify anything', () => {
    expect(datasetKey('https://www.cancerimagingarchive.net/collection/lidc-idri///')).toBe(
      'cancerimagingarchive.net/collection/lidc-idri',
    );
    expect(datasetKey('doi:1/2')).toBeUndefined();
    expect(datasetKey(undefined)).toBeUndefined();
  });

  it('collects the PID, the landing page and DOI identifiers only, once each', () => {
    expect(
      datasetKeys({
        pid: 'https://doi.org/10.5281/zenodo.123456',
        landingPage: 'https://example.org/data/lung/',
        otherIdentifiers: [
          { scheme: 'DOI', value: 'doi:10.5281/zenodo.123456' },
          { scheme: 'local', value: 'LUNG-0001-XYZ' },
        ],
      }),
    ).toEqual(['10.5281/zenodo.123456', 'example.org/data/lung']);
  });
});
