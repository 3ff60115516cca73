/**
 * Cancer-site groups for faceting (datamodel §6.3.2), with stable slugs, ICD-10 ranges and the verified
 * SNOMED CT / EUCAIM codes of the spec.
 *
 * Decisions:
 * - `icd10` entries are 3-character ranges (`C18-C20`), single categories (`C50`) or 4-character codes
 *   (`C38.4`, `C74.9`) that only match that subcode (so `C74` adrenal alone is not "neuroblastoma").
 * - In-situ codes join their site (D05 → breast, D06 → cervix, D03/D04 → melanoma-skin) and, following the usual
 *   brain-tumour registry practice, benign/uncertain CNS neoplasms D32–D33, D42–D43 join `brain-cns`.
 * - `other` is a catch-all for a known chapter-II code that matches no other group, so every coded condition
 *   lands in at least one group. `pelvis` has no ICD-10 range (text / body-part derived only).
 */
import { icd10Lookup, inIcd10Range, parseIcd10 } from './icd10.js';
import type { Term } from './text.js';

export interface CancerSiteGroup extends Term {
  readonly icd10: readonly string[];
  readonly icdO3Topography?: string;
  readonly snomed?: string;
  readonly eucaim?: string;
}

export const CANCER_SITE_GROUPS: readonly CancerSiteGroup[] = [
  { code: 'brain-cns', label: 'Brain / CNS', icd10: ['C70-C72', 'D32-D33', 'D42-D43'], icdO3Topography: 'C70-C72', eucaim: 'CLIN1007991' },
  { code: 'head-neck', label: 'Head and neck', icd10: ['C00-C14', 'C30-C32'], icdO3Topography: 'C00-C14, C30-C32' },
  { code: 'thyroid', label: 'Thyroid', icd10: ['C73'], icdO3Topography: 'C73.9', eucaim: 'CLIN1059392' },
  { code: 'breast', label: 'Breast', icd10: ['C50', 'D05'], icdO3Topography: 'C50', snomed: '254837009', eucaim: 'CLIN1000060' },
  { code: 'lung', label: 'Lung', icd10: ['C33-C34'], icdO3Topography: 'C34', snomed: '363358000', eucaim: 'CLIN1000065' },
  { code: 'mesothelioma-pleura', label: 'Mesothelioma / pleura', icd10: ['C45', 'C38.4'], icdO3Topography: 'C38.4' },
  { code: 'oesophagus', label: 'Oesophagus', icd10: ['C15'], icdO3Topography: 'C15' },
  { code: 'stomach', label: 'Stomach', icd10: ['C16'], icdO3Topography: 'C16' },
  { code: 'colorectal', label: 'Colorectal', icd10: ['C18-C20'], icdO3Topography: 'C18-C20', snomed: '363406005', eucaim: 'CLIN1000057' },
  { code: 'liver', label: 'Liver (HCC)', icd10: ['C22'], icdO3Topography: 'C22.0-C22.1' },
  { code: 'pancreas', label: 'Pancreas', icd10: ['C25'], icdO3Topography: 'C25' },
  { code: 'kidney', label: 'Kidney', icd10: ['C64-C65'], icdO3Topography: 'C64.9' },
  { code: 'bladder', label: 'Bladder', icd10: ['C67'], icdO3Topography: 'C67' },
  { code: 'prostate', label: 'Prostate', icd10: ['C61'], icdO3Topography: 'C61.9', snomed: '399068003', eucaim: 'CLIN1000075' },
  { code: 'cervix', label: 'Cervix', icd10: ['C53', 'D06'], icdO3Topography: 'C53' },
  { code: 'uterus', label: 'Uterus / endometrium', icd10: ['C54-C55'], icdO3Topography: 'C54' },
  { code: 'ovary', label: 'Ovary', icd10: ['C56'], icdO3Topography: 'C56.9' },
  { code: 'pelvis', label: 'Pelvis (unspecified)', icd10: [], snomed: '363484005', eucaim: 'CLIN1000087' },
  { code: 'melanoma-skin', label: 'Melanoma / skin', icd10: ['C43-C44', 'D03-D04'], icdO3Topography: 'C44' },
  { code: 'sarcoma', label: 'Sarcoma', icd10: ['C40-C41', 'C49'], icdO3Topography: 'C40-C41, C49' },
  { code: 'neuroblastoma-paediatric', label: 'Neuroblastoma / paediatric', icd10: ['C74.9'], icdO3Topography: 'C74.9' },
  { code: 'lymphoma', label: 'Lymphoma', icd10: ['C81-C88'], icdO3Topography: 'C77' },
  { code: 'leukaemia-myeloma', label: 'Leukaemia / myeloma', icd10: ['C90-C95'], icdO3Topography: 'C42' },
  { code: 'metastatic', label: 'Metastatic / secondary', icd10: ['C77-C79'], eucaim: 'CLIN1007989' },
  { code: 'other', label: 'Other / unspecified site', icd10: [] },
];

const BY_CODE = new Map(CANCER_SITE_GROUPS.map((g) => [g.code, g] as const));

/** Site group by slug, or undefined. */
export function cancerSiteGroup(slug: string): CancerSiteGroup | undefined {
  return typeof slug === 'string' ? BY_CODE.get(slug.trim().toLowerCase()) : undefined;
}

function matches(code: string, entry: string): boolean {
  if (entry.includes('.')) return code === entry || code.startsWith(`${entry}`);
  if (entry.includes('-')) return inIcd10Range(code, entry);
  return code.slice(0, 3) === entry;
}

/**
 * Site-group slugs for an ICD-10 code (any form icd10Lookup accepts): `C34` → `['lung']`, `C18` →
 * `['colorectal']`, `C38.4` → `['mesothelioma-pleura']`, `C37` → `['other']`. Blocks, the chapter and codes
 * outside chapter II give `[]`.
 */
export function cancerSiteGroupsFor(icd10Code: string): string[] {
  const term = icd10Lookup(icd10Code);
  if (!term || (term.kind !== 'category' && term.kind !== 'subcategory')) return [];
  const code = parseIcd10(icd10Code) ?? term.code;
  const out = CANCER_SITE_GROUPS.filter((g) => g.icd10.some((e) => matches(code, e))).map((g) => g.code);
  return out.length > 0 ? out : ['other'];
}
