/**
 * Body Part Examined: DICOM (0018,0015) defined terms (PS3.16 Annex L) — the oncology subset of datamodel §6.2
 * plus the defined terms needed for TCIA / IDC / EuCanImage locations (ARM, LEG, SHOULDER, SCAPULA, BUTTOCK,
 * THYMUS, BILEDUCT, RETROPERITONEUM, …). `sct` is the SNOMED CT code DICOM uses today (§6.2 column
 * "SCT (DICOM current)"; other terms from the Annex L table). Only real defined terms get codes.
 *
 * Hierarchy for facets: every organ-level term has a `region` (one of the top-level region terms HEAD, NECK,
 * CHEST, ABDOMEN, PELVIS, SPINE, EXTREMITY); combined regions (CHESTABDPELVIS, HEADNECK, …) list the regions
 * they `covers`. `siteGroups` links organs to the cancer-site groups of §6.3.2.
 *
 * Decisions in `normaliseBodyPart()`:
 * - Phantom locations ("Lung Phantom", "Head & Chest Phantom") → the imitated body part(s) **plus** a free-text
 *   "Phantom" coding, so the anatomy facets work and phantom collections stay recognisable; plain "Phantom" →
 *   free text "Phantom".
 * - Sub-organ locations map to the containing defined term: "Intraocular" → EYE, "Myometrium" → UTERUS,
 *   "Marrow" / "Bone Marrow", "Bone", "Blood", "Lymph Node", "Mesothelium", "Various…" have no defined term and
 *   stay free text. Skin (39937001) and Anus (53505006, CID 4031) are carried with their SNOMED CT codes.
 * - Longer wordings are read word by word (match.ts): "CT of the lungs" → LUNG, ICD-O topography
 *   "Upper lobe, lung" / "Kidney, NOS" → LUNG / KIDNEY (qualifier-only parts are dropped when the rest matched).
 * - "Leg" → LEG (DICOM meaning "Lower leg"); "Lower limb"/"Upper limb"/"Extremities" → EXTREMITY.
 */
import type { Coding } from '../common.js';
import { SYSTEM } from './systems.js';
import { PhraseIndex } from './match.js';
import { type Term, coded, dedupeCodings, freeText, keyIndex, normKey, splitList } from './text.js';

export type BodyRegion = 'HEAD' | 'NECK' | 'CHEST' | 'ABDOMEN' | 'PELVIS' | 'SPINE' | 'EXTREMITY';

export interface BodyPartTerm extends Term {
  /** SNOMED CT concept id used by DICOM for this defined term. */
  readonly sct: string;
  /** Parent region for hierarchical facets (absent on region and combined-region terms). */
  readonly region?: BodyRegion;
  /** Regions covered by a combined-region term (HEADNECK, CHESTABDPELVIS, …). */
  readonly covers?: readonly BodyRegion[];
  /** Cancer-site groups (cancer-sites.ts slugs) suggested by this location. */
  readonly siteGroups?: readonly string[];
}

type R = BodyRegion;
const t = (code: string, label: string, sct: string, region?: R, siteGroups?: readonly string[]): BodyPartTerm => ({
  code,
  label,
  sct,
  ...(region ? { region } : {}),
  ...(siteGroups ? { siteGroups } : {}),
});
const combo = (code: string, label: string, sct: string, covers: readonly R[], siteGroups?: readonly string[]) => ({
  code,
  label,
  sct,
  covers,
  ...(siteGroups ? { siteGroups } : {}),
});

