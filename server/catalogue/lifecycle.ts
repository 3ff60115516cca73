/**
 * The collection lifecycle as one pure decision: given the current publication state and a command,
 * either the events to apply or why the command is refused (a value, not an exception; the verbs
 * throw it as a DomainError and the edge maps its code to 409 / 422). Import, the API and every
 * future writer reach these rules through the same verbs.
 */
import type { CollectionFields, PublicationState } from '../../schemas/collection.js';
import type { Decision } from '../core/errors.js';
import { publicationProblems, transitionProblem } from './rules.js';

export type CollectionCommand =
  | { type: 'create'; fields: CollectionFields; publish: boolean }
  /** Without fields (edit, publish): does the state allow it at all (checked before anything is read). */
  | { type: 'edit'; fields?: CollectionFields }
  | { type: 'publish'; fields?: CollectionFields }
  | { type: 'withdraw'; reason?: string }
  | { type: 'delete' };

export type CollectionEvent =
  | { type: 'created'; state: 'draft' | 'published' }
  | { type: 'edited' }
  | { type: 'published' }
  | { type: 'withdrawn'; reason: string }
  | { type: 'deleted' };

const refuse = (
  code: 'conflict' | 'validation_failed',
  detail: string,
  errors?: ReturnType<typeof publicationProblems>,
): Decision<CollectionEvent> => ({
  ok: false,
  code,
  detail,
  ...(errors ? { errors } : {}),
});

/** `state` is undefined for a record that does not exist yet (create). */
export function decide(state: PublicationState | undefined, cmd: CollectionCommand): Decision<CollectionEvent> {
  if (cmd.type === 'create') {
    if (cmd.publish) {
      const missing = publicationProblems(cmd.fields);
      if (missing.length) return refuse('validation_failed', 'The collection cannot be published yet.', missing);
    }
    return { ok: true, events: [{ type: 'created', state: cmd.publish ? 'published' : 'draft' }] };
  }
  const blocked = transitionProblem(state ?? 'draft', cmd.type);
  if (blocked) return refuse('conflict', blocked);
  switch (cmd.type) {
    case 'edit': {
      const missing = cmd.fields && state === 'published' ? publicationProblems(cmd.fields) : [];
      if (missing.length) return refuse('validation_failed', 'A published collection must stay complete.', missing);
      return { ok: true, events: [{ type: 'edited' }] };
    }
    case 'publish': {
      const missing = cmd.fields ? publicationProblems(cmd.fields) : [];
      if (missing.length) return refuse('validation_failed', 'The collection cannot be published yet.', missing);
      return { ok: true, events: [{ type: 'published' }] };
    }
    case 'withdraw':
      return { ok: true, events: [{ type: 'withdrawn', reason: cmd.reason ?? '' }] };
    case 'delete':
      return { ok: true, events: [{ type: 'deleted' }] };
  }
}
