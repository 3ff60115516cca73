/**
 * The single place where errors become RFC 9457 `application/problem+json` responses, and the one
 * table from domain error codes to HTTP statuses.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ErrorCode, FieldError, Problem } from '../../schemas/common.js';
import { DomainError, uniqueConflict } from '../core/errors.js';
import { classifyDbError } from '../db/errors.js';
import { databaseUnavailable, invalidCharacters } from './errors.js';

export const PROBLEM_TYPE_BASE = 'https://dicom-miabis.org/problems/';

/** Every error code's status, title and the headers the status calls for. */
export const PROBLEM_STATUS: Record<ErrorCode, { status: number; title: string; headers?: Record<string, string> }> = {
  bad_request: { status: 400, title: 'Bad request' },
  malformed_json: { status: 400, title: 'Malformed JSON' },
  unauthenticated: { status: 401, title: 'Unauthenticated', headers: { 'WWW-Authenticate': 'Bearer' } },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  not_acceptable: { status: 406, title: 'Not acceptable' },
  conflict: { status: 409, title: 'Conflict' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  validation_failed: { status: 422, title: 'Validation failed' },
  invalid_characters: { status: 422, title: 'Invalid characters' },
  precondition_required: { status: 428, title: 'Precondition required' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  search_unavailable: { status: 503, title: 'Service unavailable', headers: { 'Retry-After': '5' } },
  service_unavailable: { status: 503, title: 'Service unavailable', headers: { 'Retry-After': '5' } },
  database_unavailable: { status: 503, title: 'Service unavailable', headers: { 'Retry-After': '5' } },
  // No Retry-After: a blind retry could apply the change twice; read it back first.
  outcome_unknown: { status: 503, title: 'Outcome unknown' },
  illegal_transition: { status: 409, title: 'Illegal transition' },
  not_requestable: { status: 409, title: 'Not requestable' },
  cart_empty: { status: 409, title: 'Cart empty' },
  form_incomplete: { status: 422, title: 'Form incomplete' },
  attachment_refused: { status: 415, title: 'Attachment refused' },
};

export const statusOf = (code: ErrorCode) => PROBLEM_STATUS[code].status;

export function problemBody(
  status: number,
  code: ErrorCode,
  title: string,
  detail?: string,
  errors?: FieldError[],
  requestId?: string,
  instance?: string,
): Problem {
  return {
    type: `${PROBLEM_TYPE_BASE}${code.replaceAll('_', '-')}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    ...(instance ? { instance } : {}),
    code,
    ...(errors && errors.length ? { errors } : {}),
    ...(requestId ? { requestId } : {}),
  };
}

/** The problem body of a domain error (also used to report per-record refusals, e.g. in imports). */
export function domainProblem(err: DomainError, requestId?: string, instance?: string): Problem {
  const s = PROBLEM_STATUS[err.code];
  return problemBody(s.status, err.code, s.title, err.message, err.errors, requestId, instance);
}

export function problemResponse(c: Context, p: Problem, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    // Every error carries the request id, so a user's report can be matched with our log.
    headers: { 'content-type': 'application/problem+json', ...(p.requestId ? { 'X-Request-Id': p.requestId } : {}), ...(headers ?? {}) },
  });
}

export function handleError(error: unknown, c: Context, log: (msg: string, e: unknown) => void): Response {
  const requestId = c.get('requestId') as string | undefined;
  const instance = new URL(c.req.url).pathname;
  const err = error instanceof DomainError ? error : fromDatabaseError(error);
  if (err instanceof DomainError) {
    return problemResponse(c, domainProblem(err, requestId, instance), PROBLEM_STATUS[err.code].headers);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code: ErrorCode =
      status === 413 ? 'payload_too_large' : status === 401 ? 'unauthenticated' : status === 404 ? 'not_found' : 'bad_request';
    const title = status === 413 ? 'Payload too large' : status === 401 ? 'Unauthenticated' : 'Bad request';
    return problemResponse(c, problemBody(status, code, title, undefined, undefined, requestId, instance));
  }
  // Unknown: log the cause with the request id, answer without internals.
  log(`unhandled error in ${c.req.method} ${instance} [${requestId}]`, err);
  return problemResponse(
    c,
    problemBody(
      500,
      'internal_error',
      'Internal server error',
      'Something went wrong on our side; it has been logged.',
      undefined,
      requestId,
      instance,
    ),
  );
}

/**
 * Database errors that are not our bug: an outage (503), a create that raced past the verb's own
 * check into a unique index (409, the same conflict), text the database cannot store (422).
 */
function fromDatabaseError(e: unknown): unknown {
  switch (classifyDbError(e)) {
    case 'unavailable':
      return databaseUnavailable();
    case 'unique_violation':
      return uniqueConflict();
    case 'unstorable_text':
      return invalidCharacters([]);
    default:
      return e;
  }
}
