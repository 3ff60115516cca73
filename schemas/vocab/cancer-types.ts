/**
 * Free-text cancer types (TCIA `cancer_types`, IDC `tcia_cancerType`, …) → WHO ICD-10 3-character codes, only
 * where the mapping is clinically safe; otherwise the text is kept (optionally with a cancer-site group).
 *
 * Decisions (documented here because they are judgement calls):
 * - Organ words used as a cancer type mean cancer of that organ ("Prostate" → C61, "Liver" → C22).
 * - "Thymoma" → C37: the cancer-imaging collections concerned hold malignant/invasive thymic epithelial tumours;
 *   ICD-10 has no separate benign-thymoma code in common use (D15.0 exists for the benign form).
 * - "Melanoma" without site → C43 (cutaneous is the default meaning); uveal/ocular → C69; mucosal → unmapped.
 * - "Gastroesophageal cancer" → C16 (ICD-10 C16.0 cardia includes the gastro-oesophageal junction).
 * - "Uterine carcinosarcoma" / endometrial → C54; "Soft-tissue sarcoma" → C49; MPNST → C47; DLBCL/Burkitt → C83.
 * - Bare "Lymphoma" → C85 (WHO: includes "Lymphoma NOS"); bare "Leukemia" → C95 (leukaemia of unspecified
 *   cell type). Other lymphoma / leukaemia wordings without a safe subtype get the site group only.
 * - Benign neoplasms keep their D code even when the source says "(non-cancer)": vestibular schwannoma → D33,
 *   meningioma → D32 (anaplastic/malignant → C70), haemangioma → D18, cutaneous fibrous histiocytoma → D23.
 * - Not coded (site or behaviour varies): bare histologies ("Adenocarcinoma", "Squamous Cell Carcinoma",
 *   "Clear Cell Carcinoma", "Ductal Adenocarcinoma"), cholangiocarcinoma (C22.1 vs C24.0), urothelial/transitional
 *   cell carcinoma without site, pheochromocytoma/paraganglioma, neuroendocrine, GIST, bone sarcomas (C40 vs C41),
 *   neuroblastoma, carcinosarcoma without site; groups ("Colorectal", "Head and Neck", "Sarcomas", "Skin Cancer",
 *   "Metastatic disease") get a cancer-site group but no code.
 * - A benign neoplasm never gets a malignant C code: "Fibroadenoma" → D24, "Renal oncocytoma" → D30, a benign
 *   neoplasm without site or a benign finding (cyst, hyperplasia) → `non-cancer`. "Tumour", "lesion", "nodule",
 *   "mass" without a malignant word give the site group only ("Lung nodules" → lung, no C34).
 * - A malignant histology without site ("Clear cell carcinoma", "Adenocarcinoma, NOS") takes its site from the
 *   record's body parts when they point to exactly one organ (KIDNEY → C64); ICD-O ", NOS" suffixes are ignored.
 * - Phantoms, healthy controls, "Non-Cancer", COVID-19, lymphadenopathy, "Pathologically Benign" → `non-cancer`;
 *   "Various" → `unspecified`. Known source typo "ervical Squamous Cell Carcinoma" (IDC ETL) is read as cervical.
 */
import type { Coding } from '../common.js';
import { cancerSiteGroupsFor } from './cancer-sites.js';
import { icd10Lookup, parseIcd10 } from './icd10.js';
import { SYSTEM } from './systems.js';
import { MAX_LABEL, freeText, splitList, tidy } from './text.js';

export type CancerTypeMatch = 'icd10-code' | 'mapped' | 'site-group' | 'non-cancer' | 'unspecified' | 'unmapped';

export interface CancerType {
  /** `ICD-10` when coded. */
  readonly system?: string;
  /** ICD-10 code (3-character when mapped from text; as given when an ICD-10 code was entered). */
  readonly code?: string;
  /** ICD-10 label when coded, else the original text. */
  readonly label: string;
  /** The original wording, always kept (tidied white space). */
  readonly text: string;
  /** Cancer-site group slugs (from the code, or from the text when no code is safe). */
  readonly siteGroups: readonly string[];
  /** How the value was resolved. */
  readonly match: CancerTypeMatch;
}

/** `code` → ICD-10 code; `groups` only → site group without code; neither → stop, unmapped. */
interface Rule {
  readonly re: RegExp;
  readonly code?: string;
  readonly groups?: readonly string[];
}