export const BODY_PARTS: readonly BodyPartTerm[] = [
  // Head
  t('HEAD', 'Head', '69536005'),
  t('BRAIN', 'Brain', '12738006', 'HEAD', ['brain-cns']),
  t('SKULL', 'Skull', '89546000', 'HEAD'),
  t('EYE', 'Eye', '81745001', 'HEAD'),
  t('ORBIT', 'Orbit', '363654007', 'HEAD'),
  t('EAR', 'Ear', '117590005', 'HEAD'),
  t('NOSE', 'Nose', '45206002', 'HEAD', ['head-neck']),
  t('MOUTH', 'Mouth', '123851003', 'HEAD', ['head-neck']),
  t('TONGUE', 'Tongue', '21974007', 'HEAD', ['head-neck']),
  t('PAROTID', 'Parotid gland', '45289007', 'HEAD', ['head-neck']),
  combo('HEADNECK', 'Head and Neck', '774007', ['HEAD', 'NECK'], ['head-neck']),
  // Neck
  t('NECK', 'Neck', '45048000'),
  t('LARYNX', 'Larynx', '4596009', 'NECK', ['head-neck']),
  t('PHARYNX', 'Pharynx', '54066008', 'NECK', ['head-neck']),
  t('NASOPHARYNX', 'Nasopharynx', '360955006', 'NECK', ['head-neck']),
  t('HYPOPHARYNX', 'Hypopharynx', '81502006', 'NECK', ['head-neck']),
  t('THYROID', 'Thyroid', '69748006', 'NECK', ['thyroid']),
  // Chest
  t('CHEST', 'Chest', '816094009'),
  t('LUNG', 'Lung', '39607008', 'CHEST', ['lung']),
  t('BRONCHUS', 'Bronchus', '955009', 'CHEST', ['lung']),
  t('TRACHEA', 'Trachea', '44567001', 'CHEST'),
  t('BREAST', 'Breast', '76752008', 'CHEST', ['breast']),
  t('AXILLA', 'Axilla', '91470000', 'CHEST'),
  t('MEDIASTINUM', 'Mediastinum', '72410000', 'CHEST'),
  t('HEART', 'Heart', '80891009', 'CHEST'),
  t('ESOPHAGUS', 'Esophagus', '32849002', 'CHEST', ['oesophagus']),
  t('THYMUS', 'Thymus', '9875009', 'CHEST'),
  t('RIB', 'Rib', '113197003', 'CHEST'),
  t('STERNUM', 'Sternum', '56873002', 'CHEST'),
  // Abdomen
  t('ABDOMEN', 'Abdomen', '818981001'),
  t('LIVER', 'Liver', '10200004', 'ABDOMEN', ['liver']),
  t('GALLBLADDER', 'Gallbladder', '28231008', 'ABDOMEN'),
  t('BILEDUCT', 'Bile duct', '28273000', 'ABDOMEN'),
  t('PANCREAS', 'Pancreas', '15776009', 'ABDOMEN', ['pancreas']),
  t('STOMACH', 'Stomach', '69695003', 'ABDOMEN', ['stomach']),
  t('SPLEEN', 'Spleen', '78961009', 'ABDOMEN'),
  t('KIDNEY', 'Kidney', '64033007', 'ABDOMEN', ['kidney']),
  t('ADRENAL', 'Adrenal gland', '23451007', 'ABDOMEN'),
  t('DUODENUM', 'Duodenum', '38848004', 'ABDOMEN'),
  t('SMALLINTESTINE', 'Small intestine', '30315005', 'ABDOMEN'),
  t('COLON', 'Colon', '71854001', 'ABDOMEN', ['colorectal']),
  t('RETROPERITONEUM', 'Retroperitoneum', '82849001', 'ABDOMEN'),
  combo('ABDOMENPELVIS', 'Abdomen and Pelvis', '818982008', ['ABDOMEN', 'PELVIS']),
  // Pelvis
  t('PELVIS', 'Pelvis', '816092008', undefined, ['pelvis']),
  t('RECTUM', 'Rectum', '34402009', 'PELVIS', ['colorectal']),
  t('BLADDER', 'Urinary bladder', '89837001', 'PELVIS', ['bladder']),
  t('PROSTATE', 'Prostate', '41216001', 'PELVIS', ['prostate']),
  t('TESTIS', 'Testis', '40689003', 'PELVIS'),
  t('PENIS', 'Penis', '18911002', 'PELVIS'),
  t('UTERUS', 'Uterus', '35039007', 'PELVIS', ['uterus']),
  t('CERVIX', 'Cervix uteri', '71252005', 'PELVIS', ['cervix']),
  t('OVARY', 'Ovary', '15497006', 'PELVIS', ['ovary']),
  t('VAGINA', 'Vagina', '76784001', 'PELVIS'),
  t('VULVA', 'Vulva', '45292006', 'PELVIS'),
  t('BUTTOCK', 'Buttock', '46862004', 'PELVIS'),
  t('ANUS', 'Anus', '53505006', 'PELVIS'),
  // Combined regions
  combo('CHESTABDOMEN', 'Chest and Abdomen', '416550000', ['CHEST', 'ABDOMEN']),
  combo('CHESTABDPELVIS', 'Chest, Abdomen and Pelvis', '416775004', ['CHEST', 'ABDOMEN', 'PELVIS']),
  combo('NECKCHEST', 'Neck and Chest', '417437006', ['NECK', 'CHEST']),
  combo('NECKCHESTABDOMEN', 'Neck, Chest and Abdomen', '416152001', ['NECK', 'CHEST', 'ABDOMEN']),
  combo('NECKCHESTABDPELV', 'Neck, Chest, Abdomen and Pelvis', '416319003', ['NECK', 'CHEST', 'ABDOMEN', 'PELVIS']),
  t('WHOLEBODY', 'Entire body', '38266002'),
  t('SKIN', 'Skin', '39937001', undefined, ['melanoma-skin']),
  // Spine
  t('SPINE', 'Spine', '421060004'),
  t('CSPINE', 'Cervical spine', '122494005', 'SPINE'),
  t('TSPINE', 'Thoracic spine', '122495006', 'SPINE'),
  t('LSPINE', 'Lumbar spine', '122496007', 'SPINE'),
  t('SSPINE', 'Sacrum', '54735007', 'SPINE'),
  t('SPINALCORD', 'Spinal cord', '2748008', 'SPINE', ['brain-cns']),
  // Extremities
  t('EXTREMITY', 'Extremity', '66019005'),
  t('SHOULDER', 'Shoulder', '16982005', 'EXTREMITY'),
  t('SCAPULA', 'Scapula', '79601000', 'EXTREMITY'),
  t('ARM', 'Upper arm', '40983000', 'EXTREMITY'),
  t('HUMERUS', 'Humerus', '85050009', 'EXTREMITY'),
  t('ELBOW', 'Elbow joint', '16953009', 'EXTREMITY'),
  t('FOREARM', 'Forearm', '14975008', 'EXTREMITY'),
  t('HAND', 'Hand', '85562004', 'EXTREMITY'),
  t('HIP', 'Hip joint', '24136001', 'EXTREMITY'),
  t('THIGH', 'Thigh', '68367000', 'EXTREMITY'),
  t('FEMUR', 'Femur', '71341001', 'EXTREMITY'),
  t('KNEE', 'Knee', '72696002', 'EXTREMITY'),
  t('LEG', 'Lower leg', '30021000', 'EXTREMITY'),
  t('CALF', 'Calf of leg', '53840002', 'EXTREMITY'),
  t('FOOT', 'Foot', '56459004', 'EXTREMITY'),
];

