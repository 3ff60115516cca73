/**
 * Errors the HTTP edge raises itself (media type, body size, malformed JSON). Verbs throw the
 * domain errors of server/core/errors.ts, re-exported here for edge code; `problem.ts` maps every
 * code to its one status.
 */
import type { FieldError } from '../../schemas/common.js';
import { DomainError } from '../core/errors.js';

export {
  DomainError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  preconditionFailed,
  preconditionRequired,
  serviceUnavailable,
  unauthenticated,
  validationFailed,
} from '../core/errors.js';

export const payloadTooLarge = (detail: string) => new DomainError('payload_too_large', detail);

export const unsupportedMediaType = (detail = 'Send the body as application/json.') => new DomainError('unsupported_media_type', detail);

/** Strings the database cannot store (NUL, unpaired surrogates), with their field paths. */
export const invalidCharacters = (errors: FieldError[]) =>
  new DomainError('invalid_characters', 'Some text contains characters that cannot be stored (NUL or an unpaired UTF-16 surrogate).', errors);

/** The database cannot be reached (outage, restart, failover): retry shortly. */
export const databaseUnavailable = () => new DomainError('database_unavailable', 'The database is temporarily unavailable; try again shortly.');

export const malformedJson = (detail: string) => new DomainError('malformed_json', detail);