/** Benign neoplasms: checked before the non-cancer markers. */
const BENIGN_RULES: readonly Rule[] = [
  { re: /vestibular schwannoma|acoustic neuroma/, code: 'D33' },
  { re: /(anaplastic|malignant) meningioma/, code: 'C70' },
  { re: /meningioma/, code: 'D32' },
  { re: /malignant fibrous histiocytoma/, groups: ['sarcoma'] },
  { re: /(skin|cutaneous|dermal) fibrous histiocytoma|dermatofibroma/, code: 'D23' },
  { re: /ha?emangioma|lymphangioma/, code: 'D18' },
];

/** Words that say the disease is malignant; without them "tumour", "lesion", "nodule", "mass" are not. */
const MALIGNANT =
  /malignan|cancer|carcinom|sarcom|blastom|lymphom|leuka?em|melanom|metasta|myelom|(?<!gan)gliom|mesotheliom|seminom|thymom|\bhcc\b|\brcc\b|\bnsclc\b|\bsclc\b|\bgbm\b|\bdcis\b|neoplasia|wilms|nephroblastoma|ewing|germ cell|rhabdoid|\bpnet\b|peripheral nerve sheath|\/3\b/;
/** Benign neoplasms: a D code when the site is known, never a malignant C code. */
const BENIGN_NEOPLASM =
  /\b(fibroadenoma|adenoma|leiomyoma|fibroids?|lipoma|papilloma|oncocytoma|angiomyolipoma|hamartoma|neurofibroma|cystadenoma|osteoma|chondroma|myoma|na?evus|nevi)\b|\/0\b/;
/** Benign findings that are not neoplasms at all. */
const BENIGN_FINDING =
  /\b(cysts?|hyperplasia|bph|inflammat\w*|\w+itis|fibrosis|calcifications?|emphysema|embolism|pneumonia|infection|stroke|aneurysm)\b/;
const UNCERTAIN = /\b(nodules?|lesions?|mass(es)?|tumou?rs?|neoplasms?|incidentalomas?|findings?|abnormalit\w*)\b/;

/** Benign neoplasm → D code by site. */
const BENIGN_SITES: readonly Rule[] = [
  { re: /breast|mammary|fibroadenoma/, code: 'D24' },
  { re: /colo|rect|bowel|polyp/, code: 'D12' },
  { re: /lung|pulmonary|bronch/, code: 'D14' },
  { re: /prostat/, code: 'D29' },
  { re: /kidney|renal|oncocytoma|angiomyolipoma/, code: 'D30' },
  { re: /liver|hepat|pancrea|stomach|gastric/, code: 'D13' },
  { re: /thyroid/, code: 'D34' },
  { re: /pituitar|adrenal/, code: 'D35' },
  { re: /ovar/, code: 'D27' },
  { re: /uter|leiomyoma|fibroid|myoma/, code: 'D25' },
  { re: /na?ev(us|i)/, code: 'D22' },
  { re: /skin|cutaneous/, code: 'D23' },
  { re: /lipoma/, code: 'D17' },
  { re: /bone|osteoma|chondroma/, code: 'D16' },
  { re: /brain|cerebr/, code: 'D33' },
];

/** Malignant histology without a site ("Clear cell carcinoma"): the record's body part settles the site. */
const SITE_BY_BODY_PART: Readonly<Record<string, string>> = {
  LUNG: 'C34',
  BRONCHUS: 'C34',
  BREAST: 'C50',
  PROSTATE: 'C61',
  KIDNEY: 'C64',
  LIVER: 'C22',
  PANCREAS: 'C25',
  COLON: 'C18',
  RECTUM: 'C20',
  ANUS: 'C21',
  STOMACH: 'C16',
  ESOPHAGUS: 'C15',
  BLADDER: 'C67',
  THYROID: 'C73',
  OVARY: 'C56',
  UTERUS: 'C55',
  CERVIX: 'C53',
  BRAIN: 'C71',
  SKIN: 'C44',
  TESTIS: 'C62',
  PENIS: 'C60',
  VULVA: 'C51',
  VAGINA: 'C52',
  LARYNX: 'C32',
  NASOPHARYNX: 'C11',
  HYPOPHARYNX: 'C13',
  TONGUE: 'C02',
  PAROTID: 'C07',
  MOUTH: 'C06',
  THYMUS: 'C37',
  ADRENAL: 'C74',
  GALLBLADDER: 'C23',
  BILEDUCT: 'C24',
  SMALLINTESTINE: 'C17',
  DUODENUM: 'C17',
  EYE: 'C69',
  HEART: 'C38',
  RETROPERITONEUM: 'C48',
  SPINALCORD: 'C72',
};
/** Histologies whose site is not settled by a body part (bone vs soft tissue, blood, spread). */
const NOT_BY_SITE = /sarcom|lymphom|leuka?em|myelom|metasta|secondary/;

