/** The single place where errors become RFC 9457 `application/problem+json` responses. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ErrorCode, FieldError, Problem } from '../../schemas/common.js';
import { classifyDbError } from '../db/errors.js';
import { AppError, conflict, databaseUnavailable, invalidCharacters } from './errors.js';

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
    // Every error carries the request id, so a user's report can be matched with our log.
    headers: { 'content-type': 'application/problem+json', ...(p.requestId ? { 'X-Request-Id': p.requestId } : {}), ...(headers ?? {}) },
  });
}

export function handleError(error: unknown, c: Context, log: (msg: string, e: unknown) => void): Response {
  const requestId = c.get('requestId') as string | undefined;
  const instance = new URL(c.req.url).pathname;
  const err = fromDatabaseError(error);
  if (err instanceof AppError) {
    return problemResponse(
      c,
      problemBody(err.status, err.code, err.title, err.message, err.errors, requestId, instance),
      err.headers,
    );
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

/** Database errors that are not our bug: an outage (503), a lost create race (409), unstorable text (422). */
function fromDatabaseError(e: unknown): unknown {
  switch (classifyDbError(e)) {
    case 'unavailable':
      return databaseUnavailable();
    case 'unique_violation':
      return conflict('It was created or changed concurrently by another request; reload and retry.');
    case 'unstorable_text':
      return invalidCharacters([]);
    default:
      return e;
  }
}
