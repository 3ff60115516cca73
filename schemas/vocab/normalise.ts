/**
 * Normalisers for the short and open lists (sex, species, access rights, status, supporting data, licence, …).
 * All are pure, never throw and never drop input: an unrecognised value comes back as free text (label only).
 * Multi-valued normalisers split comma/semicolon lists and return `Coding[]` (blank → `[]`); single-valued
 * ones return `Coding | undefined` (undefined only for blank input).
 */
import type { Coding } from '../common.js';
import {
  FILE_FORMATS,
  FILE_FORMAT_ALIASES,
  LICENCES,
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
import { type Term, coded, dedupeCodings, freeText, keyIndex, normKey, splitList, tidy } from './text.js';

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

/** Licence input: an SPDX id, a short name ("CC BY 4.0"), a long name, a URL, or the IDC triple. */
export type LicenceInput = string | { shortName?: string; longName?: string; url?: string };

const LICENCE_BY_ID = new Map(LICENCES.map((l) => [l.code.toUpperCase(), l] as const));

function licenceFromText(s: string): string | undefined {
  const t = tidy(s).toLowerCase();
  if (!t) return undefined;
  const direct = LICENCE_BY_ID.get(t.toUpperCase());
  if (direct) return direct.code;
  const eu = /authority\/licence\/(cc0|cc_by(?:_?(?:nc|sa|nd))*)_(\d)_(\d)\b|authority\/licence\/(cc0)\b/.exec(t);
  if (eu) {
    if (eu[1] === 'cc0' || eu[4] === 'cc0') return 'CC0-1.0';
    const kinds = ['by', ...['nc', 'sa', 'nd'].filter((k) => (eu[1] ?? '').slice(5).includes(k))];
    const code = ccCode(kinds.join('-'), `${eu[2]}.${eu[3]}`);
    if (code) return code;
  }
  const spdx = /spdx\.org\/licenses\/([a-z0-9.+-]+?)(?:\.html|\.json)?\/?$/.exec(t)?.[1];
  if (spdx && LICENCE_BY_ID.has(spdx.toUpperCase())) return LICENCE_BY_ID.get(spdx.toUpperCase())?.code;
  const byUrl = LICENCES.find((l) =>
    t
      .replace(/^http:/, 'https:')
      .replace(/\/?$/, '/')
      .startsWith(l.url.toLowerCase()),
  );
  if (byUrl) return byUrl.code;
  const url = /creativecommons\.org\/licenses\/([a-z-]+)\/(\d\.\d)/.exec(t);
  if (url) return ccCode(url[1] ?? '', url[2] ?? '');
  if (/\bcc0\b|cc[\s-]?zero|publicdomain\/zero|public domain dedication/.test(t) && !/odc|open data commons/.test(t)) return 'CC0-1.0';
  const short = /\bcc[\s-]?(by(?:[\s-](?:nc|sa|nd))*)[\s-]*(?:v(?:ersion)?\s*)?(\d\.\d)\b/.exec(t);
  if (short) return ccCode(short[1] ?? '', short[2] ?? '');
  if (/open database licen[cs]e|\bodbl\b/.test(t)) return 'ODbL-1.0';
  if (/public domain dedication and licen[cs]e|\bpddl\b/.test(t)) return 'PDDL-1.0';
  const spaced = /\bcc[\s-]?by(?:[\s-]?(nc|sa|nd)){0,2}/.exec(t.replace(/[_]/g, '-'));
  const version = /(\d\.\d)/.exec(t)?.[1];
  if (spaced && version) {
    const kinds = ['by', ...['nc', 'sa', 'nd'].filter((k) => new RegExp(`[\\s-]${k}\\b`).test(spaced[0]))];
    const code = ccCode(kinds.join('-'), version);
    if (code) return code;
  }
  if (/creative commons/.test(t) && /attribution/.test(t)) {
    const v = /(\d\.\d)/.exec(t)?.[1] ?? '';
    const parts = ['by'];
    if (/non[- ]?commercial|noncommercial/.test(t)) parts.push('nc');
    if (/share[- ]?alike/.test(t)) parts.push('sa');
    if (/no[- ]?deriv/.test(t)) parts.push('nd');
    return ccCode(parts.join('-'), v);
  }
  return undefined;
}

function ccCode(kind: string, version: string): string | undefined {
  const code = `CC-${kind.replace(/\s+/g, '-').toUpperCase()}-${version}`;
  return LICENCE_BY_ID.has(code.toUpperCase()) ? LICENCE_BY_ID.get(code.toUpperCase())?.code : undefined;
}

/**
 * Licence → SPDX coding (CC BY 4.0, CC BY 3.0, CC BY-NC 4.0, CC0, …). Anything else — the TCIA restricted
 * licence, NLM terms and conditions, data-use agreements — stays free text (long name, else short name, else
 * URL). Blank input → undefined.
 */
export function normaliseLicence(input: LicenceInput): Coding | undefined {
  const fields = typeof input === 'string' ? [input] : [input?.shortName, input?.url, input?.longName];
  for (const f of fields) {
    const code = typeof f === 'string' ? licenceFromText(f) : undefined;
    const term = code ? LICENCE_BY_ID.get(code.toUpperCase()) : undefined;
    if (term) return coded(SYSTEM.licence, term);
  }
  const text = typeof input === 'string' ? input : (input?.longName ?? input?.shortName ?? input?.url ?? '');
  return typeof text === 'string' && text.trim() ? freeText(text) : undefined;
}

/** Canonical URL of an SPDX licence id we ship, or undefined. */
export function licenceUrl(spdxId: string): string | undefined {
  return typeof spdxId === 'string' ? LICENCE_BY_ID.get(spdxId.trim().toUpperCase())?.url : undefined;
}
