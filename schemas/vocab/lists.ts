/**
 * Short closed lists (datamodel §6.5–§6.11): sex, age units, access rights and conditions, collection status,
 * collection types, data categories, image dataset types, de-identification methods, segmentation methods.
 * Each list is a typed const array of `{code, label, …}`; `*_CODES` tuples are ready for `z.enum(...)`.
 */
import type { Term } from './text.js';

const codesOf = <T extends readonly Term[]>(list: T) =>
  list.map((t) => t.code) as unknown as readonly [T[number]['code'], ...T[number]['code'][]];

/** Sex (§6.5), canonical codes with the per-target mappings. */
export const SEX = [
  { code: 'male', label: 'Male', miabis: 'Male', directory: 'MALE', dicom: 'M', sct: '248153007', eucaim: 'COM1001366' },
  { code: 'female', label: 'Female', miabis: 'Female', directory: 'FEMALE', dicom: 'F', sct: '248152002', eucaim: 'COM1001370' },
  { code: 'other', label: 'Other', dicom: 'O', sct: '74964007', eucaim: 'COM1001288' },
  { code: 'unknown', label: 'Unknown', miabis: 'Unknown', directory: 'UNKNOWN', sct: '261665006', eucaim: 'COM1002760' },
  { code: 'undifferentiated', label: 'Undifferentiated', miabis: 'Undifferentiated', directory: 'UNDIFFERENTIAL' },
  { code: 'not-applicable', label: 'Not applicable', miabis: 'Not applicable', directory: 'NAV' },
] as const;
export type SexCode = (typeof SEX)[number]['code'];
export const SEX_CODES = codesOf(SEX);

/** Age units: BBMRI Directory `AgeUnits` codes + MIABIS 3.0 "Gestational weeks"; `dicom` = Patient's Age suffix. */
export const AGE_UNITS = [
  { code: 'YEAR', label: 'Years', dicom: 'Y' },
  { code: 'MONTH', label: 'Months', dicom: 'M' },
  { code: 'WEEK', label: 'Weeks', dicom: 'W' },
  { code: 'DAY', label: 'Days', dicom: 'D' },
  { code: 'GESTATIONAL_WEEK', label: 'Gestational weeks' },
] as const;
export type AgeUnitCode = (typeof AGE_UNITS)[number]['code'];
export const AGE_UNIT_CODES = codesOf(AGE_UNITS);

const NAL_ACCESS = 'http://publications.europa.eu/resource/authority/access-right/';
/** EU access-right NAL (§6.10.1). */
export const ACCESS_RIGHTS = [
  { code: 'PUBLIC', label: 'Public', iri: `${NAL_ACCESS}PUBLIC` },
  { code: 'RESTRICTED', label: 'Restricted', iri: `${NAL_ACCESS}RESTRICTED` },
  { code: 'NON_PUBLIC', label: 'Non-public', iri: `${NAL_ACCESS}NON_PUBLIC` },
] as const;
export type AccessRightsCode = (typeof ACCESS_RIGHTS)[number]['code'];
export const ACCESS_RIGHTS_CODES = codesOf(ACCESS_RIGHTS);

const EUCAIM_AC = 'https://eucaim.github.io/eucaim_dcat_ap/releases/controlled-vocabularies/access-conditions/#';
/** EUCAIM access conditions (§6.8.6 / §6.10.3). */
export const ACCESS_CONDITIONS = [
  { code: 'DOWNLOAD', label: 'Download access', iri: `${EUCAIM_AC}DOWNLOAD` },
  { code: 'IN_SITU_PROCESSING', label: 'In-situ processing', iri: `${EUCAIM_AC}IN_SITU_PROCESSING` },
  { code: 'REMOTE_PROCESSING', label: 'Remote processing without direct data access', iri: `${EUCAIM_AC}REMOTE_PROCESSING` },
] as const;
export type AccessConditionCode = (typeof ACCESS_CONDITIONS)[number]['code'];
export const ACCESS_CONDITION_CODES = codesOf(ACCESS_CONDITIONS);

/**
 * MIABIS Component Status (§6.10.5). TCIA `Ongoing` → Active (still accruing), `Complete` → Ended (accrual
 * finished — the collection stays available; availability is expressed by accessRights / publicationState).
 */
export const COLLECTION_STATUS = [
  { code: 'Active', label: 'Active' },
  { code: 'Ended', label: 'Ended' },
  { code: 'Other', label: 'Other' },
] as const;
export type CollectionStatusCode = (typeof COLLECTION_STATUS)[number]['code'];
export const COLLECTION_STATUS_CODES = codesOf(COLLECTION_STATUS);

