/**
 * WHO ICD-10 (2019) chapter II "Neoplasms" = C00–D48: chapter, blocks (with parent) and every 3-character
 * category. C labels are verbatim from datamodel §6.3.1 (BBMRI `DiseaseTypes`); D labels are the WHO 2019 titles.
 * (D49 does not exist in WHO ICD-10 — "C00-D49" is ICD-10-CM.)
 *
 * Accepted input forms: `C34`, `c34`, `C34.1`, `C341`, `urn:miriam:icd:C34`, `ICD-10: C61`, `ICD10:C61`,
 * `https://icd.who.int/browse10/2019/en#/C34`, blocks `C30-C39`, chapter `II`.
 * 4-character subcodes (`C34.1`) are accepted when their 3-character category exists; they are not checked
 * against the WHO subcategory list and get the category label.
 */
import type { Term } from './text.js';

export type Icd10Kind = 'chapter' | 'block' | 'category' | 'subcategory';

export interface Icd10Term extends Term {
  readonly kind: Icd10Kind;
  /** Parent code (block for categories, containing block / chapter for blocks); absent on the chapter. */
  readonly parent?: string;
}

/** Chapter and blocks; `[code, label, parent]`. */
const BLOCKS: readonly (readonly [string, string, string])[] = [
  ['C00-C97', 'Malignant neoplasms', 'II'],
  [
    'C00-C75',
    'Malignant neoplasms, stated or presumed to be primary, of specified sites, except of lymphoid, haematopoietic and related tissue',
    'C00-C97',
  ],
  ['C00-C14', 'Malignant neoplasms of lip, oral cavity and pharynx', 'C00-C75'],
  ['C15-C26', 'Malignant neoplasms of digestive organs', 'C00-C75'],
  ['C30-C39', 'Malignant neoplasms of respiratory and intrathoracic organs', 'C00-C75'],
  ['C40-C41', 'Malignant neoplasms of bone and articular cartilage', 'C00-C75'],
  ['C43-C44', 'Melanoma and other malignant neoplasms of skin', 'C00-C75'],
  ['C45-C49', 'Malignant neoplasms of mesothelial and soft tissue', 'C00-C75'],
  ['C50-C50', 'Malignant neoplasm of breast', 'C00-C75'],
  ['C51-C58', 'Malignant neoplasms of female genital organs', 'C00-C75'],
  ['C60-C63', 'Malignant neoplasms of male genital organs', 'C00-C75'],
  ['C64-C68', 'Malignant neoplasms of urinary tract', 'C00-C75'],
  ['C69-C72', 'Malignant neoplasms of eye, brain and other parts of central nervous system', 'C00-C75'],
  ['C73-C75', 'Malignant neoplasms of thyroid and other endocrine glands', 'C00-C75'],
  ['C76-C80', 'Malignant neoplasms of ill-defined, secondary and unspecified sites', 'C00-C97'],
  ['C81-C96', 'Malignant neoplasms, stated or presumed to be primary, of lymphoid, haematopoietic and related tissue', 'C00-C97'],
  ['C97-C97', 'Malignant neoplasms of independent (primary) multiple sites', 'C00-C97'],
  ['D00-D09', 'In situ neoplasms', 'II'],
  ['D10-D36', 'Benign neoplasms', 'II'],
  ['D37-D48', 'Neoplasms of uncertain or unknown behaviour', 'II'],
];

