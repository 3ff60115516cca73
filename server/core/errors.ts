/**
 * Domain errors: what verbs throw or return. They know nothing of HTTP; the edge
 * (server/http/problem.ts) maps each code to one status through a single table.
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
