/** Record histories and the audit log's self-check, as the API returns them. */
import { z } from 'zod';

export const CollectionRevision = z.object({
  /** Position in the audit log. */
  seq: z.number().int(),
  at: z.string(),
  actor: z.object({ id: z.string().nullable(), name: z.string().optional() }),
  /** `collection.created`, `collection.updated`, `collection.published`, `collection.withdrawn`. */
  action: z.string(),
  /** The collection's revision (ETag) after the change. */
  revision: z.number().int().optional(),
  publicationState: z.enum(['draft', 'published', 'withdrawn']).optional(),
  /** Top-level fields whose value changed (`publicationState` and `visibility` included). */
  changes: z.array(z.string()),
  /** The reason given, for withdrawals. */
  reason: z.string().optional(),
});
export type CollectionRevision = z.infer<typeof CollectionRevision>;

export const CollectionRevisions = z.object({ items: z.array(CollectionRevision) });

export const AuditVerification = z.object({
  ok: z.boolean(),
  events: z.number().int(),
  firstBroken: z
    .object({
      seq: z.number().int(),
      reason: z.enum(['missing_or_extra_entry', 'prev_hash_mismatch', 'hash_mismatch', 'head_mismatch']),
    })
    .optional(),
});
