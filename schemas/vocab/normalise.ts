/**
 * Normalisers for the short and open lists (sex, species, access rights, status, supporting data, …;
 * licences are in licence.ts).
 * All are pure, never throw and never drop input: an unrecognised value comes back as free text (label only).
 * Multi-valued normalisers split comma/semicolon lists and return `Coding[]` (blank → `[]`); single-valued
 * ones return `Coding | undefined` (undefined only for blank input).
 */
import type { Coding } from '../common.js';
import {
  FILE_FORMATS,
  FILE_FORMAT_ALIASES,
  MANUFACTURERS,
  SPECIES,
  SPECIES_ALIASES,
  SUPPORTING_DATA,
  SUPPORTING_DATA_ALIASES,
} from './catalogue-lists.js';
import {
  ACCESS_CONDITIONS,
  ACCESS_RIGHTS,
  AGE_UNITS,
  COLLECTION_STATUS,
  COLLECTION_TYPES,
  DATA_CATEGORIES,
  DEID_METHODS,
  IMAGE_DATASET_TYPES,
  SEGMENTATION_METHODS,
  SEX,
} from './lists.js';
import { accessRightsFromWords, sexFromWords, statusFromWords } from './closed-lists.js';
import { PhraseIndex } from './match.js';
import { SYSTEM } from './systems.js';
import { type Term, coded, dedupeCodings, freeText, keyIndex, normKey, splitList } from './text.js';

type Multi = (raw: string) => Coding[];
type Single = (raw: string) => Coding | undefined;

/** Build a list normaliser: each comma-separated item is looked up by code, label or alias. */
function listNormaliser(
  system: string,
  terms: readonly Term[],
  aliases: Readonly<Record<string, string>> = {},
  compounds: Readonly<Record<string, readonly string[]>> = {},
): Multi {
  const idx = keyIndex(terms, aliases);
  const byCode = new Map(terms.map((t) => [t.code, t] as const));
  const comp = new Map(Object.entries(compounds).map(([k, v]) => [normKey(k), v] as const));
  return (raw) => {
    if (typeof raw !== 'string') return [];
    const out: Coding[] = [];
    for (const item of splitList(raw)) {
      const key = normKey(item);
      const t = idx.get(key);
      const c = comp.get(key);
      if (t) out.push(coded(system, t));
      else if (c) for (const code of c) out.push(coded(system, byCode.get(code) as Term));
      else out.push(freeText(item));
    }
    return dedupeCodings(out);
  };
}

/** Single-valued variant: the whole string is one value (no list splitting). */
function singleNormaliser(system: string, terms: readonly Term[], aliases: Readonly<Record<string, string>>): Single {
  const idx = keyIndex(terms, aliases);
  return (raw) => {
    if (typeof raw !== 'string' || !raw.trim()) return undefined;
    const t = idx.get(normKey(raw));
    return t ? coded(system, t) : freeText(raw);
  };
}

const sexMulti = listNormaliser(
  SYSTEM.sex,
  SEX,
  {
    M: 'male',
    Man: 'male',
    Men: 'male',
    Males: 'male',
    'Neutered male': 'male',
    F: 'female',
    Woman: 'female',
    Women: 'female',
    Females: 'female',
    'Neutered female': 'female',
    O: 'other',
    U: 'unknown',
    Unk: 'unknown',
    'Not known': 'unknown',
    NASK: 'unknown',
    'Not asked': 'unknown',
    NAV: 'unknown',
    'Not available': 'unknown',
    Indeterminate: 'undifferentiated',
    Undifferential: 'undifferentiated',
    NA: 'not-applicable',
    'N/A': 'not-applicable',
    Phantom: 'not-applicable',
  },
  {
    Both: ['male', 'female'],
    Mixed: ['male', 'female'],
    'Male and female': ['male', 'female'],
    MF: ['male', 'female'],
    All: ['male', 'female'],
    Any: ['male', 'female'],
  },
);
/**
 * Sex → canonical codes (§6.5): DICOM `M`/`F`/`O`, MIABIS and Directory labels, "Male, Female", "Both" → male +
 * female; Directory `NAV`/`NASK` → unknown; `*` → male + female.
 */
export const normaliseSex: Multi = (raw) => {
  if (typeof raw !== 'string') return [];
  if (raw.trim() === '*') return sexMulti('both');
  const whole = sexFromWords(raw);
  if (whole) return sexMulti(whole);
  // Each item: the vocabulary first, then other languages ("Männlich, Weiblich").
  return dedupeCodings(
    splitList(raw).flatMap((item) => {
      const own = sexMulti(item);
      if (own.every((c) => c.code !== undefined)) return own;
      const word = sexFromWords(item);
      return word ? sexMulti(word) : own;
    }),
  );
};

