/**
 * Modalities: DICOM CID 29 "Acquisition Modality" (complete) + the CID 33 "Modality" codes that are not
 * acquisition modalities (datamodel §6.1), and `normaliseModality()` for the free-text values found in
 * TCIA / IDC / EuCanImage ("MRI", "PET", "Pathology", "FDG-PET/CT", …).
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
import type { Coding } from '../common.js';
import { SYSTEM } from './systems.js';
import { PhraseIndex } from './match.js';
import { type Term, coded, dedupeCodings, freeText, keyIndex, normKey, splitList } from './text.js';

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
const MODALITY_ALIASES: Readonly<Record<string, string>> = {
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
const COMPOUND: Readonly<Record<string, readonly string[]>> = {
  PETCT: ['PT', 'CT'],
  PTCT: ['PT', 'CT'],
  PETMR: ['PT', 'MR'],
  PETMRI: ['PT', 'MR'],
  MRPET: ['MR', 'PT'],
  CTPET: ['CT', 'PT'],
  SPECTCT: ['NM', 'CT'],
};

/** Known non-DICOM values kept as free text with a fixed label. */
const FREE_TEXT_LABELS: Readonly<Record<string, string>> = {
  SC: 'Secondary Capture (SC)',
  SECONDARYCAPTURE: 'Secondary Capture (SC)',
};

const BY_CODE = new Map(MODALITIES.map((t) => [t.code, t] as const));
const INDEX = keyIndex(MODALITIES, MODALITY_ALIASES);

/** Modality term by DCM code (case-insensitive), or undefined. */
export function modalityByCode(code: string): ModalityTerm | undefined {
  return typeof code === 'string' ? BY_CODE.get(code.trim().toUpperCase()) : undefined;
}

function codesFor(key: string, prefixes = true): readonly string[] | undefined {
  if (!key) return undefined;
  const t = INDEX.get(key);
  if (t) return [t.code];
  const compound = COMPOUND[key];
  if (compound) return compound;
  // Tracer or organ prefixes: "FDG-PET", "PSMA PET/CT", "Ga-68 DOTATATE PET", "Breast MRI", "DCE MRI".
  const m = /(PETCT|PETMRI|PETMR|SPECTCT|PET|SPECT|MRI)$/.exec(key);
  if (prefixes && m && m[1] && m.index > 0) return codesFor(m[1]);
  return undefined;
}

/**
 * Wordings around a modality that real catalogues add: MRI sequences and CT techniques imply their modality,
 * tracers imply PET, stains and slide words imply slide microscopy. Matched as phrases inside longer text.
 */
const PHRASES: Readonly<Record<string, readonly string[]>> = {
  MR: [
    'T1',
    'T2',
    'T1w',
    'T2w',
    'T1 weighted',
    'T2 weighted',
    'T1c',
    'T1ce',
    'T1 Gd',
    'T1 post contrast',
    'PD weighted',
    'FLAIR',
    'DWI',
    'ADC',
    'ADC map',
    'DCE',
    'DSC',
    'SWI',
    'DTI',
    'Diffusion weighted',
    'Diffusion tensor',
    'Diffusion',
    'MR perfusion',
    'BOLD',
    'MRS',
    'MPRAGE',
    'STIR',
    'Dixon',
    'ASL',
    'bpMRI',
    'mpMRI',
    'Biparametric',
    'Multiparametric',
    'MRCP',
    'MR elastography',
    'Magnetic resonance',
    'Cine MR',
    'Breast MRI',
    'Prostate MRI',
    'Functional MRI',
    'MR',
  ],
  CT: [
    'CBCT',
    'Cone beam',
    'LDCT',
    'Low dose CT',
    'Low dose spiral CT',
    'Spiral CT',
    'Helical CT',
    'HRCT',
    'High resolution CT',
    'CT colonography',
    'Virtual colonoscopy',
    '4DCT',
    '4D CT',
    'Dual energy CT',
    'DECT',
    'CT perfusion',
    'Perfusion CT',
    'NCCT',
    'Non contrast CT',
    'Planning CT',
    'Simulation CT',
    'MDCT',
    'Multidetector CT',
    'Photon counting CT',
    'Computed tomography',
    'Computerised tomography',
    'Computerized tomography',
    'CT',
  ],
  PT: ['FDG', 'FDG PET', '18F FDG', 'PSMA', 'PSMA PET', 'DOTATATE', 'FLT', 'FET', 'Choline PET', 'Amyloid PET', 'PET'],
  NM: ['Bone scintigraphy', 'MIBG', 'SPECT', 'Scintigraphy', 'Gamma camera'],
  US: [
    'ABUS',
    'Automated breast ultrasound',
    'TRUS',
    'Transrectal ultrasound',
    'EUS',
    'Endoscopic ultrasound',
    'Doppler',
    'CEUS',
    'B mode',
    'Ultrasound',
    'Ultrasonography',
    'Sonography',
    'Echography',
    'Sonogram',
    'Echo',
  ],
  MG: ['Mammogram', 'Mammography', 'DBT', 'Tomosynthesis', 'FFDM', 'CESM', 'Synthetic 2D', 'Mammographic'],
  DX: ['Xray', 'Radiograph', 'Radiography', 'CXR', 'Plain film', 'DR', 'Digital radiograph'],
  CR: ['Computed radiography'],
  SM: [
    'Whole slide',
    'WSI',
    'H&E',
    'HE stained',
    'Hematoxylin eosin',
    'Haematoxylin eosin',
    'Histopathology',
    'Histology',
    'Digital pathology',
    'Pathology',
    'IHC',
    'Immunohistochemistry',
    'Tissue microarray',
    'TMA',
    'Slide',
    'FFPE',
    'Frozen section',
    'Pathology slide',
    'Microscopy slide',
  ],
  SEG: ['Segmentation', 'Segmentation mask', 'Mask', 'Label map', 'Labelmap', 'DICOM SEG', 'SEG', 'Tumour mask', 'Tumor mask'],
  RTSTRUCT: ['RT struct', 'RTSTRUCT', 'RT structure set', 'Structure set', 'Contour', 'RTSS', 'Delineation'],
  RTDOSE: ['RT dose', 'Dose distribution', 'Dose'],
  RTPLAN: ['RT plan', 'Treatment plan'],
  SR: ['Structured report', 'DICOM SR'],
  ANN: ['Bulk annotation', 'Microscopy annotation'],
  XC: ['Photograph', 'Photography', 'Clinical photograph'],
  DMS: ['Dermoscopy', 'Dermatoscopy', 'Dermoscopic', 'Dermatoscopic'],
  ES: ['Endoscopy', 'Colonoscopy', 'Gastroscopy', 'Bronchoscopy', 'Cystoscopy', 'Endoscopic'],
  OCT: ['Optical coherence tomography'],
  XA: ['Angiography', 'DSA', 'Angiogram'],
  RF: ['Fluoroscopy'],
};