/** 3-character categories; `[code, label]`. */
const CATEGORIES: readonly (readonly [string, string])[] = [
  ['C00', 'Malignant neoplasm of lip'],
  ['C01', 'Malignant neoplasm of base of tongue'],
  ['C02', 'Malignant neoplasm of other and unspecified parts of tongue'],
  ['C03', 'Malignant neoplasm of gum'],
  ['C04', 'Malignant neoplasm of floor of mouth'],
  ['C05', 'Malignant neoplasm of palate'],
  ['C06', 'Malignant neoplasm of other and unspecified parts of mouth'],
  ['C07', 'Malignant neoplasm of parotid gland'],
  ['C08', 'Malignant neoplasm of other and unspecified major salivary glands'],
  ['C09', 'Malignant neoplasm of tonsil'],
  ['C10', 'Malignant neoplasm of oropharynx'],
  ['C11', 'Malignant neoplasm of nasopharynx'],
  ['C12', 'Malignant neoplasm of piriform sinus'],
  ['C13', 'Malignant neoplasm of hypopharynx'],
  ['C14', 'Malignant neoplasm of other and ill-defined sites in the lip, oral cavity and pharynx'],
  ['C15', 'Malignant neoplasm of oesophagus'],
  ['C16', 'Malignant neoplasm of stomach'],
  ['C17', 'Malignant neoplasm of small intestine'],
  ['C18', 'Malignant neoplasm of colon'],
  ['C19', 'Malignant neoplasm of rectosigmoid junction'],
  ['C20', 'Malignant neoplasm of rectum'],
  ['C21', 'Malignant neoplasm of anus and anal canal'],
  ['C22', 'Malignant neoplasm of liver and intrahepatic bile ducts'],
  ['C23', 'Malignant neoplasm of gallbladder'],
  ['C24', 'Malignant neoplasm of other and unspecified parts of biliary tract'],
  ['C25', 'Malignant neoplasm of pancreas'],
  ['C26', 'Malignant neoplasm of other and ill-defined digestive organs'],
  ['C30', 'Malignant neoplasm of nasal cavity and middle ear'],
  ['C31', 'Malignant neoplasm of accessory sinuses'],
  ['C32', 'Malignant neoplasm of larynx'],
  ['C33', 'Malignant neoplasm of trachea'],
  ['C34', 'Malignant neoplasm of bronchus and lung'],
  ['C37', 'Malignant neoplasm of thymus'],
  ['C38', 'Malignant neoplasm of heart, mediastinum and pleura'],
  ['C39', 'Malignant neoplasm of other and ill-defined sites in the respiratory system and intrathoracic organs'],
  ['C40', 'Malignant neoplasm of bone and articular cartilage of limbs'],
  ['C41', 'Malignant neoplasm of bone and articular cartilage of other and unspecified sites'],
  ['C43', 'Malignant melanoma of skin'],
  ['C44', 'Other malignant neoplasms of skin'],
  ['C45', 'Mesothelioma'],
  ['C46', 'Kaposi sarcoma'],
  ['C47', 'Malignant neoplasm of peripheral nerves and autonomic nervous system'],
  ['C48', 'Malignant neoplasm of retroperitoneum and peritoneum'],
  ['C49', 'Malignant neoplasm of other connective and soft tissue'],
  ['C50', 'Malignant neoplasm of breast'],
  ['C51', 'Malignant neoplasm of vulva'],
  ['C52', 'Malignant neoplasm of vagina'],
  ['C53', 'Malignant neoplasm of cervix uteri'],
  ['C54', 'Malignant neoplasm of corpus uteri'],
  ['C55', 'Malignant neoplasm of uterus, part unspecified'],
  ['C56', 'Malignant neoplasm of ovary'],
  ['C57', 'Malignant neoplasm of other and unspecified female genital organs'],
  ['C58', 'Malignant neoplasm of placenta'],
  ['C60', 'Malignant neoplasm of penis'],
  ['C61', 'Malignant neoplasm of prostate'],
  ['C62', 'Malignant neoplasm of testis'],
  ['C63', 'Malignant neoplasm of other and unspecified male genital organs'],
  ['C64', 'Malignant neoplasm of kidney, except renal pelvis'],
  ['C65', 'Malignant neoplasm of renal pelvis'],
  ['C66', 'Malignant neoplasm of ureter'],
  ['C67', 'Malignant neoplasm of bladder'],
  ['C68', 'Malignant neoplasm of other and unspecified urinary organs'],
  ['C69', 'Malignant neoplasm of eye and adnexa'],
  ['C70', 'Malignant neoplasm of meninges'],
  ['C71', 'Malignant neoplasm of brain'],
  ['C72', 'Malignant neoplasm of spinal cord, cranial nerves and other parts of central nervous system'],
  ['C73', 'Malignant neoplasm of thyroid gland'],
  ['C74', 'Malignant neoplasm of adrenal gland'],
  ['C75', 'Malignant neoplasm of other endocrine glands and related structures'],
  ['C76', 'Malignant neoplasm of other and ill-defined sites'],
  ['C77', 'Secondary and unspecified malignant neoplasm of lymph nodes'],
  ['C78', 'Secondary malignant neoplasm of respiratory and digestive organs'],
  ['C79', 'Secondary malignant neoplasm of other and unspecified sites'],
  ['C80', 'Malignant neoplasm, without specification of site'],
  ['C81', 'Hodgkin lymphoma'],
  ['C82', 'Follicular lymphoma'],
  ['C83', 'Non-follicular lymphoma'],
  ['C84', 'Mature T/NK-cell lymphomas'],
  ['C85', 'Other and unspecified types of non-Hodgkin lymphoma'],
  ['C86', 'Other specified types of T/NK-cell lymphoma'],
  ['C88', 'Malignant immunoproliferative diseases'],
  ['C90', 'Multiple myeloma and malignant plasma cell neoplasms'],
  ['C91', 'Lymphoid leukaemia'],
  ['C92', 'Myeloid leukaemia'],
  ['C93', 'Monocytic leukaemia'],
  ['C94', 'Other leukaemias of specified cell type'],
  ['C95', 'Leukaemia of unspecified cell type'],
  ['C96', 'Other and unspecified malignant neoplasms of lymphoid, haematopoietic and related tissue'],
  ['C97', 'Malignant neoplasms of independent (primary) multiple sites'],
  ['D00', 'Carcinoma in situ of oral cavity, oesophagus and stomach'],
  ['D01', 'Carcinoma in situ of other and unspecified digestive organs'],
  ['D02', 'Carcinoma in situ of middle ear and respiratory system'],
  ['D03', 'Melanoma in situ'],
  ['D04', 'Carcinoma in situ of skin'],
  ['D05', 'Carcinoma in situ of breast'],
  ['D06', 'Carcinoma in situ of cervix uteri'],
  ['D07', 'Carcinoma in situ of other and unspecified genital organs'],
  ['D09', 'Carcinoma in situ of other and unspecified sites'],
  ['D10', 'Benign neoplasm of mouth and pharynx'],
  ['D11', 'Benign neoplasm of major salivary glands'],
  ['D12', 'Benign neoplasm of colon, rectum, anus and anal canal'],
  ['D13', 'Benign neoplasm of other and ill-defined parts of digestive system'],
  ['D14', 'Benign neoplasm of middle ear and respiratory system'],
  ['D15', 'Benign neoplasm of other and unspecified intrathoracic organs'],
  ['D16', 'Benign neoplasm of bone and articular cartilage'],
  ['D17', 'Benign lipomatous neoplasm'],
  ['D18', 'Haemangioma and lymphangioma, any site'],
  ['D19', 'Benign neoplasm of mesothelial tissue'],
  ['D20', 'Benign neoplasm of soft tissue of retroperitoneum and peritoneum'],
  ['D21', 'Other benign neoplasms of connective and other soft tissue'],
  ['D22', 'Melanocytic naevi'],
  ['D23', 'Other benign neoplasms of skin'],
  ['D24', 'Benign neoplasm of breast'],
  ['D25', 'Leiomyoma of uterus'],
  ['D26', 'Other benign neoplasms of uterus'],
  ['D27', 'Benign neoplasm of ovary'],
  ['D28', 'Benign neoplasm of other and unspecified female genital organs'],
  ['D29', 'Benign neoplasm of male genital organs'],
  ['D30', 'Benign neoplasm of urinary organs'],
  ['D31', 'Benign neoplasm of eye and adnexa'],
  ['D32', 'Benign neoplasm of meninges'],
  ['D33', 'Benign neoplasm of brain and other parts of central nervous system'],
  ['D34', 'Benign neoplasm of thyroid gland'],
  ['D35', 'Benign neoplasm of other and unspecified endocrine glands'],
  ['D36', 'Benign neoplasm of other and unspecified sites'],
  ['D37', 'Neoplasm of uncertain or unknown behaviour of oral cavity and digestive organs'],
  ['D38', 'Neoplasm of uncertain or unknown behaviour of middle ear and respiratory and intrathoracic organs'],
  ['D39', 'Neoplasm of uncertain or unknown behaviour of female genital organs'],
  ['D40', 'Neoplasm of uncertain or unknown behaviour of male genital organs'],
  ['D41', 'Neoplasm of uncertain or unknown behaviour of urinary organs'],
  ['D42', 'Neoplasm of uncertain or unknown behaviour of meninges'],
  ['D43', 'Neoplasm of uncertain or unknown behaviour of brain and central nervous system'],
  ['D44', 'Neoplasm of uncertain or unknown behaviour of endocrine glands'],
  ['D45', 'Polycythaemia vera'],
  ['D46', 'Myelodysplastic syndromes'],
  ['D47', 'Other neoplasms of uncertain or unknown behaviour of lymphoid, haematopoietic and related tissue'],
  ['D48', 'Neoplasm of uncertain or unknown behaviour of other and unspecified sites'],
];

