/**
 * Domain errors: what verbs throw or return. They know nothing of HTTP; the edge
 * (server/http/problem.ts) maps each code to one status through a single table.
 * Details are written for API clients: never put internals (SQL, stack, paths) in them.
 */
import type { ErrorCode, FieldError } from '../../schemas/common.js';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
  }
}

/** A workflow rule's answer: the events to apply, or why the command is refused. */
export type Decision<E> = { ok: true; events: E[] } | { ok: false; code: ErrorCode; detail: string; errors?: FieldError[] };

export const badRequest = (detail: string, errors?: FieldError[]) => new DomainError('bad_request', detail, errors);

export const validationFailed = (errors: FieldError[], detail = 'The request has invalid fields.') =>
  new DomainError('validation_failed', detail, errors);

/** Used both for "does not exist" and "exists but you may not know": never confirm existence. */
export const notFound = (what = 'resource') => new DomainError('not_found', `No such ${what}.`);

export const unauthenticated = (detail = 'Sign in to do this.') => new DomainError('unauthenticated', detail);

export const forbidden = (detail: string, errors?: FieldError[]) => new DomainError('forbidden', detail, errors);

export const conflict = (detail: string, errors?: FieldError[]) => new DomainError('conflict', detail, errors);

export const preconditionFailed = (detail = 'The resource changed since you read it; reload and retry.') =>
  new DomainError('precondition_failed', detail);

export const preconditionRequired = () =>
  new DomainError('precondition_required', 'Send If-Match with the ETag you read, so concurrent edits are not lost.');

/** The database stopped answering while a change was being committed: it may or may not be saved. */
export const outcomeUnknown = () =>
  new DomainError(
    'outcome_unknown',
    'The database stopped answering while this change was being committed: it may have been saved. Read it back before retrying.',
  );

export const serviceUnavailable = (code: 'search_unavailable' | 'service_unavailable', detail: string) => new DomainError(code, detail);

/** PostgreSQL unique_violation (23505), whether thrown by the driver directly or wrapped by drizzle. */
export function isUniqueViolation(e: unknown): boolean {
  for (
    let cur = e as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    cur && depth < 4;
    cur = cur.cause as typeof cur, depth++
  ) {
    if (cur.code === '23505') return true;
  }
  return false;
}

/** A create that lost a race against a concurrent one: the same answer as the explicit existence check. */
export const uniqueConflict = () => conflict('A record with this identity already exists (written concurrently); reload and retry.');
