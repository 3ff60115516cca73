/**
 * The vocabulary registry: every shipped vocabulary (`vocabularies`, served at /api/v1/vocabularies),
 * code lookup by system (`lookupTerm`, `isKnownCode`) and the two functions the API schemas call:
 * `normaliseCoding(kind, input)` (pure mapping, never throws) and `validateCoding(kind, coding)` (error or null).
 */
import type { Coding } from '../common.js';
import { normaliseBodyPart } from './body-part-wordings.js';
import { bodyPartByCode, bodyPartBySct, BODY_PARTS } from './body-parts.js';
import { CANCER_SITE_GROUPS, cancerSiteGroup } from './cancer-sites.js';
import { cancerTypeToCoding, normaliseCancerTypes } from './cancer-types.js';
import { FILE_FORMATS, LICENCES, MANUFACTURERS, SPECIES, SUPPORTING_DATA } from './catalogue-lists.js';
import { DUO_TERMS, duoLookup, normaliseDuo } from './duo.js';
import { ICD10, icd10Lookup } from './icd10.js';
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
import { MODALITIES, modalityByCode } from './modalities.js';
import { normaliseModality } from './modality-wordings.js';
import { normaliseLicence } from './licence.js';
import * as N from './normalise.js';
import { SYSTEM } from './systems.js';
import { MAX_LABEL, type Term, coded, dedupeCodings, freeText, keyIndex, normKey, splitList } from './text.js';

export type VocabularyId =
  | 'modality'
  | 'bodyPart'
  | 'icd10'
  | 'cancerSiteGroup'
  | 'duo'
  | 'sex'
  | 'ageUnit'
  | 'accessRights'
  | 'accessCondition'
  | 'imageDatasetType'
  | 'deid'
  | 'status'
  | 'collectionType'
  | 'dataCategory'
  | 'supportingData'
  | 'species'
  | 'fileFormat'
  | 'segmentationMethod'
  | 'manufacturer'
  | 'licence';

/**
 * Kinds accepted by normaliseCoding / validateCoding: every vocabulary id, plus the aliases `cancerType` and
 * `condition` (= icd10; `condition` also keeps the original wording as `text` on coded values, for the
 * Condition schema) and `deidMethod` (= deid).
 */
export type VocabularyKind = VocabularyId | 'cancerType' | 'condition' | 'deidMethod';
/** Short alias of {@link VocabularyKind}. */
export type VocabKind = VocabularyKind;

const KIND_ALIASES: Readonly<Record<string, VocabularyId>> = { cancerType: 'icd10', condition: 'icd10', deidMethod: 'deid' };

export interface Vocabulary {
  readonly id: VocabularyId;
  readonly system: string;
  readonly label: string;
  /** Whether fields using this vocabulary accept free-text values (label only). */
  readonly freeText: boolean;
  readonly terms: readonly Term[];
}

interface KindDef {
  readonly vocab: Vocabulary;
  /** Canonical term for a code of the canonical system (code forms are canonicalised), or undefined. */
  readonly lookup: (code: string) => Term | undefined;
  readonly normalise: (raw: string) => Coding[];
  /** Other spellings of the canonical system accepted on input. */
  readonly systemAliases?: readonly string[];
  /** Foreign systems accepted unchecked (kept as given). */
  readonly external?: readonly string[];
}

const exact = (terms: readonly Term[], caseInsensitive = true) => {
  const m = new Map(terms.map((t) => [caseInsensitive ? t.code.toUpperCase() : t.code, t] as const));
  return (code: string) => (typeof code === 'string' ? m.get(caseInsensitive ? code.trim().toUpperCase() : code.trim()) : undefined);
};
const one = (f: (raw: string) => Coding | undefined) => (raw: string) => {
  const c = f(raw);
  return c ? [c] : [];
};
const v = (id: VocabularyId, system: string, label: string, freeText: boolean, terms: readonly Term[]): Vocabulary => ({
  id,
  system,
  label,
  freeText,
  terms,
});

