/**
 * One normaliser for filter values, shared by the search API (`filter[modality]=MRI`), the collection list API
 * (`modality=MRI`) and the web pages that build those links: a value is read like an imported wording, so
 * "MRI", "mr", "Magnetic resonance" all filter on the code `MR`. A value no vocabulary understands is kept
 * as given (it may be a code of a facet without a vocabulary, e.g. a provider id).
 */
import { normaliseBodyPart } from './body-part-wordings.js';
import { normaliseModality } from './modality-wordings.js';
import {
  normaliseAccessRights,
  normaliseFileFormat,
  normaliseImageDatasetType,
  normaliseManufacturer,
  normaliseSex,
  normaliseSpecies,
  normaliseStatus,
} from './normalise.js';
import { normaliseLicence } from './licence.js';
import { normaliseDuo } from './duo.js';
import { parseIcd10 } from './icd10.js';
import { cancerSiteGroup, CANCER_SITE_GROUPS } from './cancer-sites.js';
import { normKey } from './text.js';
import type { Coding } from '../common.js';

type Many = (raw: string) => Coding[];
const one =
  (f: (raw: string) => Coding | undefined): Many =>
  (raw) => {
    const c = f(raw);
    return c ? [c] : [];
  };
const SITE_BY_KEY = new Map(
  CANCER_SITE_GROUPS.flatMap(
    (g) =>
      [
        [normKey(g.code), g.code],
        [normKey(g.label), g.code],
      ] as const,
  ),
);

const BY_FACET: Readonly<Record<string, Many>> = {
  modality: normaliseModality,
  bodyPart: normaliseBodyPart,
  species: normaliseSpecies,
  sex: normaliseSex,
  accessRights: one(normaliseAccessRights),
  status: one(normaliseStatus),
  license: one((v) => normaliseLicence(v)),
  imageDatasetType: normaliseImageDatasetType,
  fileFormat: normaliseFileFormat,
  manufacturer: one(normaliseManufacturer),
  duo: one(normaliseDuo),
};

/** Index codes for one filter value of `facet` (several for "PET/CT"); the value itself when nothing maps. */
export function filterCodes(facet: string, value: string): string[] {
  if (typeof value !== 'string') return [];
  const v = value.trim();
  if (!v) return [];
  if (facet === 'icd10') {
    const code = parseIcd10(v) ?? v.toUpperCase();
    return [/^[A-Z]\d{2}\.\d$/.test(code) ? code.slice(0, 3) : code];
  }
  if (facet === 'cancerSite') return [cancerSiteGroup(v)?.code ?? SITE_BY_KEY.get(normKey(v)) ?? v];
  const f = BY_FACET[facet];
  if (!f) return [v];
  // An exact code of the vocabulary stays itself ("MR", "LUNG"); wordings map to their codes.
  const codes = f(v).flatMap((c) => (c.code ? [c.code] : []));
  return codes.length ? [...new Set(codes)] : [v];
}

/** Normalised values of a multi-valued filter, de-duplicated. */
export const filterValues = (facet: string, values: readonly string[]): string[] => [
  ...new Set(values.flatMap((v) => filterCodes(facet, v))),
];
