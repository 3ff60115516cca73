/**
 * Modalities: DICOM CID 29 "Acquisition Modality" (complete) + the CID 33 "Modality" codes that are not
 * acquisition modalities (datamodel §6.1), their synonyms and by-code lookup. `normaliseModality()` for the
 * free-text values found in TCIA / IDC / EuCanImage ("MRI", "PET", "Pathology", "FDG-PET/CT", …) is in
 * modality-wordings.ts.
 *
 * Decisions:
 * - `ANN` (Annotation) is a CID 33 code used by IDC for Microscopy Bulk Simple Annotations; non-acquisition.
 * - `SC` (Secondary Capture) is an IOD, not a Modality value (secondary-capture objects carry `OT` or the
 *   source modality). TCIA lists it as an "image type"; we keep it as free text with the fixed label
 *   "Secondary Capture (SC)" so it facets consistently but never validates as a DCM code.
 * - `FUSION`, "Clinical", "High-dimensional CODEX images" etc. are kept as free text.
 * - "X-ray"/"Radiography" → `DX` (digital radiography; `CR` only when stated); "SPECT" → `NM` (the retired
 *   `ST` was folded into `NM`); "DBT"/"Tomosynthesis" → `MG`; pathology / WSI → `SM`.
 */
import { type Term } from './text.js';

export interface ModalityTerm extends Term {
  /** true for CID 29 acquisition modalities, false for CID 33-only (derived / non-acquisition) objects. */
  readonly acquisition: boolean;
  /** In the practical facet list of datamodel §6.1 (shown first in UIs). */
  readonly common?: boolean;
  /** Cross-walks (RadLex RID, EUCAIM hyper-ontology id; EUCAIM ids unstable, see datamodel §7.5). */
  readonly mappings?: { readonly radlex?: string; readonly eucaim?: string };
}

const acq = (code: string, label: string, extra: Partial<ModalityTerm> = {}): ModalityTerm => ({
  code,
  label,
  acquisition: true,
  ...extra,
});
const nonAcq = (code: string, label: string, extra: Partial<ModalityTerm> = {}): ModalityTerm => ({
  code,
  label,
  acquisition: false,
  ...extra,
});
const C = { common: true } as const;

