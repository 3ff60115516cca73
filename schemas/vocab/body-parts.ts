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
 * `normaliseBodyPart()` (real-world location wordings → these terms) is in body-part-wordings.ts.
 */
import { normKey, type Term } from './text.js';

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
export const BODY_PART_ALIASES: Readonly<Record<string, string>> = {
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
export const BODY_PART_COMPOUNDS: Readonly<Record<string, readonly string[]>> = {
  COLORECTAL: ['COLON', 'RECTUM'],
  COLONRECTUM: ['COLON', 'RECTUM'],
};

const BY_CODE = new Map(BODY_PARTS.map((b) => [b.code, b] as const));

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