/** Synonyms → defined term (matched after {@link normKey}; "and"/"&" are ignored when matching). */
const BODY_PART_ALIASES: Readonly<Record<string, string>> = {
  'Chest Abdomen Pelvis': 'CHESTABDPELVIS',
  CAP: 'CHESTABDPELVIS',
  'Thorax Abdomen Pelvis': 'CHESTABDPELVIS',
  'Abdomen Pelvis': 'ABDOMENPELVIS',
  'Chest Abdomen': 'CHESTABDOMEN',
  'Neck Chest Abdomen Pelvis': 'NECKCHESTABDPELV',
  'Head Neck': 'HEADNECK',
  'Head-and-neck': 'HEADNECK',
  HN: 'HEADNECK',
  Thorax: 'CHEST',
  Thoracic: 'CHEST',
  Lungs: 'LUNG',
  Breasts: 'BREAST',
  'Whole Body': 'WHOLEBODY',
  'Total body': 'WHOLEBODY',
  'Full body': 'WHOLEBODY',
  Body: 'WHOLEBODY',
  'Adrenal Glands': 'ADRENAL',
  Adrenals: 'ADRENAL',
  'Adrenal gland': 'ADRENAL',
  Testicles: 'TESTIS',
  Testicle: 'TESTIS',
  Testes: 'TESTIS',
  Testicular: 'TESTIS',
  Extremities: 'EXTREMITY',
  Limb: 'EXTREMITY',
  Limbs: 'EXTREMITY',
  'Upper limb': 'EXTREMITY',
  'Lower limb': 'EXTREMITY',
  'Lower extremity': 'EXTREMITY',
  'Upper extremity': 'EXTREMITY',
  Arms: 'ARM',
  'Upper arm': 'ARM',
  Legs: 'LEG',
  'Lower leg': 'LEG',
  Calf: 'CALF',
  Shoulders: 'SHOULDER',
  Buttocks: 'BUTTOCK',
  Gluteal: 'BUTTOCK',
  Elbow: 'ELBOW',
  Hip: 'HIP',
  'T-Spine': 'TSPINE',
  'C-Spine': 'CSPINE',
  'L-Spine': 'LSPINE',
  Sacrum: 'SSPINE',
  'Spinal column': 'SPINE',
  Oesophagus: 'ESOPHAGUS',
  'Bladder organ': 'BLADDER',
  'Urinary bladder': 'BLADDER',
  'Prostate gland': 'PROSTATE',
  'Thyroid gland': 'THYROID',
  'Uterine cervix': 'CERVIX',
  Cervix: 'CERVIX',
  'Body of uterus': 'UTERUS',
  'Corpus uteri': 'UTERUS',
  Myometrium: 'UTERUS',
  Endometrium: 'UTERUS',
  Ovaries: 'OVARY',
  Kidneys: 'KIDNEY',
  Renal: 'KIDNEY',
  Hepatic: 'LIVER',
  'Gall bladder': 'GALLBLADDER',
  'Bile ducts': 'BILEDUCT',
  'Biliary tract': 'BILEDUCT',
  'Oral cavity': 'MOUTH',
  Intraocular: 'EYE',
  Eyes: 'EYE',
  Ocular: 'EYE',
  Uveal: 'EYE',
  'Small bowel': 'SMALLINTESTINE',
  'Large bowel': 'COLON',
  Parotid: 'PAROTID',
  Cerebrum: 'BRAIN',
  Cranial: 'HEAD',
  'Neck Chest': 'NECKCHEST',
  'Bronchus and lung': 'LUNG',
  Abdominal: 'ABDOMEN',
  Pelvic: 'PELVIS',
  Skull: 'SKULL',
  Spinal: 'SPINE',
  Anal: 'ANUS',
  'Anal canal': 'ANUS',
  Cutaneous: 'SKIN',
};