const speciesList = listNormaliser(SYSTEM.species, SPECIES, SPECIES_ALIASES);
const SPECIES_BY_TAXON = new Map(SPECIES.filter((t) => t.taxon).map((t) => [t.taxon?.split(':')[1] ?? '', t] as const));
const SPECIES_PHRASES = (() => {
  const idx = new PhraseIndex<Term>(new Set(['species', 'sample', 'subject', 'model', 'strain', 'domestic', 'common', 'laboratory']));
  for (const t of SPECIES) idx.add(t.label, t);
  const byCode = new Map(SPECIES.map((t) => [t.code, t] as const));
  for (const [alias, code] of Object.entries(SPECIES_ALIASES)) if (!/^\d+$/.test(alias)) idx.add(alias, byCode.get(code) as Term);
  return idx;
})();

/**
 * Species: "Human", "Mouse", "Canine", "Phantom", "Human, Mouse", Latin names ("Mus musculus (Mouse)"), NCBI taxon
 * ids in any form (`9606`, `NCBITaxon:10090`, `http://purl.obolibrary.org/obo/NCBITaxon_9615`, `txid9606`).
 */
export const normaliseSpecies: Multi = (raw) => {
  if (typeof raw !== 'string') return [];
  return dedupeCodings(
    splitList(raw).flatMap((item) => {
      const own = speciesList(item);
      if (own.every((c) => c.code !== undefined)) return own;
      const taxon = /(?:ncbi_?taxon|taxon(?:omy)?|txid|tax_?id)\D{0,3}(\d+)/i.exec(item)?.[1];
      const byTaxon = taxon ? SPECIES_BY_TAXON.get(taxon) : undefined;
      if (byTaxon) return [coded(SYSTEM.species, byTaxon)];
      const found = SPECIES_PHRASES.resolve(item);
      return found.length > 0 ? found.map((t) => coded(SYSTEM.species, t)) : own;
    }),
  );
};

/** Supporting data kinds: "Clinical, Genomics", "Software/Source Code", "Image Analyses", "genomic", … */
export const normaliseSupportingData: Multi = listNormaliser(SYSTEM.supportingData, SUPPORTING_DATA, SUPPORTING_DATA_ALIASES);

/** A single-valued normaliser that falls back to keyword rules before keeping free text. */
function withWords(base: Single, system: string, terms: readonly Term[], words: (raw: string) => string | undefined): Single {
  const byCode = new Map(terms.map((t) => [t.code, t] as const));
  return (raw) => {
    const first = base(raw);
    if (!first || first.code !== undefined) return first;
    const code = words(raw);
    const t = code ? byCode.get(code) : undefined;
    return t ? coded(system, t) : first;
  };
}

/**
 * Access rights: TCIA `Public` → PUBLIC, `Limited` → RESTRICTED; XNAT public/protected/private; EU authority,
 * COAR and info:eu-repo URIs; "Upon request", "Registered access", "Data access agreement required"; de, fr, es,
 * it, nl, pt, pl, sv words (closed-lists.ts).
 */
export const normaliseAccessRights: Single = withWords(
  singleNormaliser(SYSTEM.accessRights, ACCESS_RIGHTS, {
    Open: 'PUBLIC',
    'Open access': 'PUBLIC',
    Limited: 'RESTRICTED',
    'Limited access': 'RESTRICTED',
    Controlled: 'RESTRICTED',
    'Controlled access': 'RESTRICTED',
    Registered: 'RESTRICTED',
    Protected: 'RESTRICTED',
    'On request': 'RESTRICTED',
    Private: 'NON_PUBLIC',
    Closed: 'NON_PUBLIC',
    'Non public': 'NON_PUBLIC',
    'Not public': 'NON_PUBLIC',
    Internal: 'NON_PUBLIC',
  }),
  SYSTEM.accessRights,
  ACCESS_RIGHTS,
  accessRightsFromWords,
);

/** Collection status: TCIA `Ongoing` → Active, `Complete` → Ended (see lists.ts COLLECTION_STATUS). */
export const normaliseStatus: Single = withWords(
  singleNormaliser(SYSTEM.status, COLLECTION_STATUS, {
    Ongoing: 'Active',
    Open: 'Active',
    Recruiting: 'Active',
    Accruing: 'Active',
    'In progress': 'Active',
    Current: 'Active',
    Complete: 'Ended',
    Completed: 'Ended',
    Closed: 'Ended',
    Finished: 'Ended',
    Final: 'Ended',
    Suspended: 'Other',
    Planned: 'Other',
  }),
  SYSTEM.status,
  COLLECTION_STATUS,
  statusFromWords,
);