/** True when the 3-character category `code` lies in the block `range` ("C30-C39"). */
export function inIcd10Range(code: string, range: string): boolean {
  const [lo, hi] = range.split('-');
  if (!lo || !hi) return false;
  const cat = code.slice(0, 3);
  return cat >= lo && cat <= hi;
}

const span = (range: string): number => {
  const [lo = '', hi = ''] = range.split('-');
  return (hi.charCodeAt(0) - lo.charCodeAt(0)) * 100 + Number(hi.slice(1)) - Number(lo.slice(1));
};

/** Innermost block containing a category. */
function blockOf(cat: string): string | undefined {
  let best: string | undefined;
  for (const [code] of BLOCKS) {
    if (inIcd10Range(cat, code) && (best === undefined || span(code) < span(best))) best = code;
  }
  return best;
}

/** Every shipped ICD-10 term: chapter II, its blocks and its 3-character categories. */
export const ICD10: readonly Icd10Term[] = [
  { code: 'II', label: 'Neoplasms', kind: 'chapter' },
  ...BLOCKS.map(([code, label, parent]): Icd10Term => ({ code, label, kind: 'block', parent })),
  ...CATEGORIES.map(([code, label]): Icd10Term => ({ code, label, kind: 'category', parent: blockOf(code) ?? 'II' })),
];