/** The other fields of the record that help read a cancer type. */
export interface CancerTypeContext {
  /** Body-part defined terms of the record (DCM-BPE codes, e.g. `KIDNEY`). */
  readonly bodyParts?: readonly string[];
}

const NON_CANCER = /non[- ]?cancer|phantom|healthy|\bnormal\b|non[- ]?diseased|covid|\bbenign\b|lymphadenopathy|no cancer/;
const UNSPECIFIED = /^(various|multiple|mixed|unknown|other|not specified|unspecified|n\/?a|none)(\s*\(.*\))?$/;

/** Malignant / in-situ rules; first match wins, so specific rules come before generic ones. */
const RULES: readonly Rule[] = [
  { re: /\bdcis\b|ductal carcinoma in situ|\blcis\b|lobular carcinoma in situ/, code: 'D05' },
  { re: /myelodysplastic|\bmds\b/, code: 'D46' },
  { re: /brain metasta|metasta\w* (to|in) (the )?brain|bone metasta/, code: 'C79' },
  { re: /(liver|hepatic|lung|pulmonary) metasta|metasta\w* (to|in) (the )?(liver|lung)/, code: 'C78' },
  { re: /mesothelioma/, code: 'C45' },
  { re: /thymoma|thymic carcinoma/, code: 'C37' },
  {
    re: /non[- ]?small[- ]cell|\bnsclc\b|small[- ]cell lung|\bsclc\b|\blungs?\b|\bpulmonary\b|bronch(ial|us|ogenic|o-?alveolar)/,
    code: 'C34',
  },
  { re: /(uveal|ocular|choroidal|conjunctival) melanoma|retinoblastoma|intraocular/, code: 'C69' },
  { re: /(mucosal|sinonasal|vulvar|vaginal|anorectal) melanoma/ },
  { re: /melanoma/, code: 'C43' },
  { re: /merkel cell|basal cell carcinoma|(cutaneous|skin) squamous/, code: 'C44' },
  { re: /paraganglioma|pha?eochromocytoma/ },
  {
    re: /glioblastoma|\bgbm\b|glioma|glial (tumou?r|neoplasm)|astrocytoma|oligodendroglioma|ependymoma|medulloblastoma|brain (cancer|tumou?r|neoplasm)|^brain$/,
    code: 'C71',
  },
  { re: /breast|mammary/, code: 'C50' },
  { re: /prostat/, code: 'C61' },
  { re: /gastro[- ]?o?esophageal|o?esophago[- ]?gastric|\bgej\b/, code: 'C16' },
  { re: /o?esophag/, code: 'C15' },
  { re: /gastrointestinal stromal|\bgist\b/, groups: ['sarcoma'] },
  { re: /stomach|gastric/, code: 'C16' },
  {
    re: /(colon|colorectal|rect).*(pre-?cancer|precancerous|polyps?|adenomas?\b)|(pre-?cancer|precancerous|polyps?|adenomas?\b).*(colon|colorectal|rect)/,
    groups: ['colorectal'],
  },
  { re: /pre-?cancer|precancerous/ },
  { re: /colorectal|colo-rectal|bowel cancer/, groups: ['colorectal'] },
  { re: /rectosigmoid/, code: 'C19' },
  { re: /\brect(al|um)\b/, code: 'C20' },
  { re: /\bcolon(ic)?\b|c(a)?ecum|sigmoid/, code: 'C18' },
  { re: /\banal\b|\banus\b/, code: 'C21' },
  { re: /intrahepatic cholangio/, code: 'C22' },
  { re: /(extrahepatic|hilar|perihilar) cholangio|klatskin/, code: 'C24' },
  { re: /cholangio|bile duct/ },
  { re: /hepatoblastoma|hepatocellular|\bhcc\b|\bliver\b|hepatic (cancer|carcinoma|tumou?r)/, code: 'C22' },
  { re: /gall ?bladder/, code: 'C23' },
  { re: /pancrea/, code: 'C25' },
  { re: /nasopharyn/, code: 'C11' },
  { re: /hypopharyn/, code: 'C13' },
  { re: /tonsil/, code: 'C09' },
  { re: /oropharyn/, code: 'C10' },
  { re: /laryn/, code: 'C32' },
  { re: /parotid/, code: 'C07' },
  { re: /oral cavity|\bmouth\b/, code: 'C06' },
  { re: /head (and|&) neck|head-neck|\bhnscc\b/, groups: ['head-neck'] },
  { re: /thyroid/, code: 'C73' },
  { re: /adrenocortical|adrenal cort(ical|ex)/, code: 'C74' },
  { re: /neuroblastoma/, groups: ['neuroblastoma-paediatric'] },
  { re: /renal pelvis/, code: 'C65' },
  { re: /\bkidney|\brenal\b|nephroblastoma|wilms|\brcc\b/, code: 'C64' },
  { re: /bladder/, code: 'C67' },
  { re: /ureter\b|ureteral/, code: 'C66' },
  { re: /testi(s|cle|cular)|seminoma/, code: 'C62' },
  { re: /penile|penis/, code: 'C60' },
  { re: /\b(cervix|endocervical)\b|\bcervical (cancer|carcinoma|squamous|adeno)|^ervical squamous/, code: 'C53' },
  { re: /endometri|corpus uteri|uterine corpus|uterine carcinosarcoma/, code: 'C54' },
  { re: /\buter(ine|us)\b/, code: 'C55' },
  { re: /fallopian/, code: 'C57' },
  { re: /ovar/, code: 'C56' },
  { re: /vulva/, code: 'C51' },
  { re: /vagina/, code: 'C52' },
  { re: /kaposi/, code: 'C46' },
  { re: /malignant peripheral nerve sheath|\bmpnst\b/, code: 'C47' },
  { re: /soft[- ]tissue sarcoma/, code: 'C49' },
  { re: /carcinosarcoma/ },
  { re: /sarcoma|ewing/, groups: ['sarcoma'] },
  { re: /non[- ]?hodgkin/, code: 'C85' },
  { re: /hodgkin/, code: 'C81' },
  { re: /follicular lymphoma/, code: 'C82' },
  { re: /diffuse large b[- ]?cell|\bdlbcl\b|burkitt|mantle cell lymphoma/, code: 'C83' },
  { re: /^(malignant )?lymphomas?( \(?nos\)?)?$/, code: 'C85' },
  { re: /lymphoma/, groups: ['lymphoma'] },
  { re: /myeloma|plasmacytoma/, code: 'C90' },
  { re: /(acute|chronic) myeloid|myelogenous|\baml\b|\bcml\b/, code: 'C92' },
  { re: /(acute|chronic) lympho(blastic|cytic) leuk|\bcll\b/, code: 'C91' },
  { re: /monocytic leuk/, code: 'C93' },
  { re: /^leuka?emias?( \(?nos\)?)?$/, code: 'C95' },
  { re: /leuka?emia/, groups: ['leukaemia-myeloma'] },
  { re: /skin/, groups: ['melanoma-skin'] },
  { re: /metasta|secondary/, groups: ['metastatic'] },
];

