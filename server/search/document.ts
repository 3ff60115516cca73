/**
 * Collection row → search document. Pure: everything it needs (provider and network names) is
 * passed in.
 *
 * What goes into the index (the index sits behind the server; only the search routes query it,
 * always under the visibility filter, but we still keep it free of anything XNAT keeps private):
 * - descriptive catalogue metadata only: title, acronym, description, keywords, coded facets,
 *   counts, age range, provider and network names. Protected collections are indexed with their
 *   description, because XNAT lists protected projects with their description to everyone.
 * - never: contacts (ids, roles, names, e-mails), the XNAT instance URL and project id, access URL
 *   and access description, de-identification details, provenance, version and withdrawal notes.
 *   This holds for every visibility; private collections are indexed (for their provider's members
 *   and admins) with the same exclusions.
 * - only published collections are indexed; drafts and withdrawn ones are removed from the index.
 */
import type { CollectionFields, DerivedFacets } from '../../schemas/collection.js';
import type { Coding } from '../../schemas/common.js';
import { CANCER_SITE_GROUPS } from '../../schemas/vocab/cancer-sites.js';
import { SPECIES_ALIASES } from '../../schemas/vocab/catalogue-lists.js';
import { datasetKeys } from '../../schemas/dataset-key.js';

export interface IndexableRow {
  id: string;
  providerId: string;
  visibility: string;
  publicationState: string;
  title: string;
  doc: unknown;
  derived: unknown;
  modifiedAt: Date;
}

export interface DocumentContext {
  providerName: string;
  networkNames: ReadonlyMap<string, string>;
}

type Term = { system?: string; code?: string; label: string };

export interface SearchDocument {
  /** Meilisearch primary key: ids contain ':' and '.', which Meilisearch keys may not. */
  key: string;
  id: string;
  title: string;
  titleSort: string;
  /** Always present (maybe empty): Meilisearch rejects `attributesToSearchOn` naming a field no document has. */
  acronym: string;
  description: string;
  keywords: string[];
  conditionLabels: string[];
  codes: string[];
  bodyPartLabels: string[];
  modalityLabels: string[];
  cancerSiteLabels: string[];
  /** Species with their common and Latin names ("Mouse", "Mice", "Mus musculus"): `q=mouse` finds them. */
  speciesLabels: string[];
  /** Labels of the other coded values (supporting data, dataset types, access rights, status). */
  otherLabels: string[];
  /** Same dataset, other provider: the DOI / landing-page key (own id when none); search can collapse on it. */
  datasetKey: string;
  providerName: string;
  networkNames: string[];
  // facets: arrays of codes
  modality: string[];
  bodyPart: string[];
  cancerSite: string[];
  icd10: string[];
  icd10Tree: string[];
  sex: string[];
  country: string[];
  network: string[];
  accessRights?: string;
  imageDatasetType: string[];
  hasSegmentation: boolean;
  duo: string[];
  license?: string;
  status?: string;
  species: string[];
  manufacturer: string[];
  fileFormat: string[];
  // numbers
  subjects?: number;
  studies?: number;
  ageLow?: number;
  ageHigh?: number;
  modified: number;
  // access
  visibility: string;
  providerId: string;
  publicationState: string;
  // display
  modalities: Term[];
  bodyParts: Term[];
  conditions: Term[];
  accessRightsCoding?: Term;
}

export const isIndexable = (row: Pick<IndexableRow, 'publicationState'>) => row.publicationState === 'published';

/** Reversible, Meilisearch-safe key ([A-Za-z0-9_-]). */
export const documentKey = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
export const idFromKey = (key: string) => Buffer.from(key, 'base64url').toString('utf8');

/** Species code → the other names it goes by (aliases that are words, not taxon numbers). */
const SPECIES_NAMES = new Map<string, string[]>();
for (const [name, code] of Object.entries(SPECIES_ALIASES)) {
  if (!/^\d+$/.test(name)) SPECIES_NAMES.set(code, [...(SPECIES_NAMES.get(code) ?? []), name]);
}
const SITE_LABEL = new Map(CANCER_SITE_GROUPS.map((g) => [g.code, g.label]));
const YEARS_PER: Record<string, number> = { years: 1, months: 1 / 12, weeks: 7 / 365.25, days: 1 / 365.25 };

