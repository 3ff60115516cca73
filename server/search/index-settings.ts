/**
 * The Meilisearch index design, in code. Any change to `INDEX_SETTINGS` or to the document shape
 * (document.ts) must bump `SETTINGS_VERSION`: the version is stored next to the index and a
 * mismatch at start-up triggers a full reindex into a fresh index, swapped in atomically.
 */
import type { Settings } from 'meilisearch';
import type { FacetName, RangeName } from '../../schemas/search.js';
import { ICD10 } from '../../schemas/vocab/icd10.js';

export const SETTINGS_VERSION = 4;

/** API facet name → index attribute. */
export const FACET_ATTRIBUTE: Record<FacetName, string> = {
  modality: 'modality',
  bodyPart: 'bodyPart',
  cancerSite: 'cancerSite',
  // Codes with all their ancestors, so a block (C30-C39) or the chapter matches its children.
  icd10: 'icd10Tree',
  sex: 'sex',
  country: 'country',
  provider: 'providerId',
  network: 'network',
  accessRights: 'accessRights',
  imageDatasetType: 'imageDatasetType',
  hasSegmentation: 'hasSegmentation',
  duo: 'duo',
  license: 'license',
  status: 'status',
  species: 'species',
  manufacturer: 'manufacturer',
  fileFormat: 'fileFormat',
};

/** API range name → numeric attributes (age is a [low, high] interval per collection). */
export const RANGE_ATTRIBUTES: Record<RangeName, { low: string; high: string }> = {
  subjects: { low: 'subjects', high: 'subjects' },
  studies: { low: 'studies', high: 'studies' },
  age: { low: 'ageLow', high: 'ageHigh' },
};

export const SORT_ATTRIBUTE = { subjects: 'subjects', studies: 'studies', title: 'titleSort', modified: 'modified' } as const;

/** Attributes the access rule filters on; never exposed as facets. */
export const ACCESS_ATTRIBUTES = ['visibility', 'providerId', 'publicationState'] as const;

/** Word groups that mean the same in this domain; expanded to mutual Meilisearch synonyms. */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['mri', 'mr', 'magnetic resonance', 'magnetic resonance imaging'],
  ['pet', 'pt', 'positron emission tomography'],
  ['ct', 'computed tomography', 'cat scan'],
  ['petct', 'pet/ct', 'pet-ct'],
  ['mammography', 'mg', 'mammogram'],
  ['ultrasound', 'sonography', 'ultrasonography'],
  ['xray', 'x-ray', 'radiography', 'dx', 'cr'],
  ['spect', 'nm', 'nuclear medicine'],
  ['wsi', 'sm', 'whole slide imaging', 'slide microscopy', 'histopathology'],
  ['seg', 'segmentation', 'segmentations'],
  ['rtstruct', 'rt structure set'],
  ['nsclc', 'non-small cell lung cancer', 'non small cell lung cancer', 'non-small-cell lung cancer'],
  ['sclc', 'small cell lung cancer'],
  ['hcc', 'hepatocellular carcinoma'],
  ['rcc', 'renal cell carcinoma'],
  ['ccrcc', 'clear cell renal cell carcinoma'],
  ['gbm', 'glioblastoma', 'glioblastoma multiforme'],
  ['lgg', 'low grade glioma', 'lower grade glioma'],
  ['dlbcl', 'diffuse large b-cell lymphoma'],
  ['hnscc', 'head and neck squamous cell carcinoma'],
  ['crc', 'colorectal cancer'],
  ['pdac', 'pancreatic ductal adenocarcinoma'],
  ['aml', 'acute myeloid leukemia', 'acute myeloid leukaemia'],
  ['leukemia', 'leukaemia'],
  ['tumor', 'tumour'],
  ['oesophagus', 'esophagus'],
  ['oesophageal', 'esophageal'],
  ['oedema', 'edema'],
  ['haematological', 'hematological'],
  ['cns', 'central nervous system'],
];

export function expandSynonyms(groups: readonly (readonly string[])[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of groups) {
    for (const w of g) out[w] = [...new Set([...(out[w] ?? []), ...g.filter((x) => x !== w)])];
  }
  return out;
}

/** Code-like query words that must match exactly (C34 is not C43). */
const CODE_WORDS = ICD10.filter((t) => /^[CD]\d{2}$/.test(t.code)).map((t) => t.code.toLowerCase());

export const INDEX_SETTINGS: Settings = {
  // Ranked: a hit in the title beats one in keywords, which beats one in the description.
  searchableAttributes: [
    'title',
    'acronym',
    'keywords',
    'conditionLabels',
    'codes',
    'bodyPartLabels',
    'modalityLabels',
    'cancerSiteLabels',
    'speciesLabels',
    'otherLabels',
    'providerName',
    'networkNames',
    'description',
  ],
  filterableAttributes: [
    ...new Set([
      ...Object.values(FACET_ATTRIBUTE),
      ...Object.values(RANGE_ATTRIBUTES).flatMap((r) => [r.low, r.high]),
      ...ACCESS_ATTRIBUTES,
      // Search excludes collections with pending tightening changes by key (tightening.ts).
      'key',
      // Search-time `distinct` (collapse the same dataset catalogued by several providers) needs it filterable.
      'datasetKey',
    ]),
  ],
  sortableAttributes: Object.values(SORT_ATTRIBUTE),
  // `sort` right after `words`: an explicit sort wins over the finer relevance rules.
  rankingRules: ['words', 'sort', 'typo', 'proximity', 'attribute', 'exactness'],
  synonyms: expandSynonyms(SYNONYM_GROUPS),
  typoTolerance: {
    enabled: true,
    disableOnAttributes: ['codes', 'acronym'],
    disableOnWords: CODE_WORDS,
    disableOnNumbers: true,
  },
  // ICD-10 alone has ~160 categories plus blocks: above the default of 100.
  faceting: { maxValuesPerFacet: 300, sortFacetValuesBy: { '*': 'count' } },
  pagination: { maxTotalHits: 1_000_000 },
  localizedAttributes: [{ attributePatterns: ['*'], locales: ['eng'] }],
  facetSearch: true,
  prefixSearch: 'indexingTime',
};

/** What a hit needs; nothing else leaves Meilisearch. */
export const HIT_ATTRIBUTES = [
  'id',
  'title',
  'acronym',
  'providerId',
  'providerName',
  'visibility',
  'modalities',
  'bodyParts',
  'conditions',
  'subjects',
  'accessRightsCoding',
];
