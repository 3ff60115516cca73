/**
 * Controlled vocabularies and input normalisation (datamodel §6).
 *
 * Stored values are `Coding`s (schemas/common.ts): `{system, code, label}` for coded values, `{label}` for
 * free text. Every normaliser is pure, never throws and never drops input — what no vocabulary term fits comes
 * back as free text with the original wording.
 *
 * API in one glance
 * - `SYSTEM` — coding-system ids: modality `DCM`, bodyPart `DCM-BPE`, icd10 `ICD-10`, duo `DUO` (codes
 *   `DUO:0000042`), deid `DCM` (CID 7050), sex `sex`, licence `SPDX`, … (systems.ts).
 * - Data: `MODALITIES`, `BODY_PARTS`, `ICD10`, `CANCER_SITE_GROUPS`, `DUO_TERMS`, `SEX`, `AGE_UNITS`,
 *   `ACCESS_RIGHTS`, `ACCESS_CONDITIONS`, `COLLECTION_STATUS`, `COLLECTION_TYPES`, `DATA_CATEGORIES`,
 *   `IMAGE_DATASET_TYPES`, `DEID_METHODS`, `SEGMENTATION_METHODS`, `SUPPORTING_DATA`, `SPECIES`, `FILE_FORMATS`,
 *   `MANUFACTURERS`, `LICENCES`; closed lists also export `*_CODES` tuples for `z.enum()`.
 * - Multi-valued normalisers `(raw: string) => Coding[]` (split comma lists, blank → []):
 *   `normaliseModality`, `normaliseBodyPart`, `normaliseSex`, `normaliseSpecies`, `normaliseSupportingData`,
 *   `normaliseAccessCondition`, `normaliseImageDatasetType`, `normaliseDeidMethod`, `normaliseCollectionType`,
 *   `normaliseDataCategory`, `normaliseSegmentationMethod`, `normaliseFileFormat`.
 * - Single-valued `(raw) => Coding | undefined` (undefined only for blank): `normaliseAccessRights`,
 *   `normaliseStatus`, `normaliseAgeUnit`, `normaliseManufacturer`, `normaliseDuo`, `normaliseLicence(input)`.
 * - Cancer types: `normaliseCancerType(raw) → CancerType {system?, code?, label, text, siteGroups, match}`,
 *   `normaliseCancerTypes(raw) → CancerType[]`, `cancerTypeToCoding(ct) → Coding`.
 * - ICD-10: `icd10Lookup(code)`, `icd10Ancestors(code)`, `parseIcd10(code)`, `icd10MiriamId`, `icd10Iri`;
 *   site groups: `cancerSiteGroupsFor(icd10Code)`, `cancerSiteGroupsForBodyPart(code)`; `bodyRegionsFor(code)`.
 * - Registry: `vocabularies` (for /api/v1/vocabularies), `vocabulary(id)`, `lookupTerm(system, code)`,
 *   `isKnownCode(system, code)`, `normaliseCoding(kind, input: string | Coding) → Coding[]`,
 *   `validateCoding(kind, coding) → string | null`. Kinds = vocabulary ids + aliases `cancerType`/`condition`
 *   (→ icd10; `condition` adds the original wording as `text` on coded values) and `deidMethod` (→ deid).
 * - Helpers: `splitList(raw)` (comma lists, keeps ", Not Otherwise Specified" attached), `normKey`.
 */
export { SYSTEM, type SystemId } from './systems.js';
export { type Term, MAX_LABEL, normKey, splitList } from './text.js';
export { MODALITIES, type ModalityTerm, modalityByCode } from './modalities.js';
export { normaliseModality } from './modality-wordings.js';
export {
  BODY_PARTS,
  type BodyPartTerm,
  type BodyRegion,
  bodyPartByCode,
  bodyPartBySct,
  bodyRegionsFor,
  cancerSiteGroupsForBodyPart,
} from './body-parts.js';
export { normaliseBodyPart } from './body-part-wordings.js';
export {
  ICD10,
  ICD10_CATEGORIES,
  type Icd10Kind,
  type Icd10Term,
  icd10Ancestors,
  icd10Iri,
  icd10Lookup,
  icd10MiriamId,
  inIcd10Range,
  parseIcd10,
} from './icd10.js';
export { CANCER_SITE_GROUPS, type CancerSiteGroup, cancerSiteGroup, cancerSiteGroupsFor } from './cancer-sites.js';
export { type CancerType, type CancerTypeMatch, cancerTypeToCoding, normaliseCancerType, normaliseCancerTypes } from './cancer-types.js';
export {
  DUO,
  DUO_TERMS,
  type DuoKind,
  type DuoParameter,
  type DuoShorthand,
  type DuoTerm,
  duoIri,
  duoLookup,
  normaliseDuo,
  parseDuoId,
} from './duo.js';
export * from './lists.js';
export {
  FILE_FORMATS,
  type FileFormatTerm,
  LICENCES,
  type LicenceTerm,
  MANUFACTURERS,
  type ManufacturerTerm,
  SPECIES,
  type SpeciesTerm,
  SUPPORTING_DATA,
} from './catalogue-lists.js';
export { type LicenceInput, licenceUrl, normaliseLicence } from './licence.js';
export {
  normaliseAccessCondition,
  normaliseAccessRights,
  normaliseAgeUnit,
  normaliseCollectionType,
  normaliseDataCategory,
  normaliseDeidMethod,
  normaliseFileFormat,
  normaliseImageDatasetType,
  normaliseManufacturer,
  normaliseSegmentationMethod,
  normaliseSex,
  normaliseSpecies,
  normaliseStatus,
  normaliseSupportingData,
} from './normalise.js';
export {
  type Vocabulary,
  type VocabularyId,
  type VocabularyKind,
  type VocabKind,
  isKnownCode,
  lookupTerm,
  normaliseCoding,
  validateCoding,
  vocabulary,
  vocabularies,
} from './registry.js';
