/**
 * `normaliseModality()`: real-world modality wordings (TCIA / IDC / EuCanImage: "MRI scans", "FDG-PET/CT",
 * "T2 weighted", "H&E slides") → DCM codings of the vocabulary in modalities.ts (decisions are listed there).
 */
import type { Coding } from '../common.js';
import { SYSTEM } from './systems.js';
import { PhraseIndex } from './match.js';
import { coded, dedupeCodings, freeText, keyIndex, normKey, splitList } from './text.js';
import { MODALITIES, MODALITY_ALIASES, MODALITY_COMPOUNDS, type ModalityTerm, modalityByCode } from './modalities.js';

/** Known non-DICOM values kept as free text with a fixed label. */
const FREE_TEXT_LABELS: Readonly<Record<string, string>> = {
  SC: 'Secondary Capture (SC)',
  SECONDARYCAPTURE: 'Secondary Capture (SC)',
};

const INDEX = keyIndex(MODALITIES, MODALITY_ALIASES);

function codesFor(key: string, prefixes = true): readonly string[] | undefined {
  if (!key) return undefined;
  const t = INDEX.get(key);
  if (t) return [t.code];
  const compound = MODALITY_COMPOUNDS[key];
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

const toCodings = (codes: readonly string[]) => codes.map((c) => coded(SYSTEM.modality, modalityByCode(c) as ModalityTerm));

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