const SITE_GROUP_INDEX = keyIndex(CANCER_SITE_GROUPS);
/** Site-group slugs or labels ("Lung", "Brain / CNS", "colorectal") → site-group codings. */
function normaliseSiteGroup(raw: string): Coding[] {
  if (typeof raw !== 'string') return [];
  return dedupeCodings(
    splitList(raw).map((item) => {
      const g = SITE_GROUP_INDEX.get(normKey(item));
      return g ? coded(SYSTEM.cancerSiteGroup, g) : freeText(item);
    }),
  );
}

const DEFS: Readonly<Record<VocabularyId, KindDef>> = {
  modality: {
    vocab: v('modality', SYSTEM.modality, 'Modality (DICOM CID 29 + CID 33)', true, MODALITIES),
    lookup: modalityByCode,
    normalise: normaliseModality,
    systemAliases: ['DICOM', 'http://dicom.nema.org/resources/ontology/DCM', '1.2.840.10008.2.16.4'],
  },
  bodyPart: {
    vocab: v('bodyPart', SYSTEM.bodyPart, 'Body part examined (DICOM defined terms)', true, BODY_PARTS),
    lookup: bodyPartByCode,
    normalise: normaliseBodyPart,
    systemAliases: ['DICOM', 'DCM', 'BPE', 'BodyPartExamined'],
  },
  icd10: {
    vocab: v('icd10', SYSTEM.icd10, 'ICD-10 (WHO 2019) chapter II, Neoplasms', true, ICD10),
    lookup: icd10Lookup,
    normalise: (raw) => dedupeCodings(normaliseCancerTypes(raw).map(cancerTypeToCoding)),
    systemAliases: [
      'ICD10',
      'ICD-10-WHO',
      'WHO ICD-10',
      'http://hl7.org/fhir/sid/icd-10',
      'urn:miriam:icd',
      'https://icd.who.int/browse10',
    ],
    external: ['ICD-O-3', 'ICDO3', 'SCT', 'SNOMED', 'SNOMEDCT', 'ORPHA', 'ORDO', 'MONDO', 'NCIT', 'EUCAIM', 'OMOP'],
  },
  cancerSiteGroup: {
    vocab: v('cancerSiteGroup', SYSTEM.cancerSiteGroup, 'Cancer-site groups', false, CANCER_SITE_GROUPS),
    lookup: cancerSiteGroup,
    normalise: normaliseSiteGroup,
  },
  duo: {
    vocab: v('duo', SYSTEM.duo, 'Data Use Ontology', false, DUO_TERMS),
    lookup: duoLookup,
    normalise: one(normaliseDuo),
    systemAliases: ['http://purl.obolibrary.org/obo/duo', 'OBO'],
  },
  sex: { vocab: v('sex', SYSTEM.sex, 'Sex', false, SEX), lookup: exact(SEX, false), normalise: N.normaliseSex },
  ageUnit: {
    vocab: v('ageUnit', SYSTEM.ageUnit, 'Age unit', false, AGE_UNITS),
    lookup: exact(AGE_UNITS),
    normalise: one(N.normaliseAgeUnit),
  },
  accessRights: {
    vocab: v('accessRights', SYSTEM.accessRights, 'Access rights (EU NAL)', false, ACCESS_RIGHTS),
    lookup: exact(ACCESS_RIGHTS),
    normalise: one(N.normaliseAccessRights),
    systemAliases: ['http://publications.europa.eu/resource/authority/access-right'],
  },
  accessCondition: {
    vocab: v('accessCondition', SYSTEM.accessCondition, 'Access conditions (EUCAIM)', false, ACCESS_CONDITIONS),
    lookup: exact(ACCESS_CONDITIONS),
    normalise: N.normaliseAccessCondition,
  },
  imageDatasetType: {
    vocab: v('imageDatasetType', SYSTEM.imageDatasetType, 'Image dataset type', false, IMAGE_DATASET_TYPES),
    lookup: exact(IMAGE_DATASET_TYPES, false),
    normalise: N.normaliseImageDatasetType,
  },
  deid: {
    vocab: v('deid', SYSTEM.deid, 'De-identification method (DICOM CID 7050)', false, DEID_METHODS),
    lookup: exact(DEID_METHODS),
    normalise: N.normaliseDeidMethod,
    systemAliases: ['DICOM', 'DCM-CID7050'],
  },
  status: {
    vocab: v('status', SYSTEM.status, 'Collection status (MIABIS)', false, COLLECTION_STATUS),
    lookup: exact(COLLECTION_STATUS),
    normalise: one(N.normaliseStatus),
  },
  collectionType: {
    vocab: v('collectionType', SYSTEM.collectionType, 'Collection type (MIABIS / BBMRI Directory)', false, COLLECTION_TYPES),
    lookup: exact(COLLECTION_TYPES),
    normalise: N.normaliseCollectionType,
  },
  dataCategory: {
    vocab: v('dataCategory', SYSTEM.dataCategory, 'Data categories (MIABIS / BBMRI Directory)', false, DATA_CATEGORIES),
    lookup: exact(DATA_CATEGORIES),
    normalise: N.normaliseDataCategory,
  },
  supportingData: {
    vocab: v('supportingData', SYSTEM.supportingData, 'Supporting data', true, SUPPORTING_DATA),
    lookup: exact(SUPPORTING_DATA, false),
    normalise: N.normaliseSupportingData,
  },
  species: { vocab: v('species', SYSTEM.species, 'Species', true, SPECIES), lookup: exact(SPECIES, false), normalise: N.normaliseSpecies },
  fileFormat: {
    vocab: v('fileFormat', SYSTEM.fileFormat, 'File format', true, FILE_FORMATS),
    lookup: exact(FILE_FORMATS),
    normalise: N.normaliseFileFormat,
  },
  segmentationMethod: {
    vocab: v('segmentationMethod', SYSTEM.segmentationMethod, 'Segmentation method', false, SEGMENTATION_METHODS),
    lookup: exact(SEGMENTATION_METHODS),
    normalise: N.normaliseSegmentationMethod,
  },
  manufacturer: {
    vocab: v(
      'manufacturer',
      SYSTEM.manufacturer,
      'Manufacturer (normalised)',
      true,
      MANUFACTURERS.map(({ pattern: _p, ...t }) => t),
    ),
    lookup: exact(MANUFACTURERS),
    normalise: one(N.normaliseManufacturer),
  },
  licence: {
    vocab: v('licence', SYSTEM.licence, 'Licence (SPDX)', true, LICENCES),
    lookup: exact(LICENCES),
    normalise: one((raw) => normaliseLicence(raw)),
  },
};

