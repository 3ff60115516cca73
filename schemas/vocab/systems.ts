/**
 * Coding-system identifiers used in stored `Coding.system` values.
 *
 * External standards keep their usual short designators (`DCM` = DICOM coding scheme designator, `ICD-10`
 * = WHO ICD-10 2019, `DUO` = Data Use Ontology, `SPDX` licence ids). Lists defined by MIABIS / the BBMRI
 * Directory / EUCAIM / this catalogue use short lower-case local identifiers; exports map them to IRIs.
 *
 * Note: de-identification method codes (CID 7050, e.g. `113100`) are genuine DCM codes, so `deid` is `DCM`
 * too. Modality codes are alphabetic and CID 7050 codes numeric, so they never collide; which codes are valid
 * for which field is checked per *kind* (see `validateCoding`), not per system.
 */
export const SYSTEM = {
  /** DICOM Modality (0008,0060): CID 29 acquisition + CID 33 non-acquisition codes. */
  modality: 'DCM',
  /** DICOM Body Part Examined (0018,0015) defined terms (PS3.16 Annex L); SNOMED CT codes carried as mapping. */
  bodyPart: 'DCM-BPE',
  /** SNOMED CT (used only as a mapping / accepted input for body parts). */
  snomed: 'SCT',
  /** WHO ICD-10 2019, chapter II (C00–D48); codes without prefix, e.g. `C34`, `C34.1`, blocks `C30-C39`. */
  icd10: 'ICD-10',
  /** Cancer-site groups of this catalogue (datamodel §6.3.2), slugs such as `lung`, `colorectal`. */
  cancerSiteGroup: 'cancer-site-group',
  /** Data Use Ontology, CURIE form `DUO:0000042`. */
  duo: 'DUO',
  /** De-identification method, DICOM CID 7050 (DCM codes 113100–113112). */
  deid: 'DCM',
  /** Sex, canonical catalogue codes (datamodel §6.5). */
  sex: 'sex',
  /** Age units (BBMRI Directory AgeUnits codes + gestational weeks). */
  ageUnit: 'age-unit',
  /** EU access-right NAL codes (`PUBLIC`, `RESTRICTED`, `NON_PUBLIC`). */
  accessRights: 'eu-access-right',
  /** EUCAIM access conditions (`DOWNLOAD`, `IN_SITU_PROCESSING`, `REMOTE_PROCESSING`). */
  accessCondition: 'eucaim-access-condition',
  /** Image dataset type, this catalogue's enumeration (datamodel §6.9). */
  imageDatasetType: 'image-dataset-type',
  /** MIABIS Component Status (`Active`, `Ended`, `Other`). */
  status: 'miabis-status',
  /** MIABIS 2.0 / BBMRI Directory collection types. */
  collectionType: 'miabis-collection-type',
  /** MIABIS 2.0 / BBMRI Directory data categories. */
  dataCategory: 'miabis-data-category',
  /** Kinds of supporting (non-image) data. */
  supportingData: 'supporting-data',
  /** Species / sample source (taxon ids kept as mapping). */
  species: 'species',
  /** File formats of distributions. */
  fileFormat: 'file-format',
  /** Segmentation algorithm type, DICOM (0062,0008) enumerated values. */
  segmentationMethod: 'segmentation-method',
  /** Normalised equipment manufacturers (datamodel §6.8.4). */
  manufacturer: 'manufacturer',
  /** SPDX licence identifiers. */
  licence: 'SPDX',
} as const;

export type SystemId = (typeof SYSTEM)[keyof typeof SYSTEM];
