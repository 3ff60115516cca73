/** The single place where errors become RFC 9457 `application/problem+json` responses. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ErrorCode, FieldError, Problem } from '../../schemas/common.js';
import { DomainError } from '../core/errors.js';
import { AppError } from './errors.js';

/** The one table from a domain error's code to its HTTP status and title. */
const DOMAIN_STATUS: Partial<Record<ErrorCode, [number, string]>> = {
  bad_request: [400, 'Bad request'],
  validation_failed: [422, 'Validation failed'],
  unauthenticated: [401, 'Unauthenticated'],
  forbidden: [403, 'Forbidden'],
  not_found: [404, 'Not found'],
  conflict: [409, 'Conflict'],
  precondition_failed: [412, 'Precondition failed'],
  payload_too_large: [413, 'Payload too large'],
  illegal_transition: [409, 'Illegal transition'],
  not_requestable: [409, 'Not requestable'],
  cart_empty: [409, 'Cart empty'],
  form_incomplete: [422, 'Form incomplete'],
  attachment_refused: [415, 'Attachment refused'],
  service_unavailable: [503, 'Service unavailable'],
};

export const domainStatus = (code: ErrorCode): [number, string] => DOMAIN_STATUS[code] ?? [500, 'Internal server error'];

export const PROBLEM_TYPE_BASE = 'https://dicom-miabis.org/problems/';

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

export function problemResponse(c: Context, p: Problem, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { 'content-type': 'application/problem+json', ...(headers ?? {}) },
  });
}

export function handleError(err: unknown, c: Context, log: (msg: string, e: unknown) => void): Response {
  const requestId = c.get('requestId') as string | undefined;
  const instance = new URL(c.req.url).pathname;
  if (err instanceof AppError) {
    return problemResponse(
      c,
      problemBody(err.status, err.code, err.title, err.message, err.errors, requestId, instance),
      err.headers,
    );
  }
  if (err instanceof DomainError) {
    const [status, title] = domainStatus(err.code);
    const headers: Record<string, string> | undefined = status === 401 ? { 'WWW-Authenticate': 'Bearer' } : undefined;
    return problemResponse(c, problemBody(status, err.code, title, err.message, err.errors, requestId, instance), headers);
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
    problemBody(500, 'internal_error', 'Internal server error', 'Something went wrong on our side; it has been logged.', undefined, requestId, instance),
  );
}
