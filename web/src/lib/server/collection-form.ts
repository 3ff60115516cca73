/**
 * Server side of the collection form: collection → form values, form data → API document (merged
 * onto the stored document, so fields the form does not show are kept), option lists and input hints
 * read from the zod schemas and vocabularies (the single source of truth).
 */
import { CollectionInput, type Collection } from '$schemas/collection';
import type { Coding } from '$schemas/common';
import { ACCESS_RIGHTS, DUO_TERMS, SEX } from '$schemas/vocab/index';
import { FIELD_NAMES, type FieldName, type FormValues } from '$lib/collection-fields';

type Doc = Record<string, unknown>;
type Json = Record<string, unknown>;

const INPUT_KEYS = Object.keys(CollectionInput.shape);

// Display forms used in text inputs: codes where they are short and comma-free, labels otherwise.
const codeOrLabel = (c: Coding) => c.code ?? c.label;
const conditionText = (c: { text?: string; label: string }) => c.text ?? c.label;

/** A stored collection as form values. */
export function toFormValues(c?: Collection): FormValues {
  if (!c) return { 'xnat.visibility': 'public', 'age.unit': 'years', accessRights: '', sex: [], dataUse: [] };
  const d = c.deidentification;
  const s = (v: string | number | undefined) => (v === undefined ? '' : String(v));
  return {
    providerId: c.providerId,
    id: c.id,
    title: c.title,
    acronym: s(c.acronym),
    description: c.description,
    keywords: c.keywords.join(', '),
    landingPage: s(c.landingPage),
    pid: s(c.pid),
    version: s(c.version),
    modalities: c.modalities.map(codeOrLabel).join(', '),
    bodyParts: c.bodyParts.map(codeOrLabel).join(', '),
    conditions: c.conditions.map(conditionText).join('\n'),
    subjectsCount: s(c.subjectsCount),
    studiesCount: s(c.studiesCount),
    seriesCount: s(c.seriesCount),
    instancesCount: s(c.instancesCount),
    sex: c.sex.map(codeOrLabel),
    'age.low': s(c.age?.low),
    'age.high': s(c.age?.high),
    'age.unit': c.age?.unit ?? 'years',
    accessRights: c.accessRights ? codeOrLabel(c.accessRights) : '',
    accessUrl: s(c.accessUrl),
    accessDescription: s(c.accessDescription),
    'license.title': s(c.license?.title),
    'license.spdxId': s(c.license?.spdxId),
    'license.url': s(c.license?.url),
    dataUse: c.dataUse.map((u) => codeOrLabel(u.term)),
    'deidentification.patientIdentityRemoved': d ? (d.patientIdentityRemoved ? 'yes' : 'no') : '',
    'deidentification.dataProtectionStatus': d?.dataProtectionStatus ?? '',
    'deidentification.methodText': s(d?.methodText),
    'xnat.instance': c.xnat.instance,
    'xnat.projectId': c.xnat.projectId,
    'xnat.visibility': c.xnat.visibility,
  };
}

/** The submitted values, exactly as typed (to re-show them after an error: nothing is lost). */
export function readValues(form: FormData): FormValues {
  const values: FormValues = {};
  for (const name of FIELD_NAMES) {
    if (name === 'sex' || name === 'dataUse') values[name] = form.getAll(name).map(String);
    else if (form.has(name)) values[name] = String(form.get(name));
  }
  return values;
}

const str = (v: FormValues[FieldName]) => (typeof v === 'string' ? v.trim() : '');
const list = (v: FormValues[FieldName]) => (Array.isArray(v) ? v : []);
const split = (text: string, sep: RegExp) =>
  text
    .split(sep)
    .map((x) => x.trim())
    .filter(Boolean);

/** Numbers as numbers; anything else is sent as typed so the API names the problem. */
const numberOrRaw = (v: string) => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);

/** Items equal to the display form of a stored value keep the stored (coded) value; others go as text. */
function reuse<T>(items: string[], stored: T[], display: (t: T) => string): (T | string)[] {
  return items.map((item) => stored.find((s) => display(s) === item) ?? item);
}

function set(doc: Json, key: string, value: unknown) {
  if (value === undefined || value === '') delete doc[key];
  else doc[key] = value;
}

