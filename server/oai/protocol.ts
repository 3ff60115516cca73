/**
 * OAI-PMH 2.0 request rules, pure (no database): verb and argument checks in the order of
 * ../shared/reference/oai-pmh.md §5.4, date syntax and granularity, and the stateless resumption token.
 */
import { z } from 'zod';

export const VERBS = ['Identify', 'ListMetadataFormats', 'ListSets', 'ListIdentifiers', 'ListRecords', 'GetRecord'] as const;
export type Verb = (typeof VERBS)[number];

export type OaiErrorCode =
  | 'badVerb'
  | 'badArgument'
  | 'badResumptionToken'
  | 'cannotDisseminateFormat'
  | 'idDoesNotExist'
  | 'noRecordsMatch'
  | 'noMetadataFormats'
  | 'noSetHierarchy';
export interface OaiError {
  code: OaiErrorCode;
  message: string;
}

const ALLOWED: Record<Verb, { required: string[]; optional: string[]; exclusive?: string }> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ['identifier'] },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [] },
  ListIdentifiers: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  ListRecords: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
};

export type Args = Partial<Record<'identifier' | 'metadataPrefix' | 'from' | 'until' | 'set' | 'resumptionToken', string>>;

export type ParsedRequest =
  | { ok: true; verb: Verb; args: Args; range: DateRange }
  /** `echo` is false for badVerb / badArgument: the `<request>` element then carries no attributes. */
  | { ok: false; errors: OaiError[]; echo: false };

export interface DateRange {
  /** Inclusive lower bound. */
  from?: Date;
  /** Exclusive upper bound: `until` plus one unit of its granularity, so `until` itself is included. */
  untilExclusive?: Date;
}

/** Check a request given as its key/value pairs (GET query or POST form body, repeats preserved). */
export function parseRequest(pairs: [string, string][]): ParsedRequest {
  const verbs = pairs.filter(([k]) => k === 'verb').map(([, v]) => v);
  if (verbs.length === 0) return fail('badVerb', 'The verb argument is missing.');
  if (verbs.length > 1) return fail('badVerb', 'The verb argument is repeated.');
  const verb = verbs[0] as Verb;
  if (!VERBS.includes(verb)) return fail('badVerb', 'Illegal OAI verb (verbs are case-sensitive).');

  const rule = ALLOWED[verb];
  const legal = new Set([...rule.required, ...rule.optional, ...(rule.exclusive ? [rule.exclusive] : [])]);
  const errors: OaiError[] = [];
  const seen = new Map<string, string>();
  for (const [k, v] of pairs) {
    if (k === 'verb') continue;
    if (!legal.has(k)) {
      errors.push({ code: 'badArgument', message: `Illegal argument for ${verb}.` });
      continue;
    }
    if (seen.has(k)) {
      errors.push({ code: 'badArgument', message: `Repeated argument: ${k}.` });
      continue;
    }
    seen.set(k, v);
  }
  // An empty value counts as absent.
  const args: Args = {};
  for (const [k, v] of seen) if (v !== '') args[k as keyof Args] = v;

  if (rule.exclusive && args[rule.exclusive as keyof Args] !== undefined) {
    if (Object.keys(args).length > 1) errors.push({ code: 'badArgument', message: 'resumptionToken is an exclusive argument.' });
  } else {
    for (const r of rule.required)
      if (args[r as keyof Args] === undefined) errors.push({ code: 'badArgument', message: `Missing required argument: ${r}.` });
  }

  const range: DateRange = {};
  const from = args.from === undefined ? undefined : parseDatestamp(args.from);
  const until = args.until === undefined ? undefined : parseDatestamp(args.until);
  if (from === null) errors.push({ code: 'badArgument', message: 'from is not a UTC date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).' });
  if (until === null) errors.push({ code: 'badArgument', message: 'until is not a UTC date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).' });
  if (from && until) {
    if (from.granularity !== until.granularity)
      errors.push({ code: 'badArgument', message: 'from and until must have the same granularity.' });
    else if (from.start > until.start) errors.push({ code: 'badArgument', message: 'from is later than until.' });
  }
  if (from) range.from = from.start;
  if (until) range.untilExclusive = until.end;

  if (errors.length) return { ok: false, errors: dedupe(errors), echo: false };
  return { ok: true, verb, args, range };
}

