/**
 * Typed errors thrown by verbs and routes; `problem.ts` maps each to one RFC 9457 response.
 * Messages here are written for API clients: never put internals (SQL, stack, paths) in them.
 */
import type { ErrorCode, FieldError } from '../../schemas/common.js';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new AppError(400, 'bad_request', 'Bad request', detail, errors);

export const validationFailed = (errors: FieldError[], detail = 'The request has invalid fields.') =>
  new AppError(422, 'validation_failed', 'Validation failed', detail, errors);

/** Used both for "does not exist" and "exists but you may not know": never confirm existence. */
/** Strings the database cannot store (NUL, unpaired surrogates), with their field paths. */
export const invalidCharacters = (errors: FieldError[]) =>
  new AppError(422, 'invalid_characters', 'Invalid characters', 'Some text contains characters that cannot be stored (NUL or an unpaired UTF-16 surrogate).', errors);

export const notFound = (what = 'resource') =>
  new AppError(404, 'not_found', 'Not found', `No such ${what}.`);

export const unauthenticated = (detail = 'Sign in to do this.') =>
  new AppError(401, 'unauthenticated', 'Unauthenticated', detail, undefined, {
    'WWW-Authenticate': 'Bearer',
  });

export const forbidden = (detail: string) => new AppError(403, 'forbidden', 'Forbidden', detail);

export const conflict = (detail: string, errors?: FieldError[]) =>
  new AppError(409, 'conflict', 'Conflict', detail, errors);

export const preconditionFailed = (detail = 'The resource changed since you read it; reload and retry.') =>
  new AppError(412, 'precondition_failed', 'Precondition failed', detail);

export const preconditionRequired = () =>
  new AppError(
    428,
    'precondition_required',
    'Precondition required',
    'Send If-Match with the ETag you read, so concurrent edits are not lost.',
  );

export const serviceUnavailable = (code: 'search_unavailable' | 'service_unavailable', detail: string) =>
  new AppError(503, code, 'Service unavailable', detail, undefined, { 'Retry-After': '5' });

/** The database cannot be reached (outage, restart, failover): retry shortly. */
export const databaseUnavailable = () =>
  new AppError(503, 'database_unavailable', 'Service unavailable', 'The database is temporarily unavailable; try again shortly.', undefined, { 'Retry-After': '5' });
