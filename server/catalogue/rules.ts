/**
 * Pure catalogue rules: identifiers, what a collection needs before it can be published, and the
 * transitions between draft, published and withdrawn. Tested without a database.
 */
import type { CollectionFields, PublicationState } from '../../schemas/collection.js';
import { Id, type FieldError } from '../../schemas/common.js';

/** Directory-style id `<providerId>:collection:<xnat project id>`, lower-cased. */
export function collectionIdFor(providerId: string, xnatProjectId: string): string {
  return `${providerId}:collection:${xnatProjectId.toLowerCase()}`;
}

/** Ids live in their provider's namespace, so one provider's ids never collide with another's. */
export function idNamespaceProblem(id: string, providerId: string): FieldError | null {
  return id.startsWith(`${providerId}:`)
    ? null
    : { path: 'id', message: `collection ids start with the provider id: "${providerId}:…"`, code: 'id_namespace' };
}

/** Placeholder description of a record imported without one; publishing needs a real description. */
export const NO_DESCRIPTION = 'No description yet.';

/**
 * The `core` profile (datamodel §8): what a published collection must say so that researchers can
 * judge it. Drafts may be incomplete.
 */
export function publicationProblems(f: CollectionFields): FieldError[] {
  const missing: FieldError[] = [];
  const need = (ok: boolean, path: string, message: string) => {
    if (!ok) missing.push({ path, message, code: 'required_to_publish' });
  };
  need(f.description.trim() !== NO_DESCRIPTION, 'description', 'a description is needed to publish');
  need(f.modalities.length > 0, 'modalities', 'at least one modality is needed to publish');
  need(f.bodyParts.length > 0, 'bodyParts', 'at least one body part is needed to publish');
  need(f.conditions.length > 0, 'conditions', 'at least one condition (or "non-cancer" free text) is needed to publish');
  need(f.subjectsCount !== undefined, 'subjectsCount', 'the number of subjects is needed to publish');
  need(f.accessRights !== undefined, 'accessRights', 'access rights are needed to publish');
  return missing;
}

export type CollectionAction = 'publish' | 'withdraw' | 'delete' | 'edit';

/** Which actions the publication state allows; returns a reason when it does not. */
export function transitionProblem(state: PublicationState, action: CollectionAction): string | null {
  switch (action) {
    case 'publish':
      return state === 'published' ? 'the collection is already published' : null;
    case 'withdraw':
      return state === 'published' ? null : `only published collections can be withdrawn (this one is ${state})`;
    case 'delete':
      return state === 'draft' ? null : 'only drafts can be deleted; withdraw a published collection instead';
    case 'edit':
      return state === 'withdrawn' ? 'a withdrawn collection is a tombstone and cannot be edited; publish it again first' : null;
  }
}

const MAX_REVISION = 2_147_483_647;
/** An If-Match no stored revision can equal. */
export const NO_REVISION = -1;

export const etagOf = (revision: number) => `"${revision}"`;

/** Parse If-Match: `"3"`, `W/"3"` or `*`; undefined when absent or unparseable. */
export function parseIfMatch(header: string | undefined): number | '*' | undefined {
  if (!header) return undefined;
  const h = header.trim();
  if (h === '*') return '*';
  const m = /^(?:W\/)?"(\d+)"$/.exec(h);
  if (!m) return undefined;
  // Revisions are int4: a bigger number can match no revision (412), and must not reach SQL.
  const n = Number(m[1]);
  return n <= MAX_REVISION ? n : NO_REVISION;
}

export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId).toString('base64url');
}
/** Decoding base64url never throws (bad characters are skipped); the id check rejects what is left. */
export function decodeCursor(cursor: string): string | null {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return Id.safeParse(id).success ? id : null;
}

/** The facts of a collection row that decide what outsiders (anonymous readers, harvesters) see. */
export interface ExposureFacts {
  publicationState: string;
  visibility: string;
  doc: unknown;
  withdrawnReason?: string | null;
}

/**
 * What an outsider can see of a record: nothing (draft or private), a tombstone, or the published
 * document. The record datestamp moves exactly when this changes.
 */
export function outsiderView(r: ExposureFacts): unknown {
  if (r.publicationState === 'draft' || r.visibility === 'private') return { hidden: true };
  if (r.publicationState === 'withdrawn') return { withdrawn: true, reason: r.withdrawnReason ?? null };
  return { published: true, visibility: r.visibility, doc: r.doc };
}

/** Datestamp columns for a write from `before` (undefined on create) to `after`, at `now`. */
export function datestampsFor(
  before: (ExposureFacts & { recordDatestamp: Date; exposedAt: Date | null }) | undefined,
  after: ExposureFacts,
  now: Date,
): { recordDatestamp?: Date; exposedAt?: Date } {
  const exposedNow = after.publicationState === 'published' && after.visibility !== 'private';
  const changed = !before || stableJson(outsiderView(before)) !== stableJson(outsiderView(after));
  return {
    ...(changed ? { recordDatestamp: now } : {}),
    ...(exposedNow && !before?.exposedAt ? { exposedAt: now } : {}),
  };
}

/** JSON with object keys sorted: equal values give equal strings. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) // keys are unique: never equal
      : val,
  );
}

/** Top-level fields that differ between two versions of a document (for record histories). */
export function changedFields(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys].filter((k) => stableJson(before?.[k]) !== stableJson(after?.[k])).sort();
}