/** Words that say nothing about which modality ("MRI scans", "CT images", "PET imaging data"). */
const FILLER = new Set([
  'scan',
  'image',
  'imaging',
  'data',
  'study',
  'exam',
  'examination',
  'acquisition',
  'sequence',
  'dataset',
  'series',
  'modality',
  'file',
  'dicom',
  'volume',
  'picture',
  'record',
  'weighted',
  'contrast',
  'enhanced',
  'screening',
  'diagnostic',
  'digital',
  'multi',
  'phase',
  'map',
  'stained',
  'stain',
]);

const PHRASE_INDEX: PhraseIndex<readonly string[]> = (() => {
  const idx = new PhraseIndex<readonly string[]>(FILLER);
  for (const [code, phrases] of Object.entries(PHRASES)) for (const p of phrases) idx.add(p, [code]);
  for (const t of MODALITIES) idx.add(t.code, [t.code], { code: true });
  for (const t of MODALITIES) idx.add(t.label, [t.code]);
  for (const [alias, code] of Object.entries(MODALITY_ALIASES)) idx.add(alias, [code], { code: alias.length <= 3 });
  idx.add('PET CT', ['PT', 'CT']).add('PET MR', ['PT', 'MR']).add('PET MRI', ['PT', 'MR']).add('SPECT CT', ['NM', 'CT']);
  return idx;
})();

/** Not modalities, whatever sources put in the field: kept as free text, never coded. */
const NOT_A_MODALITY =
  /^(clinical( data)?|genomics?|proteomics?|demographics?|pathology reports?|radiology reports?|reports?|outcomes?|image analyses)$/i;

const toCodings = (codes: readonly string[]) => codes.map((c) => coded(SYSTEM.modality, BY_CODE.get(c) as ModalityTerm));

/** Codes of one wording: exact key, then phrases inside it ("MRI scans", "Chest radiographs"), then prefixes. */
function partCodes(text: string): readonly string[] | undefined {
  if (NOT_A_MODALITY.test(text.trim())) return undefined;
  const key = normKey(text);
  const exact = codesFor(key, false);
  if (exact) return exact;
  const found = PHRASE_INDEX.resolve(text).flat();
  if (found.length > 0) return [...new Set(found)];
  return codesFor(key);
}

function normaliseOne(item: string): Coding[] {
  const key = normKey(item);
  const fixed = FREE_TEXT_LABELS[key];
  if (fixed) return [{ label: fixed }];
  if (NOT_A_MODALITY.test(item.trim())) return [freeText(item)];
  const whole = codesFor(key, false);
  if (whole) return toCodings(whole);
  // "FDG-PET/CT", "CT + MR", "CT and PET": each part on its own; unknown parts stay free text.
  const parts = item.split(/\s*(?:\/|\+|\s&\s|\band\b)\s*/i).filter((p) => PHRASE_INDEX.tokens(p).length > 0);
  if (parts.length > 1) {
    const found = parts.map((p) => ({ p, codes: partCodes(p) }));
    if (found.some((f) => f.codes)) return found.flatMap((f) => (f.codes ? toCodings(f.codes) : [freeText(f.p)]));
  }
  const codes = partCodes(item);
  if (codes) return toCodings(codes);
  return [freeText(item)];
}

/**
 * Normalise a raw modality value (one value or a comma-separated list) to DCM codings.
 * Case, spacing and punctuation are ignored; unknown values are returned as free text, never dropped.
 * Blank input gives `[]`. Never throws.
 */
export function normaliseModality(raw: string): Coding[] {
  if (typeof raw !== 'string') return [];
  return dedupeCodings(splitList(raw).flatMap(normaliseOne));
}