/** Values that stand for several defined terms. */
const COMPOUND: Readonly<Record<string, readonly string[]>> = {
  COLORECTAL: ['COLON', 'RECTUM'],
  COLONRECTUM: ['COLON', 'RECTUM'],
};

const BY_CODE = new Map(BODY_PARTS.map((b) => [b.code, b] as const));
const INDEX = keyIndex(BODY_PARTS, BODY_PART_ALIASES);

/** Sub-sites and ICD-O topography wordings → defined term. */
const SUB_SITES: Readonly<Record<string, readonly string[]>> = {
  BRAIN: [
    'Cerebellum',
    'Brain stem',
    'Brainstem',
    'Frontal lobe',
    'Temporal lobe',
    'Parietal lobe',
    'Occipital lobe',
    'Cerebral',
    'Supratentorial',
    'Infratentorial',
    'Intracranial',
    'Cerebral hemisphere',
    'Ventricle brain',
    'Glial',
  ],
  LUNG: ['Bronchus and lung', 'Pulmonary', 'Lung parenchyma', 'Upper lobe lung', 'Lower lobe lung', 'Middle lobe lung'],
  BREAST: ['Mammary', 'Nipple', 'Upper outer quadrant breast'],
  LIVER: ['Liver and intrahepatic bile duct', 'Intrahepatic bile duct', 'Hepatic'],
  PANCREAS: ['Head of pancreas', 'Body of pancreas', 'Tail of pancreas', 'Pancreatic', 'Pancreatic duct'],
  COLON: [
    'Sigmoid colon',
    'Ascending colon',
    'Transverse colon',
    'Descending colon',
    'Cecum',
    'Caecum',
    'Large intestine',
    'Colonic',
    'Hepatic flexure',
    'Splenic flexure',
    'Appendix',
  ],
  RECTUM: ['Rectosigmoid junction', 'Rectal', 'Rectosigmoid'],
  ANUS: ['Anal canal', 'Anal', 'Anorectal'],
  SKIN: ['Cutaneous', 'Dermal', 'Skin of trunk', 'Skin of face', 'Scalp'],
  KIDNEY: ['Renal pelvis', 'Renal'],
  PHARYNX: ['Oropharynx', 'Tonsil', 'Oropharyngeal'],
  MOUTH: ['Floor of mouth', 'Lip', 'Gum', 'Palate', 'Gingiva', 'Buccal mucosa'],
  TONGUE: ['Base of tongue', 'Tongue base'],
  NOSE: ['Nasal cavity', 'Paranasal sinus', 'Sinonasal'],
  LARYNX: ['Glottis', 'Supraglottis', 'Laryngeal'],
  ESOPHAGUS: ['Esophageal', 'Oesophageal', 'Gastroesophageal junction', 'Gastro oesophageal junction'],
  STOMACH: ['Gastric', 'Cardia', 'Antrum', 'Pylorus'],
  BLADDER: ['Urinary bladder', 'Bladder wall'],
  UTERUS: ['Uterine', 'Endometrial', 'Corpus uteri', 'Womb'],
  CERVIX: ['Cervix uteri', 'Endocervix', 'Exocervix'],
  OVARY: ['Ovarian'],
  PROSTATE: ['Prostatic', 'Prostate gland'],
  THYROID: ['Thyroid gland'],
  CHEST: ['Thorax', 'Thoracic', 'Pleura', 'Chest wall'],
  EYE: ['Choroid', 'Retina', 'Uvea', 'Intraocular', 'Ocular'],
  WHOLEBODY: ['Whole body', 'Total body', 'Full body', 'Entire body'],
  HEADNECK: ['Head and neck', 'Head neck'],
};

