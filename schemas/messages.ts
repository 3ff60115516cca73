/**
 * Field errors in words a data manager understands: the field's label and the limit, not validator output
 * ("Subjects must be 0 or more" instead of "Too small: expected number to be >=0"). Pure; used by the API
 * (server/http/validate.ts) so the web forms and import reports show the same sentences.
 */

/** Labels of the fields people type into (collection, provider, contact, network); others are derived from the name. */
const LABELS: Readonly<Record<string, string>> = {
  providerId: 'Provider',
  id: 'Identifier',
  title: 'Title',
  acronym: 'Acronym',
  description: 'Description',
  keywords: 'Keywords',
  landingPage: 'Landing page',
  documentation: 'Documentation link',
  pid: 'Persistent identifier (DOI)',
  version: 'Version',
  status: 'Status',
  modalities: 'Modalities',
  bodyParts: 'Body parts',
  conditions: 'Cancer types',
  subjectsCount: 'Subjects',
  studiesCount: 'Studies',
  seriesCount: 'Series',
  instancesCount: 'Instances',
  segmentationsCount: 'Segmentations',
  sizeBytes: 'Size in bytes',
  countsAsOf: 'Counts as of',
  sex: 'Sex',
  age: 'Age range',
  'age.low': 'Youngest age',
  'age.high': 'Oldest age',
  'age.unit': 'Age unit',
  countries: 'Countries',
  species: 'Species',
  accessRights: 'Access rights',
  accessUrl: 'Access URL',
  accessDescription: 'How to get access',
  license: 'Licence',
  'license.title': 'Licence name',
  'license.spdxId': 'SPDX identifier',
  'license.url': 'Licence URL',
  dataUse: 'Data use conditions',
  'xnat.instance': 'XNAT instance URL',
  'xnat.projectId': 'XNAT project id',
  'xnat.visibility': 'XNAT visibility',
  xnat: 'XNAT project',
  name: 'Name',
  email: 'E-mail',
  url: 'Web address',
  country: 'Country',
  firstName: 'First name',
  lastName: 'Last name',
  limit: 'Page size',
  page: 'Page',
  hitsPerPage: 'Results per page',
  q: 'Search text',
  cursor: 'Page cursor',
};

/** "subjectsCount" → "Subjects"; "modalities[2].code" → "Modalities"; unknown names → "Sample count". */
export function fieldLabel(path: readonly PropertyKey[]): string {
  const names = path.filter((p): p is string => typeof p === 'string' && !/^(query|body)$/.test(p));
  for (let n = names.length; n > 0; n--) {
    const hit = LABELS[names.slice(0, n).join('.')];
    if (hit) return hit;
  }
  const last = names.at(-1) ?? 'This field';
  const words = last
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The parts of a zod issue the messages need (structural, so this file needs no zod import). */
export interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  expected?: string;
  input?: unknown;
  format?: string;
  values?: readonly unknown[];
}

const n = (x: number | bigint | undefined) => (x === undefined ? '' : Number(x).toLocaleString('en'));

/** A sentence for one issue; custom messages (our own wording) are kept. */
export function humanMessage(issue: IssueLike): string {
  const label = fieldLabel(issue.path);
  switch (issue.code) {
    case 'too_small': {
      const min = issue.inclusive === false ? Number(issue.minimum) + (issue.origin === 'number' ? 0 : 1) : issue.minimum;
      if (issue.origin === 'string') return Number(min) <= 1 ? `${label} is required` : `${label} needs at least ${n(min)} characters`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `${label} needs at least ${n(min)} ${Number(min) === 1 ? 'entry' : 'entries'}`;
      if (issue.inclusive === false) return `${label} must be more than ${n(issue.minimum)}`;
      return `${label} must be ${n(min)} or more`;
    }
    case 'too_big': {
      const max = issue.maximum;
      if (issue.origin === 'string') return `${label} is too long: at most ${n(max)} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${label} has too many entries: at most ${n(max)}`;
      if (issue.inclusive === false) return `${label} must be less than ${n(max)}`;
      return `${label} must be ${n(max)} or less`;
    }
    case 'invalid_type': {
      if (/received undefined/.test(issue.message)) return `${label} is required`;
      if (issue.expected === 'number' || issue.expected === 'int') return `${label} must be a number`;
      if (issue.expected === 'boolean') return `${label} must be yes or no (true / false)`;
      if (issue.expected === 'array') return `${label} must be a list`;
      if (issue.expected === 'string') return `${label} must be text`;
      if (issue.expected === 'object') return `${label} must be an object with its own fields`;
      return `${label} has the wrong kind of value (expected ${issue.expected ?? 'another type'})`;
    }
    case 'invalid_format': {
      if (issue.format === 'url') return `${label} must be a web address starting with https:// (or http://)`;
      if (issue.format === 'date') return `${label} must be a date written like 2024-05-31`;
      if (issue.format === 'datetime') return `${label} must be a date and time like 2024-05-31T12:00:00Z`;
      if (issue.format === 'email') return `${label} must be an e-mail address like name@example.org`;
      if (issue.format === 'regex' && !/^Invalid string/.test(issue.message)) return `${label}: ${issue.message}`;
      return `${label} is not in the expected format`;
    }
    case 'invalid_value':
      return issue.values?.length
        ? `${label} must be one of: ${issue.values.map((v) => String(v)).join(', ')}`
        : `${label} has a value that is not allowed`;
    case 'not_multiple_of':
      return `${label} must be a whole number`;
    case 'invalid_union':
      return `${label} is not a valid value`;
    default:
      return issue.message.startsWith(label) || issue.code === 'custom' ? issue.message : `${label}: ${issue.message}`;
  }
}