export function toSearchDocument(row: IndexableRow, ctx: DocumentContext): SearchDocument {
  const f = row.doc as Partial<CollectionFields>;
  const d = (row.derived ?? {}) as Partial<DerivedFacets>;
  const modalities = list(f.modalities);
  const bodyParts = list(f.bodyParts);
  const conditions = list(f.conditions);
  const icd10 = uniq(d.icd10 ?? []);
  const networkIds = uniq(f.networkIds ?? []);
  const age = ageYears(f.age);
  const accessRights = f.accessRights ? term(f.accessRights) : undefined;
  return {
    key: documentKey(row.id),
    id: row.id,
    title: row.title,
    titleSort: row.title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .trim(),
    acronym: f.acronym ?? '',
    description: plainText(f.description ?? ''),
    keywords: uniq(f.keywords ?? []),
    conditionLabels: uniq(conditions.flatMap((c) => [c.label, ...('text' in c && typeof c.text === 'string' ? [c.text] : [])])),
    codes: uniq([...conditions.flatMap((c) => (c.code ? [c.code] : [])), ...icd10, ...codesOf(modalities), ...codesOf(bodyParts)]),
    bodyPartLabels: uniq(bodyParts.map((b) => b.label)),
    modalityLabels: uniq(modalities.flatMap((m) => (m.code ? [m.code, m.label] : [m.label]))),
    cancerSiteLabels: uniq((d.cancerSiteGroups ?? []).map((g) => SITE_LABEL.get(g) ?? g)),
    speciesLabels: uniq(list(f.species).flatMap((sp) => [sp.label, ...(sp.code ? (SPECIES_NAMES.get(sp.code) ?? []) : [])])),
    otherLabels: uniq(
      [
        ...list(f.supportingData),
        ...list(f.imageDatasetTypes),
        ...(f.accessRights ? [f.accessRights] : []),
        ...(f.status ? [f.status] : []),
      ].map((c) => c.label),
    ),
    datasetKey: datasetKeys({ pid: f.pid, landingPage: f.landingPage, otherIdentifiers: f.otherIdentifiers ?? [] })[0] ?? row.id,
    providerName: ctx.providerName,
    networkNames: networkIds.flatMap((n) => (ctx.networkNames.has(n) ? [ctx.networkNames.get(n)!] : [])),
    modality: codesOf(modalities),
    bodyPart: codesOf(bodyParts),
    cancerSite: uniq(d.cancerSiteGroups ?? []),
    icd10,
    icd10Tree: uniq([...icd10, ...(d.icd10Ancestors ?? [])]),
    sex: codesOf(list(f.sex)),
    country: uniq(f.countries ?? []),
    network: networkIds,
    ...(accessRights?.code ? { accessRights: accessRights.code } : {}),
    imageDatasetType: codesOf(list(f.imageDatasetTypes)),
    hasSegmentation: d.hasSegmentation ?? false,
    duo: uniq((f.dataUse ?? []).flatMap((u) => (u.term?.code ? [u.term.code] : []))),
    ...(f.license?.spdxId ? { license: f.license.spdxId } : {}),
    ...(f.status?.code ? { status: f.status.code } : {}),
    species: codesOf(list(f.species)),
    manufacturer: codesOf(list(f.manufacturers)),
    fileFormat: codesOf(list(f.fileFormats)),
    ...(f.subjectsCount !== undefined ? { subjects: f.subjectsCount } : {}),
    ...(f.studiesCount !== undefined ? { studies: f.studiesCount } : {}),
    ...age,
    modified: Math.floor(row.modifiedAt.getTime() / 1000),
    visibility: row.visibility,
    providerId: row.providerId,
    publicationState: row.publicationState,
    modalities: modalities.map(term),
    bodyParts: bodyParts.map(term),
    conditions: conditions.map(term),
    ...(accessRights ? { accessRightsCoding: accessRights } : {}),
  };
}

/**
 * Age as a [low, high] interval in years. A range filter matches collections whose interval
 * overlaps it, so an open side is widened (0 or 150) rather than left out.
 */
export function ageYears(age: CollectionFields['age'] | undefined): { ageLow?: number; ageHigh?: number } {
  if (!age || (age.low === undefined && age.high === undefined)) return {};
  const k = YEARS_PER[age.unit ?? 'years'] ?? 1;
  const round = (n: number) => Math.round(n * k * 100) / 100;
  return { ageLow: age.low !== undefined ? round(age.low) : 0, ageHigh: age.high !== undefined ? round(age.high) : 150 };
}

/**
 * The description as searchable plain text: link targets and bare URLs are noise for full-text search,
 * and the result snippet is cropped from this text, so markdown syntax must not show in it either
 * (`[RIDER Lung CT](https://doi.org/…)` → `RIDER Lung CT`; emphasis, headings, inline code marks go).
 */
export function plainText(s: string): string {
  return s
    .replace(/!?\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/^ {0,3}(#{1,6}|>+)\s+/gm, '')
    .replace(/(\*\*|__|`)(?=\S)([^\n]*?\S)\1/g, '$2')
    .replace(/(^|[\s(])[*_](?=\S)([^*_\n]*?\S)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

function term(c: Term | Coding): Term {
  return { ...(c.system ? { system: c.system } : {}), ...(c.code ? { code: c.code } : {}), label: c.label };
}
const list = <T extends Term>(xs: T[] | undefined): T[] => (Array.isArray(xs) ? xs : []);
const codesOf = (xs: Term[]) => uniq(xs.flatMap((x) => (x.code ? [x.code] : [])));
const uniq = <T>(xs: readonly T[]) => [...new Set(xs)];