/** Every vocabulary, for /api/v1/vocabularies. */
export const vocabularies: readonly Vocabulary[] = Object.values(DEFS).map((d) => d.vocab);

/** Vocabulary by id, or undefined. */
export function vocabulary(id: string): Vocabulary | undefined {
  return (DEFS as Record<string, KindDef | undefined>)[id]?.vocab;
}

const defOf = (kind: VocabularyKind): KindDef | undefined =>
  typeof kind === 'string' ? (DEFS as Record<string, KindDef | undefined>)[KIND_ALIASES[kind] ?? kind] : undefined;

/** Conditions: ICD-10 codings that also keep the source wording as `text` (capped at 500) when it was mapped. */
function normaliseConditions(raw: string): Coding[] {
  return dedupeCodings(
    normaliseCancerTypes(raw).map((ct) => {
      const c = cancerTypeToCoding(ct);
      return c.code !== undefined ? ({ ...c, text: ct.text.slice(0, MAX_LABEL) } as Coding) : c;
    }),
  );
}

/**
 * Term for `code` in coding system `system` (e.g. `('DCM','MR')`, `('ICD-10','C34.1')`, `('DUO','DUO:0000042')`,
 * `('DCM','113100')`). Codes are canonicalised (case, ICD-10 / DUO id forms). Undefined if unknown.
 */