/** All modality codes, CID 29 first (DICOM order), then CID 33 non-acquisition codes. */
export const MODALITIES: readonly ModalityTerm[] = [
  acq('AR', 'Autorefraction'),
  acq('BDUS', 'Ultrasound Bone Densitometry'),
  acq('BI', 'Biomagnetic Imaging'),
  acq('BMD', 'Bone Mineral Densitometry'),
  acq('CFM', 'Confocal Microscopy'),
  acq('CR', 'Computed Radiography', C),
  acq('CT', 'Computed Tomography', { ...C, mappings: { radlex: 'RID10321', eucaim: 'IMG1000026' } }),
  acq('DG', 'Diaphanography'),
  acq('DMS', 'Dermoscopy'),
  acq('DX', 'Digital Radiography', C),
  acq('ECG', 'Electrocardiography'),
  acq('EEG', 'Electroencephalography'),
  acq('EMG', 'Electromyography'),
  acq('EOG', 'Electrooculography'),
  acq('EPS', 'Cardiac Electrophysiology'),
  acq('ES', 'Endoscopy'),
  acq('GM', 'General Microscopy', C),
  acq('HD', 'Hemodynamic Waveform'),
  acq('IO', 'Intra-oral Radiography'),
  acq('IVOCT', 'Intravascular Optical Coherence Tomography'),
  acq('IVUS', 'Intravascular Ultrasound'),
  acq('KER', 'Keratometry'),
  acq('LEN', 'Lensometry'),
  acq('LS', 'Laser Scan'),
  acq('MG', 'Mammography', { ...C, mappings: { eucaim: 'IMG1000030' } }),
  acq('MR', 'Magnetic Resonance', { ...C, mappings: { radlex: 'RID10312', eucaim: 'IMG1000038' } }),
  acq('NM', 'Nuclear Medicine', { ...C, mappings: { radlex: 'RID10334', eucaim: 'IMG1000079' } }),
  acq('OAM', 'Ophthalmic Axial Measurements'),
  acq('OCT', 'Optical Coherence Tomography'),
  acq('OP', 'Ophthalmic Photography'),
  acq('OPM', 'Ophthalmic Mapping'),
  acq('OPT', 'Ophthalmic Tomography'),
  acq('OPTBSV', 'Ophthalmic Tomography B-scan Volume Analysis'),
  acq('OPTENF', 'Ophthalmic Tomography En Face'),
  acq('OPV', 'Ophthalmic Visual Field'),
  acq('OSS', 'Optical Surface Scanner'),
  acq('PA', 'Photoacoustic'),
  acq('POS', 'Position Sensor'),
  acq('PT', 'Positron emission tomography', { ...C, mappings: { radlex: 'RID10337', eucaim: 'IMG1004451' } }),
  acq('PX', 'Panoramic X-Ray'),
  acq('RESP', 'Respiratory Waveform'),
  acq('RF', 'Radiofluoroscopy', C),
  acq('RG', 'Radiographic imaging'),
  acq('RTIMAGE', 'RT Image', C),
  acq('SM', 'Slide Microscopy', C),
  acq('SRF', 'Subjective Refraction'),
  acq('TG', 'Thermography'),
  acq('US', 'Ultrasound', C),
  acq('VA', 'Visual Acuity'),
  acq('XA', 'X-Ray Angiography', C),
  acq('XC', 'External-camera Photography'),
  // CID 33 "Modality" members that are not acquisition modalities.
  nonAcq('ANN', 'Annotation'),
  nonAcq('ASMT', 'Content Assessment Result'),
  nonAcq('AU', 'Basic Voice Audio'),
  nonAcq('CTPROTOCOL', 'CT Protocol'),
  nonAcq('DOC', 'Document'),
  nonAcq('FID', 'Spatial Fiducials'),
  nonAcq('HC', 'Hard Copy'),
  nonAcq('IOL', 'Intraocular Lens Calculation'),
  nonAcq('KO', 'Key Object Selection', C),
  nonAcq('M3D', 'Model for 3D Manufacturing'),
  nonAcq('OT', 'Other', C),
  nonAcq('PLAN', 'Plan'),
  nonAcq('PR', 'Presentation State', C),
  nonAcq('REG', 'Registration', C),
  nonAcq('RTDOSE', 'RT Dose', C),
  nonAcq('RTPLAN', 'RT Plan', C),
  nonAcq('RTRECORD', 'RT Treatment Record'),
  nonAcq('RTSTRUCT', 'RT Structure Set', C),
  nonAcq('RWV', 'Real World Value Map'),
  nonAcq('SEG', 'Segmentation', C),
  nonAcq('SMR', 'Stereometric Relationship'),
  nonAcq('SR', 'Structured Report Document', C),
  nonAcq('STAIN', 'Automated Slide Stainer'),
  nonAcq('TEXTUREMAP', 'Texture Map'),
];

