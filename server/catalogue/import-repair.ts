/**
 * Imports keep what can be kept (pure, no database): a raw record from another catalogue is repaired where the
 * intent is clear (`//doi.org/…` → `https://doi.org/…`, a bare DOI as landing page, "Clinical" listed as a
 * modality), an invalid optional field is dropped with a warning instead of failing the record, a record
 * without description or with an access-rights wording nothing understands lands as a draft with a warning.
 * `repairImportRecord(raw) → {doc, warnings}`; the caller parses `doc` with CollectionInput as usual.
 */
import { CollectionInput, type CollectionFields } from '../../schemas/collection.js';
import type { FieldError } from '../../schemas/common.js';
import { normaliseBodyPart, normaliseCancerType } from '../../schemas/vocab/index.js';
import { issuesToFieldErrors } from '../core/validation.js';
import { NO_DESCRIPTION } from './rules.js';

/** Warning codes that keep the record a draft (the others only inform). */
export const BLOCKING_WARNINGS = new Set(['required_to_publish', 'not_in_vocabulary']);

/** Fields that cannot be dropped: without them the record is not a collection. */
const REQUIRED = new Set(['providerId', 'title', 'xnat']);
const URL_FIELDS = ['landingPage', 'accessUrl'] as const;

export interface Repaired {
  doc: Record<string, unknown>;
  warnings: FieldError[];
}

/** A URL as sources write it → an absolute https URL, or undefined when it is not one. */
export function repairUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (/^https?:\/\/\S+$/i.test(v)) return v;
  if (/^\/\/[\w.-]+\.[a-z]{2,}(\/\S*)?$/i.test(v)) return `https:${v}`;
  if (/^doi:\s*10\.\d{4,9}\/\S+$/i.test(v)) return `https://doi.org/${v.replace(/^doi:\s*/i, '')}`;
  if (/^10\.\d{4,9}\/\S+$/.test(v)) return `https://doi.org/${v}`;
  if (/^(www\.|doi\.org\/|dx\.doi\.org\/)[\w.-]*\S*$/i.test(v)) return `https://${v}`;
  return undefined;
}

const warn = (path: string, message: string, code: string): FieldError => ({ path, message, code });
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Repairs whose intent is clear, before validation. */
function preRepair(doc: Record<string, unknown>, warnings: FieldError[]): void {
  for (const f of URL_FIELDS) {
    const v = doc[f];
    if (typeof v !== 'string') continue;
    const fixed = repairUrl(v);
    if (fixed && fixed !== v.trim()) {
      doc[f] = fixed;
      warnings.push(warn(f, `"${v}" read as ${fixed}`, 'repaired'));
    }
  }
  if (Array.isArray(doc.documentation)) {
    doc.documentation = doc.documentation.map((u, i) => {
      const fixed = repairUrl(u);
      if (fixed && fixed !== u) warnings.push(warn(`documentation[${i}]`, `"${String(u)}" read as ${fixed}`, 'repaired'));
      return fixed ?? u;
    });
  }
  if (isRecord(doc.license) && typeof doc.license.url === 'string') {
    const fixed = repairUrl(doc.license.url);
    if (fixed) doc.license = { ...doc.license, url: fixed };
  }
  if (doc.description === undefined || (typeof doc.description === 'string' && !doc.description.trim())) {
    doc.description = NO_DESCRIPTION;
    warnings.push(warn('description', 'no description given; the collection stays a draft until it has one', 'required_to_publish'));
  }
  moveNonModalities(doc, warnings);
  conditionsInContext(doc);
}

/** "Clinical", "Genomics" in a modality list are supporting data, not modalities. */
function moveNonModalities(doc: Record<string, unknown>, warnings: FieldError[]): void {
  if (!Array.isArray(doc.modalities)) return;
  const keep: unknown[] = [];
  const moved: string[] = [];
  for (const m of doc.modalities) {
    if (typeof m === 'string' && /^(clinical( data)?|genomics?|proteomics?|histopathology reports?)$/i.test(m.trim())) {
      moved.push(m.trim());
    } else keep.push(m);
  }
  if (moved.length === 0) return;
  doc.modalities = keep;
  const supporting = Array.isArray(doc.supportingData) ? doc.supportingData : [];
  doc.supportingData = [...supporting, ...moved];
  warnings.push(warn('modalities', `${moved.join(', ')} is not an imaging modality; recorded as supporting data`, 'repaired'));
}

/** Cancer types whose site only the body parts tell ("Clear cell carcinoma" at the kidney → C64). */
function conditionsInContext(doc: Record<string, unknown>): void {
  if (!Array.isArray(doc.conditions) || !Array.isArray(doc.bodyParts)) return;
  const bodyParts: string[] = [];
  for (const b of doc.bodyParts) {
    if (typeof b === 'string') for (const c of normaliseBodyPart(b)) if (c.code) bodyParts.push(c.code);
    if (isRecord(b) && typeof b.code === 'string') bodyParts.push(b.code);
  }
  if (bodyParts.length === 0) return;
  doc.conditions = doc.conditions.map((c: unknown) => {
    if (typeof c !== 'string') return c;
    const plain = normaliseCancerType(c);
    if (plain.code) return c;
    const withSite = normaliseCancerType(c, { bodyParts });
    return withSite.code && withSite.system
      ? { system: withSite.system, code: withSite.code, label: withSite.label, text: withSite.text.slice(0, 500) }
      : c;
  });
}

