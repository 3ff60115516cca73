/**
 * Data Use Ontology (DUO) terms of datamodel §6.4.
 *
 * Stored code form: the OBO CURIE `DUO:0000042` (system `DUO`). Accepted input: `DUO:0000042`, `DUO_0000042`,
 * `obo:DUO_0000042`, `http://purl.obolibrary.org/obo/DUO_0000042`, a bare `0000042`, shorthands (`GRU`, `HMB`,
 * `NCU`, …) and current or older (BBMRI Directory) labels.
 *
 * `offered: false` marks terms not offered for new records: the two abstract roots, the OBI-linked investigation
 * terms (only meaningful as the parameter of RS) and the obsolete terms DUO_0000002/3/5/14.
 */
import type { Coding } from '../common.js';
import { SYSTEM } from './systems.js';
import { type Term, coded, freeText, normKey, tidy } from './text.js';

export type DuoKind = 'permission' | 'modifier' | 'investigation' | 'obsolete';
/** Parameter a term takes: disease (DS), region (GS), months (TS), ISO 8601 date (MOR), research type (RS). */
export type DuoParameter = 'disease' | 'region' | 'months' | 'date' | 'researchType';

/** The shorthands DUO defines for its permission and modifier terms. */
export type DuoShorthand =
  | 'NRES'
  | 'GRU'
  | 'HMB'
  | 'DS'
  | 'POA'
  | 'CC'
  | 'RS'
  | 'NMDS'
  | 'GSO'
  | 'NPUNCU'
  | 'NPU'
  | 'NCU'
  | 'PUB'
  | 'COL'
  | 'IRB'
  | 'GS'
  | 'MOR'
  | 'TS'
  | 'US'
  | 'PS'
  | 'IS'
  | 'RTN'
  | 'NPOA';

export interface DuoTerm extends Term {
  readonly kind: DuoKind;
  readonly shorthand?: DuoShorthand;
  readonly parameter?: DuoParameter;
  readonly offered: boolean;
  /** Older label shipped by the BBMRI Directory, accepted on input. */
  readonly directoryLabel?: string;
}

const d = (n: string, kind: DuoKind, label: string, extra: Partial<DuoTerm> = {}): DuoTerm => ({
  code: `DUO:${n}`,
  label,
  kind,
  offered: kind === 'permission' || kind === 'modifier',
  ...extra,
});

export const DUO_TERMS: readonly DuoTerm[] = [
  d('0000001', 'permission', 'data use permission', { offered: false, directoryLabel: 'data use limitation' }),
  d('0000004', 'permission', 'no restriction', { shorthand: 'NRES' }),
  d('0000042', 'permission', 'general research use', { shorthand: 'GRU' }),
  d('0000006', 'permission', 'health or medical or biomedical research', { shorthand: 'HMB' }),
  d('0000007', 'permission', 'disease specific research', { shorthand: 'DS', parameter: 'disease' }),
  d('0000011', 'permission', 'population origins or ancestry research only', {
    shorthand: 'POA',
    directoryLabel: 'population origins or ancestry research',
  }),
  d('0000017', 'modifier', 'data use modifier', { offered: false, directoryLabel: 'data use requirements' }),
  d('0000043', 'modifier', 'clinical care use', { shorthand: 'CC' }),
  d('0000012', 'modifier', 'research specific restrictions', { shorthand: 'RS', parameter: 'researchType' }),
  d('0000015', 'modifier', 'no general methods research', { shorthand: 'NMDS' }),
  d('0000016', 'modifier', 'genetic studies only', { shorthand: 'GSO' }),
  d('0000018', 'modifier', 'not for profit, non commercial use only', {
    shorthand: 'NPUNCU',
    directoryLabel: 'not for profit use only',
  }),
  d('0000045', 'modifier', 'not for profit organisation use only', { shorthand: 'NPU' }),
  d('0000046', 'modifier', 'non-commercial use only', { shorthand: 'NCU' }),
  d('0000019', 'modifier', 'publication required', { shorthand: 'PUB' }),
  d('0000020', 'modifier', 'collaboration required', { shorthand: 'COL' }),
  d('0000021', 'modifier', 'ethics approval required', { shorthand: 'IRB' }),
  d('0000022', 'modifier', 'geographical restriction', { shorthand: 'GS', parameter: 'region' }),
  d('0000024', 'modifier', 'publication moratorium', { shorthand: 'MOR', parameter: 'date' }),
  d('0000025', 'modifier', 'time limit on use', { shorthand: 'TS', parameter: 'months' }),
  d('0000026', 'modifier', 'user specific restriction', { shorthand: 'US' }),
  d('0000027', 'modifier', 'project specific restriction', { shorthand: 'PS' }),
  d('0000028', 'modifier', 'institution specific restriction', { shorthand: 'IS' }),
  d('0000029', 'modifier', 'return to database or resource', { shorthand: 'RTN' }),
  d('0000044', 'modifier', 'population origins or ancestry research prohibited', { shorthand: 'NPOA' }),
  d('0000031', 'investigation', 'method development'),
  d('0000032', 'investigation', 'population research'),
  d('0000033', 'investigation', 'ancestry research'),
  d('0000034', 'investigation', 'age category research'),
  d('0000035', 'investigation', 'gender category research'),
  d('0000036', 'investigation', 'research control'),
  d('0000037', 'investigation', 'biomedical research'),
  d('0000038', 'investigation', 'genetic research'),
  d('0000039', 'investigation', 'drug development research'),
  d('0000040', 'investigation', 'disease category research'),
  d('0000002', 'obsolete', 'obsolete consent code primary category'),
  d('0000003', 'obsolete', 'obsolete consent code secondary category'),
  d('0000005', 'obsolete', 'general research use and clinical care'),
  d('0000014', 'obsolete', 'research use only'),
];