export function lookupTerm(system: string, code: string): Term | undefined {
  if (typeof system !== 'string' || typeof code !== 'string') return undefined;
  for (const d of Object.values(DEFS)) {
    if (d.vocab.system !== system) continue;
    const t = d.lookup(code);
    if (t) return t;
  }
  return undefined;
}

/** True when `code` is a known code of `system`. */
export const isKnownCode = (system: string, code: string): boolean => lookupTerm(system, code) !== undefined;

type SystemRole = 'canonical' | 'sct' | 'external' | 'unknown';
function systemRole(def: KindDef, system: string): SystemRole {
  const k = normKey(system);
  if (k === normKey(def.vocab.system) || (def.systemAliases ?? []).some((a) => normKey(a) === k)) return 'canonical';
  if (def.vocab.id === 'bodyPart' && ['SCT', 'SNOMED', 'SNOMEDCT', 'HTTPSNOMEDINFOSCT'].includes(k)) return 'sct';
  if ((def.external ?? []).some((a) => normKey(a) === k)) return 'external';
  return 'unknown';
}

function isCodingLike(x: unknown): x is Coding {
  return typeof x === 'object' && x !== null && typeof (x as { label?: unknown }).label === 'string';
}

/**
 * Map an input to stored codings for a field of `kind`:
 * - a string runs the kind's normaliser (free text → codes where known, unknown text kept as free text);
 * - a free-text Coding (label only) is treated like its label string;
 * - a coded Coding in the kind's system (or an accepted alias, e.g. `DICOM`, `ICD10`, SCT for body parts) whose
 *   code is known is returned canonicalised (canonical system, code and label);
 * - any other coded Coding is returned unchanged — call {@link validateCoding} to report it.
 * Never throws; blank strings give `[]`.
 */
export function normaliseCoding(kind: VocabularyKind, input: string | Coding): Coding[] {
  const def = defOf(kind);
  if (!def) return typeof input === 'string' ? (input.trim() ? [{ label: input.trim() }] : []) : isCodingLike(input) ? [input] : [];
  const normalise = kind === 'condition' ? normaliseConditions : def.normalise;
  if (typeof input === 'string') return normalise(input);
  if (!isCodingLike(input)) return [];
  const { system, code } = input;
  if (system === undefined || code === undefined) return normalise(input.label);
  if (typeof system !== 'string' || typeof code !== 'string') return [input];
  const role = systemRole(def, system);
  const term = role === 'canonical' ? def.lookup(code) : role === 'sct' ? bodyPartBySct(code) : undefined;
  return term ? [{ system: def.vocab.system, code: term.code, label: term.label }] : [input];
}

/**
 * Check a stored/submitted Coding for a field of `kind`. Returns an error message, or null when valid:
 * a known code of the kind's system (aliases accepted), a free-text label where the kind allows free text, or
 * (for cancer types) a code of an accepted foreign system (ICD-O-3, SNOMED CT, ORPHA, MONDO, NCIt, EUCAIM).
 */
export function validateCoding(kind: VocabularyKind, coding: Coding): string | null {
  const def = defOf(kind);
  if (!def) return `unknown vocabulary kind "${String(kind)}"`;
  if (!isCodingLike(coding) || coding.label.trim() === '') return 'label is required';
  const { system, code } = coding;
  if ((system === undefined) !== (code === undefined)) return 'system and code go together: give both, or neither';
  if ((system !== undefined && typeof system !== 'string') || (code !== undefined && typeof code !== 'string')) {
    return 'system and code must be strings';
  }
  if (system === undefined || code === undefined) {
    return def.vocab.freeText ? null : `free text is not allowed here; use a code of ${def.vocab.system} (${def.vocab.label})`;
  }
  const role = systemRole(def, system);
  if (role === 'external') return code.trim() ? null : 'code is required';
  if (role === 'unknown') return `coding system "${system}" is not used for ${kind}; expected ${def.vocab.system}`;
  const known = role === 'sct' ? bodyPartBySct(code) : def.lookup(code);
  return known ? null : `unknown ${def.vocab.system} code "${code}" for ${kind}`;
}
