/**
 * Bulk import of collection documents (API, CLI, seed). Each record goes through the same verbs as
 * the single-record API (create / update / publish) in its own short transaction (a savepoint when the
 * caller holds one, as the seed does), so every rule of
 * PUT and publish holds here too, and good records land even when others fail. The report says,
 * per record, created / updated / unchanged / rejected, with the refusal's code and field errors,
 * and the values kept as free text. A dry run runs the same verbs and rolls each record back.
 */
import { freeTextValues } from '../../schemas/coded.js';
import type { FieldError } from '../../schemas/common.js';
import type { ImportRecordReport, ImportReport } from '../../schemas/import.js';
import { findUnstorableStrings } from '../../schemas/storable.js';
import { can } from '../policy/index.js';
import { appendAudit } from '../core/audit.js';
import { withTransaction, type ServiceContext } from '../core/context.js';
import type { Tx } from '../db/client.js';
import { DomainError, unauthenticated } from '../core/errors.js';
import { createCollection, parseCollectionInput, publishCollection, requireEditor, updateCollection } from './collections.js';
import { yieldToEventLoop } from '../core/pace.js';
import { classifyDbError } from '../db/errors.js';
import * as q from './queries.js';
import { collectionIdFor, publicationProblems, stableJson } from './rules.js';
import { blocksPublishing, mergeWarnings, repairImportRecord, stillDraftWarning, vocabularyOutcome } from './import-repair.js';
import { datasetKeys } from '../../schemas/dataset-key.js';

export interface ImportOptions {
  publish: boolean;
  dryRun: boolean;
  onProgress?: (done: number, total: number) => void;
}

export async function importCollections(ctx: ServiceContext, records: unknown[], opts: ImportOptions): Promise<ImportReport> {
  if (ctx.actor.kind !== 'user') throw unauthenticated();
  const reports: ImportRecordReport[] = [];
  for (const [index, raw] of records.entries()) {
    reports.push(await importOne(ctx, index, raw, opts).catch((e: unknown) => failedRecord(ctx, index, e)));
    opts.onProgress?.(index + 1, records.length);
    // One record per step (its own short transaction), then let other requests in (core/pace.ts).
    await yieldToEventLoop();
  }
  const count = (o: ImportRecordReport['outcome']) => reports.filter((r) => r.outcome === o).length;
  const report: ImportReport = {
    total: records.length,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    rejected: count('rejected'),
    drafts: reports.filter(
      (r) => r.outcome !== 'rejected' && (blocksPublishing(r.warnings) || r.warnings.some((w) => w.code === 'still_unpublished')),
    ).length,
    dryRun: opts.dryRun,
    records: reports,
  };
  if (!opts.dryRun) {
    const { records: _r, ...counts } = report;
    await appendAudit(ctx, {
      action: 'import.completed',
      entityType: 'import',
      entityId: ctx.requestId,
      data: { ...counts, publish: opts.publish },
    });
  }
  return report;
}

/** Thrown to roll back a dry-run record after the verbs ran; carries the report it would have had. */
class DryRun {
  constructor(readonly report: ImportRecordReport) {}
}

