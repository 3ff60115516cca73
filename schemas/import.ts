/** Bulk import: a JSON list of collection documents in, a per-record report out. */
import { z } from 'zod';
import { ErrorCode, FieldError } from './common.js';

export const ImportRequest = z.object({
  /** Collection documents in our model (`CollectionInput`); each is validated on its own. */
  collections: z.array(z.unknown()).min(1).max(5000),
  /** Publish imported records straight away (default) or keep them as drafts. */
  publish: z.boolean().default(true),
  /** Check only: validate and report, write nothing. */
  dryRun: z.boolean().default(false),
});
export type ImportRequest = z.input<typeof ImportRequest>;

export const ImportOutcome = z.enum(['created', 'updated', 'unchanged', 'rejected']);

export const ImportRecordReport = z.object({
  index: z.number().int(),
  id: z.string().optional(),
  outcome: ImportOutcome,
  /** Why a rejected record was refused: the same code (and HTTP status) the single-record API gives. */
  code: ErrorCode.optional(),
  errors: z.array(FieldError).default([]),
  /** Imported, but kept as a draft because publishing needs these fields. */
  warnings: z.array(FieldError).default([]),
  /** Values no vocabulary term fits, kept verbatim as free text (= groupedOnly + notUnderstood). */
  keptAsFreeText: z.array(z.object({ path: z.string(), value: z.string() })).default([]),
  /** Number of values mapped to a vocabulary code. */
  mapped: z.number().int().default(0),
  /** Cancer types kept as text that still got a cancer-site group (no ICD-10 code was safe). */
  groupedOnly: z.array(z.object({ path: z.string(), value: z.string(), groups: z.array(z.string()) })).default([]),
  /** Values nothing understood, kept verbatim. */
  notUnderstood: z.array(z.object({ path: z.string(), value: z.string() })).default([]),
  /** Other collections (other providers) that describe the same dataset: same DOI or landing page. */
  sameDataset: z.array(z.object({ id: z.string(), title: z.string(), providerId: z.string(), match: z.string() })).default([]),
});
export type ImportRecordReport = z.infer<typeof ImportRecordReport>;

export const ImportReport = z.object({
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  /** Imported records that are (still) drafts: publish them when they are complete. */
  drafts: z.number().int().default(0),
  dryRun: z.boolean(),
  records: z.array(ImportRecordReport),
});
export type ImportReport = z.infer<typeof ImportReport>;