function result(text: string, init: Omit<CancerType, 'text'>): CancerType {
  return { ...init, text };
}

function fromCode(code: string, text: string, match: CancerTypeMatch): CancerType | undefined {
  const term = icd10Lookup(code);
  if (!term) return undefined;
  return result(text, {
    system: SYSTEM.icd10,
    code: term.code,
    label: term.label,
    siteGroups: cancerSiteGroupsFor(term.code),
    match,
  });
}

function apply(rules: readonly Rule[], s: string, text: string, label: string): CancerType | undefined {
  for (const r of rules) {
    if (!r.re.test(s)) continue;
    if (r.code) return fromCode(r.code, text, 'mapped');
    const groups = r.groups ?? [];
    return result(text, { label, siteGroups: [...groups], match: groups.length > 0 ? 'site-group' : 'unmapped' });
  }
  return undefined;
}

/**
 * Normalise one free-text cancer type (or an ICD-10 code such as `C34`, `c34.1`, `urn:miriam:icd:C50`).
 * `text` always keeps the original wording; `label` is the ICD-10 label when coded. Never throws.
 * Blank input returns `{ label: '', text: '', siteGroups: [], match: 'unmapped' }` — use
 * {@link normaliseCancerTypes} for raw source fields, which skips blanks.
 */