function fail(code: OaiErrorCode, message: string): ParsedRequest {
  return { ok: false, errors: [{ code, message }], echo: false };
}

function dedupe(errors: OaiError[]): OaiError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.message) ? false : (seen.add(e.message), true)));
}

/** A datestamp argument at day or seconds granularity; null when illegal. */
export function parseDatestamp(s: string): { granularity: 'day' | 'seconds'; start: Date; end: Date } | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const sec = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(s);
  const m = day ?? sec;
  if (!m) return null;
  const [y, mo, d, h = '0', mi = '0', se = '0'] = m.slice(1).map((x) => x);
  const t = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +se);
  const back = new Date(t);
  // Reject 2024-13-45, 25:00:00 and the like: the parts must survive a round trip.
  if (
    back.getUTCFullYear() !== +y! ||
    back.getUTCMonth() !== +mo! - 1 ||
    back.getUTCDate() !== +d! ||
    back.getUTCHours() !== +h ||
    back.getUTCMinutes() !== +mi ||
    back.getUTCSeconds() !== +se
  )
    return null;
  return day
    ? { granularity: 'day', start: back, end: new Date(t + 86_400_000) }
    : { granularity: 'seconds', start: back, end: new Date(t + 1000) };
}

/** UTC `YYYY-MM-DDThh:mm:ssZ` (the repository's granularity: seconds, never milliseconds). */
export const datestamp = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

// resumption tokens -----------------------------------------------------------------------------

/**
 * Stateless token: the query (verb, prefix, from, frozen upper bound, set), the keyset position
 * (datestamp with microseconds + id of the last record sent), completeListSize and cursor. Re-issuing
 * it gives the same page; records inserted or changed after the harvest began fall outside the frozen
 * bound and are picked up by the next incremental harvest instead of shifting pages.
 */
export const TokenState = z
  .object({
    v: z.literal(1),
    verb: z.enum(['ListIdentifiers', 'ListRecords']),
    prefix: z.string().min(1).max(50),
    from: z.iso.datetime().optional(),
    /** Exclusive upper bound, frozen at the harvest's first request. */
    until: z.iso.datetime(),
    set: z.string().max(300).optional(),
    after: z.tuple([z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/), z.string().min(1).max(200)]),
    total: z.number().int().min(0),
    cursor: z.number().int().min(0),
  })
  .strict();
export type TokenState = z.infer<typeof TokenState>;

export function encodeToken(t: TokenState): string {
  return Buffer.from(JSON.stringify(t), 'utf8').toString('base64url');
}

export function decodeToken(s: string, verb: Verb): TokenState | null {
  if (!/^[A-Za-z0-9_-]{1,4000}$/.test(s)) return null;
  try {
    const parsed = TokenState.safeParse(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
    // A token is only valid for the verb that issued it (spec §3.5).
    return parsed.success && parsed.data.verb === verb ? parsed.data : null;
  } catch {
    return null;
  }
}

// sets -----------------------------------------------------------------------------------------

/**
 * setSpec segments allow only URI-unreserved characters; ids may contain `:` (a hierarchy separator
 * in setSpecs), so other characters are written as `~HH` (and `~` itself as `~7E`).
 */
export function setSegment(s: string): string {
  return Array.from(s)
    .map((ch) =>
      /[A-Za-z0-9\-_.!*'()]/.test(ch)
        ? ch
        : Array.from(Buffer.from(ch, 'utf8'))
            .map((b) => `~${b.toString(16).toUpperCase().padStart(2, '0')}`)
            .join(''),
    )
    .join('');
}

export function unsetSegment(s: string): string | null {
  if (!/^([A-Za-z0-9\-_.!*'()]|~[0-9A-F]{2})+$/.test(s)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '~') {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(s.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

export const SET_KINDS = ['provider', 'network', 'cancer-site', 'modality'] as const;
export type SetKind = (typeof SET_KINDS)[number];
export type SetFilter = { kind: SetKind; value?: string };

/** `provider` or `provider:<id>` etc.; null for anything else (answered with noRecordsMatch). */
export function parseSetSpec(spec: string): SetFilter | null {
  const [kind, value, ...rest] = spec.split(':');
  if (!SET_KINDS.includes(kind as SetKind) || rest.length) return null;
  if (value === undefined) return { kind: kind as SetKind };
  const decoded = unsetSegment(value);
  return decoded === null ? null : { kind: kind as SetKind, value: decoded };
}
