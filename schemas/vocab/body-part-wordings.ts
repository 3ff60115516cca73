/**
 * `normaliseBodyPart()`: real-world body-part / tumour-location wordings → the DICOM Body Part Examined terms
 * of body-parts.ts.
 *
 * Decisions:
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
import { coded, dedupeCodings, freeText, keyIndex, normKey, splitList } from './text.js';
import { BODY_PART_ALIASES, BODY_PART_COMPOUNDS, BODY_PARTS, type BodyPartTerm, bodyPartByCode } from './body-parts.js';

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

function lookup(s: string): BodyPartTerm[] | undefined {
  for (const key of [normKey(s), normKey(s.replace(/\band\b|&/gi, ' '))]) {
    if (!key) continue;
    const hit = INDEX.get(key);
    if (hit) return [hit];
    const compound = BODY_PART_COMPOUNDS[key];
    if (compound) return compound.map((c) => bodyPartByCode(c) as BodyPartTerm);
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
  if (codes.length > 0) return codes.map((c) => coded(SYSTEM.bodyPart, bodyPartByCode(c) as BodyPartTerm));
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