async function importOne(ctx: ServiceContext, index: number, raw: unknown, opts: ImportOptions): Promise<ImportRecordReport> {
  // Text the database cannot store rejects this record only; the others proceed.
  const unstorable = findUnstorableStrings(raw);
  if (unstorable.length)
    return rejected(index, undefined, new DomainError('invalid_characters', 'The record contains text that cannot be stored.', unstorable));
  // Keep what can be kept: repair clear intents, drop invalid optional fields with a warning (import-repair.ts).
  const repaired = repairImportRecord(raw);
  const parsed = parseCollectionInput(repaired.doc);
  if (!parsed.ok) return rejected(index, undefined, new DomainError('validation_failed', 'The record has invalid fields.', parsed.errors));
  const f = parsed.fields;
  const id = f.id ?? collectionIdFor(f.providerId, f.xnat.projectId);
  const doc = { ...f, id };
  const keptAsFreeText = freeTextValues(f as unknown as Record<string, unknown>);
  const extras = { keptAsFreeText, ...vocabularyOutcome(f, keptAsFreeText) };
  const warnings = mergeWarnings(repaired.warnings, opts.publish ? publicationProblems(f) : []);
  const publishNow = opts.publish && !blocksPublishing(warnings);
  let sameDataset: ImportRecordReport['sameDataset'] = [];
  const done = (outcome: ImportRecordReport['outcome'], stillDraft = false): ImportRecordReport => ({
    index,
    id,
    outcome,
    errors: [],
    warnings: mergeWarnings(stillDraft ? [stillDraftWarning()] : [], warnings),
    ...extras,
    sameDataset,
  });
  try {
    return await recordTransaction(ctx, async (tx) => {
      // A record the actor may not see is treated as new: the create verb then refuses it exactly
      // as it would any record of a provider they do not manage, without telling that it exists.
      const found = await q.getCollectionRow(tx.db, id);
      const existing = found && can(tx.actor, 'view', found) ? found : undefined;
      // Same dataset, other provider (same DOI or landing page), among the collections the actor may see.
      sameDataset = (await q.sameDatasetRows(tx.db, datasetKeys(f), f.providerId, tx.actor)).map((r) => ({
        id: r.id,
        title: r.title,
        providerId: r.providerId,
        match: 'same DOI or landing page',
      }));
      let report: ImportRecordReport;
      if (!existing) {
        await createCollection(tx, doc, { publish: publishNow });
        report = done('created');
      } else {
        // Even a no-op is reported only to those who may write the record.
        requireEditor(tx, existing.providerId);
        const sameDoc = stableJson(existing.doc) === stableJson(doc);
        const publish = publishNow && existing.publicationState === 'draft';
        const stillDraft = existing.publicationState === 'draft' && !publish;
        if (sameDoc && !publish) return done('unchanged', stillDraft);
        if (!sameDoc) await updateCollection(tx, id, doc, existing.revision);
        if (publish) await publishCollection(tx, id);
        report = done('updated', existing.publicationState === 'draft' && !publish);
      }
      if (opts.dryRun) throw new DryRun(report);
      return report;
    });
  } catch (e) {
    if (e instanceof DryRun) return e.report;
    if (e instanceof DomainError) return rejected(index, id, e);
    throw e;
  }
}

/**
 * Each record commits or rolls back on its own: its own transaction, or, when the caller already
 * opened one (the seed writes everything in one), a savepoint inside it.
 */
function recordTransaction<T>(ctx: ServiceContext, fn: (tx: ServiceContext) => Promise<T>): Promise<T> {
  if (!ctx.inTransaction) return withTransaction(ctx, fn);
  return (ctx.db as Tx).transaction((tx) => fn({ ...ctx, db: tx }));
}

function rejected(index: number, id: string | undefined, e: DomainError): ImportRecordReport {
  const errors: FieldError[] = e.errors?.length ? e.errors : [{ path: '(root)', message: e.message, code: e.code }];
  return {
    index,
    ...(id ? { id } : {}),
    outcome: 'rejected',
    code: e.code,
    errors,
    warnings: [],
    keptAsFreeText: [],
    mapped: 0,
    groupedOnly: [],
    notUnderstood: [],
    sameDataset: [],
  };
}

/** A record that failed for a reason of the database's or ours: reported, and the import goes on. */
function failedRecord(ctx: ServiceContext, index: number, e: unknown): ImportRecordReport {
  const kind = classifyDbError(e);
  if (kind === 'unavailable')
    return rejected(index, undefined, new DomainError('database_unavailable', 'The database was unavailable; retry this record.'));
  if (kind === 'unstorable_text')
    return rejected(index, undefined, new DomainError('invalid_characters', 'The record contains text that cannot be stored.'));
  if (kind === 'unique_violation')
    return rejected(index, undefined, new DomainError('conflict', 'Written concurrently by another request; retry this record.'));
  ctx.log.error({ err: e, index, requestId: ctx.requestId }, 'import: record failed unexpectedly');
  return rejected(index, undefined, new DomainError('internal_error', 'The record could not be written; it has been logged.'));
}
