/**
 * Shared building blocks of the API contract: codings, problem details, paging.
 * Every other schema file builds on these; the server, the web app and the tests import them.
 */
import { z } from 'zod';

// Messages for people: a missing field says "required" rather than zod's type wording.
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined),
});

/**
 * A coded value `{system, code, label}` (MIABIS "structured attribute" pattern).
 * A value that no vocabulary term fits is kept as free text: `label` only, no `system`/`code`.
 */
export const Coding = z
  .object({
    system: z.string().min(1).max(100).optional(),
    code: z.string().min(1).max(100).optional(),
    label: z.string().min(1).max(500),
  })
  .strict()
  .refine((c) => (c.system === undefined) === (c.code === undefined), {
    message: 'system and code go together: give both, or neither for a free-text value',
  });
export type Coding = z.infer<typeof Coding>;

export const isCoded = (c: Coding): c is Coding & { system: string; code: string } => c.system !== undefined && c.code !== undefined;

/** Stable machine codes of every error the API returns (RFC 9457 `code` member). */
export const ErrorCode = z.enum([
  'bad_request',
  'malformed_json',
  'validation_failed',
  /** NUL or an unpaired UTF-16 surrogate in a string: text the database cannot store. */
  'invalid_characters',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'precondition_failed',
  'precondition_required',
  'payload_too_large',
  'unsupported_media_type',
  'method_not_allowed',
  'not_acceptable',
  'rate_limited',
  'search_unavailable',
  'database_unavailable',
  /** The connection to the database was lost during a commit: the change may or may not be saved. */
  'outcome_unknown',
  'service_unavailable',
  'internal_error',
  // access workflow
  'illegal_transition',
  'not_requestable',
  'form_incomplete',
  'attachment_refused',
  'cart_empty',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const FieldError = z.object({
  /** JSON path of the offending field, e.g. `modalities[2].code` or `query.limit`. */
  path: z.string(),
  message: z.string(),
  code: z.string().optional(),
});
export type FieldError = z.infer<typeof FieldError>;

/** RFC 9457 problem details, with our extension members `code`, `errors` and `requestId`. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: ErrorCode,
  errors: z.array(FieldError).optional(),
  requestId: z.string().optional(),
});
export type Problem = z.infer<typeof Problem>;

/** Identifiers: URL-safe, stable, human-readable where possible (`nci-idc:collection:tcga_prad`). */
export const Id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'use letters, digits and . _ : - only');

export const Url = z.url({ protocol: /^https?$/ }).max(2000);

export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code in upper case, e.g. "NL"');

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    /** Opaque cursor for the next page; absent on the last page. */
    nextCursor: z.string().optional(),
  });