/** Words that never decide the body part ("CT of the lungs", "Kidney, NOS", "left breast"). */
const FILLER = new Set([
  'region',
  'area',
  'structure',
  'organ',
  'site',
  'primary',
  'left',
  'right',
  'bilateral',
  'unspecified',
  'specified',
  'overlapping',
  'lesion',
  'part',
  'scan',
  'image',
  'imaging',
  'ct',
  'mri',
  'mr',
  'pet',
  'tumor',
  'tumour',
  'cancer',
  'carcinoma',
  'neoplasm',
  'malignant',
  'of',
  'otherwise',
  'not',
  'other',
]);
/** Words of an ICD-O qualifier part ("Upper lobe" in "Upper lobe, lung"): dropped when the rest matched. */
const QUALIFIER_WORDS = new Set(['upper', 'lower', 'middle', 'lobe', 'base', 'apex', 'tail', 'body', 'head', 'wall', 'nos', 'border']);

const PHRASES: PhraseIndex<readonly string[]> = (() => {
  const idx = new PhraseIndex<readonly string[]>(FILLER);
  for (const [code, list] of Object.entries(SUB_SITES)) for (const p of list) idx.add(p, [code]);
  for (const b of BODY_PARTS) idx.add(b.label, [b.code]).add(b.code, [b.code], { code: true });
  // "Body" alone means the whole body only as the entire value ("skin of body", "body of uterus" are not).
  for (const [alias, code] of Object.entries(BODY_PART_ALIASES)) {
    if (alias !== 'Body') idx.add(alias, [code], { code: alias.length <= 3 });
  }
  idx.add('Colorectal', ['COLON', 'RECTUM']).add('Colon and rectum', ['COLON', 'RECTUM']);
  return idx;
})();

/** Body-part term by defined term (case-insensitive, punctuation ignored: `T-SPINE` finds TSPINE), or undefined. */
export function bodyPartByCode(code: string): BodyPartTerm | undefined {
  if (typeof code !== 'string') return undefined;
  return BY_CODE.get(code.trim().toUpperCase()) ?? BY_CODE.get(normKey(code));
}

/** Body-part term by SNOMED CT id (e.g. `39607008` → LUNG); legacy Directory ids are accepted too. */
export function bodyPartBySct(sct: string): BodyPartTerm | undefined {
  if (typeof sct !== 'string') return undefined;
  const s = sct.trim();
  return BODY_PARTS.find((b) => b.sct === s) ?? BY_CODE.get(LEGACY_SCT[s] ?? '');
}