/** Build the API document from the form, on top of the stored document (edit) or nothing (new). */
export function toDocument(values: FormValues, current?: Collection): Doc {
  const doc: Json = {};
  if (current) for (const k of INPUT_KEYS) if ((current as Json)[k] !== undefined) doc[k] = structuredClone((current as Json)[k]);

  if (!current) {
    set(doc, 'providerId', str(values.providerId));
    set(doc, 'id', str(values.id));
  }
  for (const k of ['title', 'acronym', 'description', 'landingPage', 'pid', 'version', 'accessUrl', 'accessDescription'] as const) {
    set(doc, k, str(values[k]));
  }
  doc.keywords = split(str(values.keywords), /[,;\n]/);
  doc.modalities = reuse(split(str(values.modalities), /[,;\n]/), current?.modalities ?? [], codeOrLabel);
  doc.bodyParts = reuse(split(str(values.bodyParts), /[,;\n]/), current?.bodyParts ?? [], codeOrLabel);
  doc.conditions = reuse(split(str(values.conditions), /\n/), current?.conditions ?? [], conditionText);
  doc.sex = reuse(list(values.sex), current?.sex ?? [], codeOrLabel);
  doc.dataUse = list(values.dataUse).map((code) => current?.dataUse.find((u) => codeOrLabel(u.term) === code) ?? { term: code });
  for (const k of ['subjectsCount', 'studiesCount', 'seriesCount', 'instancesCount'] as const) {
    const v = str(values[k]);
    set(doc, k, v ? numberOrRaw(v) : undefined);
  }

  const access = str(values.accessRights);
  set(
    doc,
    'accessRights',
    access ? (current?.accessRights && codeOrLabel(current.accessRights) === access ? current.accessRights : access) : undefined,
  );

  const low = str(values['age.low']);
  const high = str(values['age.high']);
  set(
    doc,
    'age',
    low || high
      ? {
          ...(low ? { low: numberOrRaw(low) } : {}),
          ...(high ? { high: numberOrRaw(high) } : {}),
          unit: str(values['age.unit']) || 'years',
        }
      : undefined,
  );

  const licence: Json = {};
  set(licence, 'title', str(values['license.title']));
  set(licence, 'spdxId', str(values['license.spdxId']));
  set(licence, 'url', str(values['license.url']));
  set(doc, 'license', Object.keys(licence).length ? licence : undefined);

  const removed = str(values['deidentification.patientIdentityRemoved']);
  const status = str(values['deidentification.dataProtectionStatus']);
  const method = str(values['deidentification.methodText']);
  if (removed || status || method || current?.deidentification) {
    const deid: Json = { ...(current?.deidentification ?? {}) };
    set(deid, 'patientIdentityRemoved', removed === 'yes' ? true : removed === 'no' ? false : undefined);
    set(deid, 'dataProtectionStatus', status);
    set(deid, 'methodText', method);
    set(doc, 'deidentification', deid);
  }

  doc.xnat = {
    instance: str(values['xnat.instance']),
    projectId: str(values['xnat.projectId']),
    visibility: str(values['xnat.visibility']),
  };
  return doc;
}

type Schema = {
  _zod: { def: { type: string; innerType?: Schema; element?: Schema; in?: Schema; checks?: { _zod: { def: { pattern?: RegExp } } }[] } };
  shape?: Record<string, Schema>;
  maxLength?: number | null;
  minLength?: number | null;
  maxValue?: number;
  minValue?: number;
  options?: string[];
  isOptional?: () => boolean;
};

function unwrap(s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let i = 0; cur && i < 6; i++) {
    const def = cur._zod.def;
    if (def.type === 'optional' || def.type === 'default') cur = def.innerType;
    else if (def.type === 'pipe') cur = def.in;
    else break;
  }
  return cur;
}

/** The schema at a dotted path, and whether the field is required (it and every parent are). */
function at(path: string): { schema?: Schema; required: boolean } {
  let cur: Schema | undefined = CollectionInput as unknown as Schema;
  let required = true;
  for (const seg of path.split('.')) {
    cur = unwrap(cur)?.shape?.[seg];
    if (!cur || (cur.isOptional && cur.isOptional())) required = false;
  }
  return { schema: cur, required };
}

/** A regex source usable in an HTML pattern attribute (compiled with the `v` flag), or undefined. */
function htmlPattern(source: string): string | undefined {
  const body = source.replace(/^\^/, '').replace(/\$$/, '');
  for (const candidate of [body, body.replace(/-\]/g, '\\-]')]) {
    try {
      new RegExp(candidate, 'v');
      return candidate;
    } catch {
      /* try the next form */
    }
  }
  return undefined;
}

export interface FieldHint {
  required?: boolean;
  maxlength?: number;
  min?: number;
  max?: number;
  pattern?: string;
}

/** HTML input constraints derived from the schema: hints only; the API's answer is authoritative. */
export function fieldHints(): Partial<Record<FieldName, FieldHint>> {
  const hints: Partial<Record<FieldName, FieldHint>> = {};
  for (const name of FIELD_NAMES) {
    const { schema: raw, required } = at(name);
    if (!raw) continue;
    const s = unwrap(raw)!;
    const h: FieldHint = {};
    if (required) h.required = true;
    if (s._zod.def.type === 'string') {
      if (typeof s.maxLength === 'number' && s.maxLength < 100000) h.maxlength = s.maxLength;
      const pattern = s._zod.def.checks?.map((c) => c._zod.def.pattern).find((p) => p instanceof RegExp);
      if (pattern && name !== 'xnat.instance') h.pattern = htmlPattern(pattern.source);
    }
    if (s._zod.def.type === 'number') {
      if (typeof s.minValue === 'number' && Number.isFinite(s.minValue)) h.min = s.minValue;
      if (typeof s.maxValue === 'number' && Number.isFinite(s.maxValue) && s.maxValue < 1e9) h.max = s.maxValue;
    }
    hints[name] = h;
  }
  return hints;
}

/** Choices for selects and checkbox groups, from the vocabularies and enums. */
export function formOptions() {
  const enumOf = (path: string) => unwrap(at(path).schema)?.options ?? [];
  return {
    sex: SEX.map((t) => ({ code: t.code as string, label: t.label as string })),
    accessRights: ACCESS_RIGHTS.map((t) => ({ code: t.code as string, label: t.label as string })),
    duo: DUO_TERMS.filter((t) => t.offered).map((t) => ({ code: t.code, label: t.label, shorthand: t.shorthand, kind: t.kind })),
    visibility: enumOf('xnat.visibility'),
    ageUnits: enumOf('age.unit'),
    dataProtection: enumOf('deidentification.dataProtectionStatus'),
  };
}
export type FormOptions = ReturnType<typeof formOptions>;