/** Age unit: "years", "yr", DICOM `Y`/`M`/`W`/`D`, "Gestational weeks". */
export const normaliseAgeUnit: Single = singleNormaliser(SYSTEM.ageUnit, AGE_UNITS, {
  Y: 'YEAR',
  Yr: 'YEAR',
  Yrs: 'YEAR',
  Year: 'YEAR',
  M: 'MONTH',
  Mo: 'MONTH',
  Month: 'MONTH',
  W: 'WEEK',
  Wk: 'WEEK',
  Week: 'WEEK',
  D: 'DAY',
  Day: 'DAY',
  'Gestational week': 'GESTATIONAL_WEEK',
  GW: 'GESTATIONAL_WEEK',
});

/** EUCAIM access conditions. */
export const normaliseAccessCondition: Multi = listNormaliser(SYSTEM.accessCondition, ACCESS_CONDITIONS, {
  Download: 'DOWNLOAD',
  'In situ': 'IN_SITU_PROCESSING',
  'In-situ': 'IN_SITU_PROCESSING',
  Federated: 'IN_SITU_PROCESSING',
  'Federated processing': 'IN_SITU_PROCESSING',
  'Remote processing': 'REMOTE_PROCESSING',
  'Remote access': 'REMOTE_PROCESSING',
  SPE: 'REMOTE_PROCESSING',
  'Secure processing environment': 'REMOTE_PROCESSING',
  TRE: 'REMOTE_PROCESSING',
  'Trusted research environment': 'REMOTE_PROCESSING',
});

/** Image dataset types (§6.9), incl. EUCAIM "Original/Annotated/Processed Dataset" and IDC tab names. */
export const normaliseImageDatasetType: Multi = listNormaliser(SYSTEM.imageDatasetType, IMAGE_DATASET_TYPES, {
  'Original dataset': 'original',
  Processed: 'derived',
  'Processed dataset': 'derived',
  'Annotated dataset': 'annotated',
  Annotations: 'annotated',
  Segmentations: 'segmentation',
  SEG: 'segmentation',
  RTSTRUCT: 'segmentation',
  'Radiomic features': 'radiomics',
  'Quantitative analysis': 'radiomics',
  SR: 'structured-report',
  'Qualitative analysis': 'structured-report',
  'Structured reports': 'structured-report',
  REG: 'registration',
  Registrations: 'registration',
  'Synthetic data': 'synthetic',
});

/** De-identification methods CID 7050: code (`113101`, `DCM:113101`) or label (with or without "Option"). */
export const normaliseDeidMethod: Multi = listNormaliser(
  SYSTEM.deid,
  DEID_METHODS,
  Object.fromEntries(
    DEID_METHODS.flatMap((t) => [
      [t.label.replace(/ (Option|Profile)$/, ''), t.code],
      [`DCM ${t.code}`, t.code],
    ]),
  ),
);

/** Collection types (§6.7.1). */
export const normaliseCollectionType: Multi = listNormaliser(SYSTEM.collectionType, COLLECTION_TYPES, {
  Image: 'IMAGE',
  Imaging: 'IMAGE',
  'Rare disease': 'RD',
  Prospective: 'PROSPECTIVE_COLLECTION',
  'Population based': 'POPULATION_BASED',
  'Case control': 'CASE_CONTROL',
});

/** Data categories (§6.7.3); "Clinical" → MEDICAL_RECORDS. */
export const normaliseDataCategory: Multi = listNormaliser(SYSTEM.dataCategory, DATA_CATEGORIES, {
  Imaging: 'IMAGING_DATA',
  Images: 'IMAGING_DATA',
  Clinical: 'MEDICAL_RECORDS',
  'Clinical data': 'MEDICAL_RECORDS',
  Samples: 'BIOLOGICAL_SAMPLES',
  Survey: 'SURVEY_DATA',
  Registries: 'NATIONAL_REGISTRIES',
});

/** Segmentation methods: "Manual", "Semi-automatic", "Automatic"/"Automated". */
export const normaliseSegmentationMethod: Multi = listNormaliser(SYSTEM.segmentationMethod, SEGMENTATION_METHODS, {
  Semiautomated: 'SEMIAUTOMATIC',
  'Semi-automated': 'SEMIAUTOMATIC',
  Automated: 'AUTOMATIC',
  Auto: 'AUTOMATIC',
});

const fileFormats = listNormaliser(SYSTEM.fileFormat, FILE_FORMATS, FILE_FORMAT_ALIASES);
/** File formats: "DICOM", ".nii.gz", "NIfTI", "svs", media types. */
export const normaliseFileFormat: Multi = (raw) => (typeof raw === 'string' ? fileFormats(raw.replace(/(^|[,;\s])\.(?=\w)/g, '$1')) : []);

/** Manufacturer: raw DICOM (0008,0070) value → normalised manufacturer; unknown → free text (raw kept). */
export const normaliseManufacturer: Single = (raw) => {
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  const t = MANUFACTURERS.find((m) => m.pattern.test(raw));
  return t ? coded(SYSTEM.manufacturer, t) : freeText(raw);
};