/** Synonyms (matched after {@link normKey}) → DCM code. Includes retired DICOM modality codes. */
export const MODALITY_ALIASES: Readonly<Record<string, string>> = {
  MRI: 'MR',
  'Magnetic Resonance Imaging': 'MR',
  'MR imaging': 'MR',
  MRA: 'MR',
  fMRI: 'MR',
  DWI: 'MR',
  'DCE-MRI': 'MR',
  'mp-MRI': 'MR',
  'Multiparametric MRI': 'MR',
  'MR spectroscopy': 'MR',
  NMR: 'MR',
  MA: 'MR',
  MS: 'MR', // retired: MR angiography, MR spectroscopy
  PET: 'PT',
  'PET scan': 'PT',
  'Positron Emission Tomography': 'PT',
  'Computed Tomography': 'CT',
  'CT scan': 'CT',
  CAT: 'CT',
  'CAT scan': 'CT',
  CBCT: 'CT',
  'Cone beam CT': 'CT',
  LDCT: 'CT',
  'Low-dose CT': 'CT',
  CTA: 'CT',
  'CT angiography': 'CT',
  'Contrast-enhanced CT': 'CT',
  CECT: 'CT',
  Pathology: 'SM',
  Histopathology: 'SM',
  Histology: 'SM',
  'Digital Pathology': 'SM',
  'Whole slide image': 'SM',
  'Whole slide images': 'SM',
  'Whole slide imaging': 'SM',
  WSI: 'SM',
  'Pathology slides': 'SM',
  'Slide microscopy': 'SM',
  'Whole slide microscopy': 'SM',
  Mammography: 'MG',
  Mammogram: 'MG',
  'Digital mammography': 'MG',
  FFDM: 'MG',
  DBT: 'MG',
  Tomosynthesis: 'MG',
  'Digital Breast Tomosynthesis': 'MG',
  'Breast tomosynthesis': 'MG',
  CESM: 'MG',
  'Contrast-enhanced mammography': 'MG',
  'Contrast-enhanced spectral mammography': 'MG',
  SPECT: 'NM',
  ST: 'NM',
  Scintigraphy: 'NM',
  'Nuclear medicine': 'NM',
  'Bone scan': 'NM',
  'Gamma camera': 'NM',
  Ultrasound: 'US',
  Ultrasonography: 'US',
  Sonography: 'US',
  Echography: 'US',
  CEUS: 'US',
  'B-mode': 'US',
  Doppler: 'US',
  Echocardiography: 'US',
  EC: 'US',
  CD: 'US',
  DD: 'US', // retired echo / doppler codes
  'X-ray': 'DX',
  Xray: 'DX',
  Radiography: 'DX',
  Radiograph: 'DX',
  'Plain film': 'DX',
  'Plain radiography': 'DX',
  'Chest X-ray': 'DX',
  CXR: 'DX',
  Angiography: 'XA',
  DSA: 'XA',
  'Digital subtraction angiography': 'XA',
  DS: 'XA',
  Fluoroscopy: 'RF',
  DF: 'RF',
  VF: 'RF',
  CF: 'RF',
  Segmentation: 'SEG',
  Segmentations: 'SEG',
  RTSS: 'RTSTRUCT',
  'Structure set': 'RTSTRUCT',
  'RT structure': 'RTSTRUCT',
  'RT structures': 'RTSTRUCT',
  'Radiotherapy structure set': 'RTSTRUCT',
  'Radiotherapy dose': 'RTDOSE',
  'Radiotherapy plan': 'RTPLAN',
  'Structured report': 'SR',
  'Structured reports': 'SR',
  'SR document': 'SR',
  Annotation: 'ANN',
  Annotations: 'ANN',
  'Microscopy bulk simple annotations': 'ANN',
  'Key object': 'KO',
  'Image registration': 'REG',
  'Presentation states': 'PR',
  Photography: 'XC',
  Photo: 'XC',
  'Clinical photography': 'XC',
  Microscopy: 'GM',
  Endoscopy: 'ES',
  Colonoscopy: 'ES',
  LP: 'ES',
  CS: 'ES',
  CP: 'ES', // retired: lap/cysto/colposcopy
  Dermatoscopy: 'DMS',
  'Optical coherence tomography': 'OCT',
  Photoacoustic: 'PA',
  'Photoacoustic imaging': 'PA',
};

/** Compound values that stand for several modalities. */
export const MODALITY_COMPOUNDS: Readonly<Record<string, readonly string[]>> = {
  PETCT: ['PT', 'CT'],
  PTCT: ['PT', 'CT'],
  PETMR: ['PT', 'MR'],
  PETMRI: ['PT', 'MR'],
  MRPET: ['MR', 'PT'],
  CTPET: ['CT', 'PT'],
  SPECTCT: ['NM', 'CT'],
};

const BY_CODE = new Map(MODALITIES.map((t) => [t.code, t] as const));

/** Modality term by DCM code (case-insensitive), or undefined. */
export function modalityByCode(code: string): ModalityTerm | undefined {
  return typeof code === 'string' ? BY_CODE.get(code.trim().toUpperCase()) : undefined;
}