/**
 * Drop the value at an issue's path: the nested field ("license.url"), else the list item ("documentation[2]"),
 * else the optional top-level field. False when nothing may be dropped (required fields, unknown paths).
 */
function dropAt(doc: Record<string, unknown>, path: readonly PropertyKey[]): boolean {
  const [top] = path;
  if (typeof top !== 'string' || REQUIRED.has(top) || !(top in doc)) return false;
  const list = doc[top];
  if (Array.isArray(list) && typeof path[1] === 'number' && path[1] < list.length) {
    doc[top] = list.filter((_, i) => i !== path[1]);
    return true;
  }
  const leaf = path[1];
  if (path.length === 2 && typeof leaf === 'string' && isRecord(list) && leaf in list && Object.keys(list).length > 1) {
    const { [leaf]: _dropped, ...rest } = list;
    doc[top] = rest;
    return true;
  }
  delete doc[top];
  return true;
}

/**
 * Repair a raw import record. Invalid optional fields (and invalid list items) are dropped with a warning;
 * a closed-vocabulary wording nothing understands (access rights, status) is dropped with a blocking warning.
 * Required fields are never touched: their errors remain for the caller's validation to report.
 */
export function repairImportRecord(raw: unknown): Repaired {
  if (!isRecord(raw)) return { doc: raw as Record<string, unknown>, warnings: [] };
  const doc: Record<string, unknown> = structuredClone(raw);
  const warnings: FieldError[] = [];
  preRepair(doc, warnings);
  for (let round = 0; round < 20; round++) {
    const parsed = CollectionInput.safeParse(doc);
    if (parsed.success) break;
    let dropped = false;
    for (const issue of parsed.error.issues) {
      const [fe] = issuesToFieldErrors([issue]);
      if (!fe || issue.code === 'unrecognized_keys') continue;
      const value = valueAt(doc, issue.path);
      if (!dropAt(doc, issue.path.slice(0, 2))) continue;
      dropped = true;
      const shown = typeof value === 'string' ? `"${value.slice(0, 120)}"` : 'the value';
      warnings.push(
        fe.code === 'not_in_vocabulary'
          ? warn(fe.path, `${shown} was not understood (${fe.message}); left empty, the collection stays a draft`, 'not_in_vocabulary')
          : warn(fe.path, `${shown} was dropped: ${fe.message}`, 'dropped_invalid'),
      );
      break; // paths shift after a drop: validate again
    }
    if (!dropped) break;
  }
  return { doc, warnings };
}

function valueAt(doc: Record<string, unknown>, path: readonly PropertyKey[]): unknown {
  let node: unknown = doc;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  return node;
}

export interface VocabularyOutcome {
  /** Values mapped to a code. */
  mapped: number;
  /** Cancer types that got a cancer-site group but no ICD-10 code. */
  groupedOnly: { path: string; value: string; groups: string[] }[];
  /** Values no vocabulary understood, kept verbatim as free text. */
  notUnderstood: { path: string; value: string }[];
}

/** How the record's coded values fared: mapped, grouped only (site group, no code), not understood. */
export function vocabularyOutcome(f: CollectionFields, freeText: readonly { path: string; value: string }[]): VocabularyOutcome {
  const groupedOnly: VocabularyOutcome['groupedOnly'] = [];
  const notUnderstood: VocabularyOutcome['notUnderstood'] = [];
  for (const ft of freeText) {
    const groups = ft.path.startsWith('conditions[') ? normaliseCancerType(ft.value).siteGroups : [];
    if (groups.length > 0) groupedOnly.push({ ...ft, groups: [...groups] });
    else notUnderstood.push(ft);
  }
  const codedCount = (list: readonly { code?: string }[] | undefined) => (list ?? []).filter((c) => c.code !== undefined).length;
  const mapped =
    codedCount(f.modalities) +
    codedCount(f.bodyParts) +
    codedCount(f.conditions) +
    codedCount(f.species) +
    codedCount(f.sex) +
    codedCount(f.supportingData) +
    codedCount(f.manufacturers) +
    codedCount(f.fileFormats) +
    (f.accessRights?.code ? 1 : 0) +
    (f.status?.code ? 1 : 0);
  return { mapped, groupedOnly, notUnderstood };
}

/** Merge warnings, one per path and code (the repair and the publication rules may both flag a description). */
export function mergeWarnings(...lists: FieldError[][]): FieldError[] {
  const seen = new Set<string>();
  return lists.flat().filter((w) => {
    const k = `${w.path}|${w.code ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** True when a warning keeps the record a draft. */
export const blocksPublishing = (warnings: readonly FieldError[]) => warnings.some((w) => BLOCKING_WARNINGS.has(w.code ?? ''));

/** Reminder on a re-import: the record is still a draft. */
export const stillDraftWarning = (): FieldError => ({
  path: '(root)',
  message: 'still a draft: not visible in the catalogue until it is published',
  code: 'still_unpublished',
});