export function normaliseCancerType(raw: string, context?: CancerTypeContext): CancerType {
  const text = typeof raw === 'string' ? tidy(raw) : '';
  const label = freeText(text).label;
  if (!text) return { label: '', text: '', siteGroups: [], match: 'unmapped' };
  const asCode = parseIcd10(text);
  if (asCode) {
    const c = fromCode(asCode, text, 'icd10-code');
    if (c) return c;
  }
  const lead = /^(?:icd[- ]?10\s*:?\s*)?([CD]\d{2}(?:\.\d)?)(?:\s+|\s*[-–:]\s*)\S/i.exec(text);
  if (lead?.[1]) {
    const c = fromCode(lead[1], text, 'icd10-code');
    if (c) return c;
  }
  const s = text
    .toLowerCase()
    .replace(/,?\s*\(?\b(nos|not otherwise specified|unspecified)\b\)?\s*$/, '')
    .trim();
  const benign = apply(BENIGN_RULES, s, text, label);
  if (benign) return benign;
  if (NON_CANCER.test(s)) return result(text, { label, siteGroups: [], match: 'non-cancer' });
  if (UNSPECIFIED.test(s)) return result(text, { label, siteGroups: [], match: 'unspecified' });
  const malignant = MALIGNANT.test(s);
  if (!malignant && BENIGN_NEOPLASM.test(s)) {
    const site = BENIGN_SITES.find((r) => r.re.test(s)) ?? siteRuleFromContext(context, 'benign');
    return (site?.code && fromCode(site.code, text, 'mapped')) || result(text, { label, siteGroups: [], match: 'non-cancer' });
  }
  if (!malignant && BENIGN_FINDING.test(s)) return result(text, { label, siteGroups: [], match: 'non-cancer' });
  const hit = apply(RULES, s, text, label);
  // "Lung nodules", "Kidney tumour", "Liver lesions": the site is known, malignancy is not — group only.
  if (hit?.code && hit.code.startsWith('C') && !malignant && UNCERTAIN.test(s) && !/^brain/.test(s)) {
    return result(text, { label, siteGroups: hit.siteGroups, match: 'site-group' });
  }
  if (hit && (hit.code || hit.siteGroups.length > 0)) return hit;
  if (malignant && !NOT_BY_SITE.test(s)) {
    const site = siteRuleFromContext(context, 'malignant');
    const coded = site?.code ? fromCode(site.code, text, 'mapped') : undefined;
    if (coded) return coded;
  }
  return hit ?? result(text, { label, siteGroups: [], match: 'unmapped' });
}

/** The one site code the record's body parts point to, or undefined when none or several. */
function siteRuleFromContext(context: CancerTypeContext | undefined, kind: 'benign' | 'malignant'): Rule | undefined {
  const codes = new Set<string>();
  for (const bp of context?.bodyParts ?? []) {
    const c = SITE_BY_BODY_PART[String(bp).toUpperCase()];
    if (c) codes.add(c);
  }
  if (codes.size !== 1) return undefined;
  const [c] = [...codes];
  if (kind === 'malignant') return { re: /./, code: c };
  const benign = BENIGN_SITES.find((r) => r.re.test(BODY_WORD[c ?? ''] ?? ''));
  return benign;
}
const BODY_WORD: Readonly<Record<string, string>> = {
  C50: 'breast',
  C18: 'colon',
  C20: 'rect',
  C34: 'lung',
  C61: 'prostat',
  C64: 'kidney',
  C22: 'liver',
  C73: 'thyroid',
  C56: 'ovar',
  C55: 'uter',
  C44: 'skin',
  C71: 'brain',
  C25: 'pancrea',
  C16: 'stomach',
};

/**
 * Normalise a raw multi-valued cancer-type field ("Melanoma, Renal Cell Carcinoma, Not Otherwise Specified")
 * into one entry per value; blanks are skipped, duplicates (same code and text) removed.
 */
export function normaliseCancerTypes(raw: string, context?: CancerTypeContext): CancerType[] {
  if (typeof raw !== 'string') return [];
  const seen = new Set<string>();
  const out: CancerType[] = [];
  for (const item of splitList(raw)) {
    const ct = normaliseCancerType(item, context);
    const k = `${ct.code ?? ''}|${ct.text.toLowerCase()}`;
    if (!ct.text || seen.has(k)) continue;
    seen.add(k);
    out.push(ct);
  }
  return out;
}

/** The stored Coding of a cancer type: the ICD-10 coding when coded, else free text with the original wording. */
export function cancerTypeToCoding(ct: CancerType): Coding {
  if (ct.system !== undefined && ct.code !== undefined) return { system: ct.system, code: ct.code, label: ct.label };
  return { label: ct.text.length > MAX_LABEL ? freeText(ct.text).label : ct.text };
}