/** MIABIS 2.0 / BBMRI Directory `CollectionTypes` (§6.7.1); image collections use `IMAGE`. */
export const COLLECTION_TYPES = [
  { code: 'CASE_CONTROL', label: 'Case-Control' },
  { code: 'COHORT', label: 'Cohort' },
  { code: 'CROSS_SECTIONAL', label: 'Cross-sectional' },
  { code: 'LONGITUDINAL', label: 'Longitudinal' },
  { code: 'TWIN_STUDY', label: 'Twin-study' },
  { code: 'QUALITY_CONTROL', label: 'Quality control' },
  { code: 'POPULATION_BASED', label: 'Population-based' },
  { code: 'DISEASE_SPECIFIC', label: 'Disease specific' },
  { code: 'BIRTH_COHORT', label: 'Birth cohort' },
  { code: 'RD', label: 'Rare disease collection' },
  { code: 'IMAGE', label: 'Image collection' },
  { code: 'SAMPLE', label: 'Sample collection' },
  { code: 'HOSPITAL', label: 'Hospital' },
  { code: 'PROSPECTIVE_COLLECTION', label: 'Prospective study' },
  { code: 'NON_HUMAN', label: 'Non-human' },
  { code: 'OTHER', label: 'Other' },
] as const;
export type CollectionTypeCode = (typeof COLLECTION_TYPES)[number]['code'];
export const COLLECTION_TYPE_CODES = codesOf(COLLECTION_TYPES);

/** MIABIS 2.0 / Directory `DataCategories` (§6.7.3), without the Directory's COVID-specific additions. */
export const DATA_CATEGORIES = [
  { code: 'BIOLOGICAL_SAMPLES', label: 'Biological samples' },
  { code: 'SURVEY_DATA', label: 'Survey data' },
  { code: 'IMAGING_DATA', label: 'Imaging data' },
  { code: 'MEDICAL_RECORDS', label: 'Medical records' },
  { code: 'NATIONAL_REGISTRIES', label: 'National registries' },
  { code: 'GENEALOGICAL_RECORDS', label: 'Genealogical records' },
  { code: 'PHYSIOLOGICAL_BIOCHEMICAL_MEASUREMENTS', label: 'Physiological/Biochemical measurements' },
  { code: 'OTHER', label: 'Other' },
  { code: 'NAV', label: 'Not available' },
] as const;
export type DataCategoryCode = (typeof DATA_CATEGORIES)[number]['code'];
export const DATA_CATEGORY_CODES = codesOf(DATA_CATEGORIES);

/** Image dataset type (§6.9) with the EUCAIM `dct:type` / Dataset Service type it maps to. */
export const IMAGE_DATASET_TYPES = [
  { code: 'original', label: 'Original', meaning: 'acquired images', eucaim: 'Original Dataset' },
  { code: 'derived', label: 'Derived', meaning: 'reconstructed/processed images', eucaim: 'Processed Dataset' },
  { code: 'annotated', label: 'Annotated', meaning: 'images + annotations of any kind', eucaim: 'Annotated Dataset' },
  { code: 'segmentation', label: 'Segmentation', meaning: 'voxel/contour segmentations', eucaim: 'Annotated Dataset' },
  { code: 'radiomics', label: 'Radiomics', meaning: 'extracted quantitative features', eucaim: 'Processed Dataset' },
  { code: 'structured-report', label: 'Structured report', meaning: 'qualitative findings/reports', eucaim: 'Annotated Dataset' },
  { code: 'registration', label: 'Registration', meaning: 'registration objects/parameters', eucaim: 'Processed Dataset' },
  { code: 'synthetic', label: 'Synthetic', meaning: 'synthetic images', eucaim: 'dpv:SyntheticData' },
] as const;
export type ImageDatasetTypeCode = (typeof IMAGE_DATASET_TYPES)[number]['code'];
export const IMAGE_DATASET_TYPE_CODES = codesOf(IMAGE_DATASET_TYPES);

/**
 * De-identification methods, DICOM CID 7050 (§6.11). 113100 is always present; 113106 and 113107 are mutually
 * exclusive; without 113108 patient sex/age are not retained in the headers.
 */
export const DEID_METHODS = [
  { code: '113100', label: 'Basic Application Confidentiality Profile' },
  { code: '113101', label: 'Clean Pixel Data Option' },
  { code: '113102', label: 'Clean Recognizable Visual Features Option' },
  { code: '113103', label: 'Clean Graphics Option' },
  { code: '113104', label: 'Clean Structured Content Option' },
  { code: '113105', label: 'Clean Descriptors Option' },
  { code: '113106', label: 'Retain Longitudinal Temporal Information Full Dates Option' },
  { code: '113107', label: 'Retain Longitudinal Temporal Information Modified Dates Option' },
  { code: '113108', label: 'Retain Patient Characteristics Option' },
  { code: '113109', label: 'Retain Device Identity Option' },
  { code: '113110', label: 'Retain UIDs Option' },
  { code: '113111', label: 'Retain Safe Private Option' },
  { code: '113112', label: 'Retain Institution Identity Option' },
] as const;
export type DeidMethodCode = (typeof DEID_METHODS)[number]['code'];
export const DEID_METHOD_CODES = codesOf(DEID_METHODS);

/** Segmentation algorithm type, DICOM (0062,0008) enumerated values ↔ EUCAIM Manual/Semi-automatic/Automatic. */
export const SEGMENTATION_METHODS = [
  { code: 'MANUAL', label: 'Manual' },
  { code: 'SEMIAUTOMATIC', label: 'Semi-automatic' },
  { code: 'AUTOMATIC', label: 'Automatic' },
] as const;
export type SegmentationMethodCode = (typeof SEGMENTATION_METHODS)[number]['code'];
export const SEGMENTATION_METHOD_CODES = codesOf(SEGMENTATION_METHODS);