/** The 3-character categories only (C00–C97, D00–D48). */
export const ICD10_CATEGORIES: readonly Icd10Term[] = ICD10.filter((t) => t.kind === 'category');

const BY_CODE = new Map(ICD10.map((t) => [t.code, t] as const));

/**
 * Canonical form of an ICD-10 code (`C34`, `C34.1`, `C30-C39`, `II`) or undefined when `input` is not shaped
 * like one. Strips `urn:miriam:icd:`, WHO browser URLs and `ICD-10:` prefixes. Does not check existence.
 */
export function parseIcd10(input: string): string | undefined {
  if (typeof input !== 'string') return undefined;
  let s = input.trim().replace(/[\u2010-\u2015]/g, '-');
  s = s.replace(/^urn:miriam:icd:/i, '').replace(/^https?:\/\/icd\.who\.int\/browse10\/[^#]*#\/?/i, '');
  s = s
    .replace(/^icd[\s-]?10(?:[\s-]?who)?\s*[:\s]\s*/i, '')
    .trim()
    .toUpperCase();
  if (s === 'II') return 'II';
  const block = /^([A-Z]\d{2})\s*-\s*([A-Z]\d{2})$/.exec(s);
  if (block) return `${block[1]}-${block[2]}`;
  const cat = /^([A-Z]\d{2})(?:\.?(\d))?$/.exec(s);
  if (!cat) return undefined;
  return cat[2] !== undefined ? `${cat[1]}.${cat[2]}` : cat[1];
}

/**
 * Look up an ICD-10 chapter II code in any accepted form. 4-character subcodes return a `subcategory` term
 * with the category's label and `parent` = the category. Undefined if not in chapter II. Never throws.
 */
export function icd10Lookup(code: string): Icd10Term | undefined {
  const c = parseIcd10(code);
  if (c === undefined) return undefined;
  const hit = BY_CODE.get(c);
  if (hit) return hit;
  const m = /^([A-Z]\d{2})\.\d$/.exec(c);
  const parent = m?.[1] ? BY_CODE.get(m[1]) : undefined;
  return parent ? { code: c, label: parent.label, kind: 'subcategory', parent: parent.code } : undefined;
}

/** Ancestors, nearest first: `'C34'` → `['C30-C39', 'C00-C75', 'C00-C97', 'II']`; `[]` if unknown. */
export function icd10Ancestors(code: string): string[] {
  const out: string[] = [];
  let t = icd10Lookup(code);
  while (t?.parent !== undefined && out.length < 10) {
    out.push(t.parent);
    t = BY_CODE.get(t.parent);
  }
  return out;
}

/** MIRIAM identifier as used by the BBMRI Directory: `urn:miriam:icd:C34`. */
export const icd10MiriamId = (code: string): string => `urn:miriam:icd:${parseIcd10(code) ?? code}`;

/** WHO ICD-10 browser IRI: `https://icd.who.int/browse10/2019/en#/C34`. */
export const icd10Iri = (code: string): string => `https://icd.who.int/browse10/2019/en#/${parseIcd10(code) ?? code}`;
