/**
 * The collection form's fields: names (= API paths, so server errors map straight back), labels and
 * the mapping of an API error path (`modalities[2].code`, `age`, `xnat.projectId`) to a field.
 * Client-safe: no vocabulary or zod imports here.
 */

export const FIELD_LABELS = {
  providerId: 'Provider',
  id: 'Identifier',
  title: 'Title',
  acronym: 'Acronym',
  description: 'Description',
  keywords: 'Keywords',
  landingPage: 'Landing page',
  pid: 'Persistent identifier (DOI)',
  version: 'Version',
  modalities: 'Modalities',
  bodyParts: 'Body parts',
  conditions: 'Cancer types',
  subjectsCount: 'Subjects',
  studiesCount: 'Studies',
  seriesCount: 'Series',
  instancesCount: 'Instances',
  sex: 'Sex',
  'age.low': 'Youngest age',
  'age.high': 'Oldest age',
  'age.unit': 'Age unit',
  accessRights: 'Access rights',
  accessUrl: 'Access URL',
  accessDescription: 'How to get access',
  'license.title': 'Licence name',
  'license.spdxId': 'SPDX identifier',
  'license.url': 'Licence URL',
  dataUse: 'Data use conditions (DUO)',
  'deidentification.patientIdentityRemoved': 'Patient identity removed',
  'deidentification.dataProtectionStatus': 'Data protection status',
  'deidentification.methodText': 'De-identification method',
  'xnat.instance': 'XNAT instance URL',
  'xnat.projectId': 'XNAT project id',
  'xnat.visibility': 'XNAT visibility',
} as const;

export type FieldName = keyof typeof FIELD_LABELS;
export const FIELD_NAMES = Object.keys(FIELD_LABELS) as FieldName[];

/** Values shown in the form: text inputs hold strings, checkbox groups hold the checked values. */
export type FormValues = Partial<Record<FieldName, string | string[]>>;
export type FieldErrors = Partial<Record<FieldName, string[]>>;

/** Where a group-level error lands (`age` → its first input). */
const GROUP_DEFAULT: Record<string, FieldName> = {
  age: 'age.low',
  license: 'license.title',
  xnat: 'xnat.projectId',
  deidentification: 'deidentification.patientIdentityRemoved',
};

/** The form field an API error path belongs to, or null when the form has no such field. */
export function fieldOf(path: string): FieldName | null {
  const clean = path.replace(/^body\./, '');
  const [head = '', second] = clean.replace(/\[\d+\]/g, '').split('.');
  if (head in GROUP_DEFAULT) {
    const candidate = `${head}.${second}`;
    return (candidate in FIELD_LABELS ? candidate : GROUP_DEFAULT[head]) as FieldName;
  }
  return head in FIELD_LABELS ? (head as FieldName) : null;
}

/** DOM id of a field's input (dots are awkward in CSS selectors). */
export const inputId = (name: string) => `f-${name.replace(/\./g, '-')}`;