/** Legacy SCT ids shipped by the BBMRI Directory where DICOM now uses another (datamodel §7.6). */
const LEGACY_SCT: Readonly<Record<string, string>> = {
  '113345001': 'ABDOMEN',
  '51185008': 'CHEST',
  '43799004': 'CHEST',
  '12921003': 'PELVIS',
  '181422007': 'PROSTATE',
  '416949008': 'ABDOMENPELVIS',
  '21082005': 'MOUTH',
  '1910005': 'EAR',
};

/** Top-level regions of a defined term: itself for a region term, its `covers`, or its `region`. */
export function bodyRegionsFor(code: string): BodyRegion[] {
  const b = bodyPartByCode(code);
  if (!b) return [];
  if (b.covers) return [...b.covers];
  if (b.region) return [b.region];
  return ['HEAD', 'NECK', 'CHEST', 'ABDOMEN', 'PELVIS', 'SPINE', 'EXTREMITY'].includes(b.code) ? [b.code as R] : [];
}

/** Cancer-site group slugs suggested by a body-part defined term (LUNG → ['lung'], RECTUM → ['colorectal']). */
export function cancerSiteGroupsForBodyPart(code: string): string[] {
  return [...(bodyPartByCode(code)?.siteGroups ?? [])];
}

function lookup(s: string): BodyPartTerm[] | undefined {
  for (const key of [normKey(s), normKey(s.replace(/\band\b|&/gi, ' '))]) {
    if (!key) continue;
    const hit = INDEX.get(key);
    if (hit) return [hit];
    const compound = COMPOUND[key];
    if (compound) return compound.map((c) => BY_CODE.get(c) as BodyPartTerm);
  }
  return undefined;
}

function normaliseItem(item: string): Coding[] {
  const direct = lookup(item);
  if (direct) return direct.map((b) => coded(SYSTEM.bodyPart, b));
  // "Head & Chest", "Brain/Spine": try the parts; if none is known keep the whole item as free text.
  const parts = item.split(/\s*(?:\/|&|\+|\band\b)\s*/i).filter((p) => p.trim() !== '');
  if (parts.length > 1) {
    const found = parts.map((p) => ({ p, terms: lookup(p) }));
    if (found.every((f) => f.terms)) return found.flatMap((f) => (f.terms ?? []).map((b) => coded(SYSTEM.bodyPart, b)));
  }
  // "CT of the lungs", "Sigmoid colon", "Skin of trunk": known phrases inside the wording.
  const codes = [...new Set(PHRASES.resolve(item).flat())];
  if (codes.length > 0) return codes.map((c) => coded(SYSTEM.bodyPart, BY_CODE.get(c) as BodyPartTerm));
  if (parts.length > 1) {
    const found = parts.map((p) => ({ p, terms: lookup(p) }));
    if (found.some((f) => f.terms)) {
      return found.flatMap((f) => (f.terms ? f.terms.map((b) => coded(SYSTEM.bodyPart, b)) : [freeText(f.p)]));
    }
  }
  return [freeText(item)];
}

/** A part made only of ICD-O qualifier words ("Upper lobe", "NOS"). */
const isQualifier = (item: string) => {
  const ts = PHRASES.tokens(item);
  return ts.length > 0 && ts.every((t) => QUALIFIER_WORDS.has(t.lemma));
};

/**
 * Normalise a raw body-part / tumour-location value (one value or a comma-separated list) to DICOM Body Part
 * Examined codings. Unknown values are kept as free text; blank input gives `[]`. Never throws.
 */
export function normaliseBodyPart(raw: string): Coding[] {
  if (typeof raw !== 'string') return [];
  const whole = lookup(raw);
  if (whole) return whole.map((b) => coded(SYSTEM.bodyPart, b));
  const out: Coding[] = [];
  const items = splitList(raw);
  const skipQualifiers = items.some((i) => !isQualifier(i));
  for (const item of items) {
    if (skipQualifiers && isQualifier(item)) continue;
    const phantom = /\bphantoms?\b/i.test(item);
    const rest = phantom ? item.replace(/\bphantoms?\b/gi, ' ').trim() : item;
    if (rest && /[A-Za-z0-9]/.test(rest)) out.push(...normaliseItem(rest));
    if (phantom) out.push({ label: 'Phantom' });
  }
  return dedupeCodings(out);
}
