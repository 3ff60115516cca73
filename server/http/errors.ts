/**
 * Errors the HTTP edge raises itself (media type, body size, malformed JSON). Verbs throw the
 * domain errors of server/core/errors.ts, re-exported here for edge code; `problem.ts` maps every
 * code to its one status.
 */
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

export const malformedJson = (detail: string) => new DomainError('malformed_json', detail);