/** CURIEs by shorthand, for rules that name terms: `DUO.GRU` is `DUO:0000042`. */
export const DUO = Object.fromEntries(DUO_TERMS.flatMap((t) => (t.shorthand ? [[t.shorthand, t.code]] : []))) as Readonly<
  Record<DuoShorthand, string>
>;

const BY_CODE = new Map(DUO_TERMS.map((t) => [t.code, t] as const));
const BY_KEY = new Map<string, DuoTerm>();
for (const t of DUO_TERMS) {
  for (const k of [t.label, t.directoryLabel, t.shorthand]) if (k) BY_KEY.set(normKey(k), t);
}

/** Canonical CURIE (`DUO:0000042`) from any id form, or undefined when `input` is not a DUO id. */
export function parseDuoId(input: string): string | undefined {
  const m = /^(?:https?:\/\/purl\.obolibrary\.org\/obo\/|obo:)?(?:DUO[:_])?(\d{7})$/i.exec(tidy(input));
  return m ? `DUO:${m[1]}` : undefined;
}

/** DUO term by id (any accepted id form), shorthand or label; undefined if unknown. */
export function duoLookup(input: string): DuoTerm | undefined {
  if (typeof input !== 'string') return undefined;
  const id = parseDuoId(input);
  if (id) return BY_CODE.get(id);
  const direct = BY_KEY.get(normKey(input));
  if (direct) return direct;
  // "GRU (DUO:0000042)", "DUO_0000042 general research use": an id anywhere in the wording.
  const inside = /\bDUO[:_](\d{7})\b/i.exec(input);
  if (inside) return BY_CODE.get(`DUO:${inside[1]}`);
  // "General Research Use (GRU)", "HMB - health/medical/biomedical": a shorthand or label part.
  for (const part of input.split(/[()[\]\-–:;]+/)) {
    const t = BY_KEY.get(normKey(part));
    if (t && part.trim()) return t;
  }
  return undefined;
}

/** OBO PURL of a DUO term: `http://purl.obolibrary.org/obo/DUO_0000042`. */
export const duoIri = (code: string): string => `http://purl.obolibrary.org/obo/${code.replace(':', '_')}`;

/**
 * Normalise a DUO id / shorthand / label to a DUO coding; unknown input is kept as free text.
 * Blank input gives undefined. Never throws.
 */
export function normaliseDuo(raw: string): Coding | undefined {
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  const t = duoLookup(raw);
  return t ? coded(SYSTEM.duo, t) : freeText(raw);
}
