/**
 * Bulk import of collection documents (API and CLI). Each record is validated and written in its
 * own transaction, so good records land even when others fail; the report says, per record,
 * created / updated / unchanged / rejected, with field errors and the values kept as free text.
 */
import { freeTextValues } from '../../schemas/coded.js';
import type { CollectionFields } from '../../schemas/collection.js';
import type { FieldError } from '../../schemas/common.js';
import type { ImportRecordReport, ImportReport } from '../../schemas/import.js';
import { findUnstorableStrings } from '../../schemas/storable.js';
import { canEditProvider, canSeeCollection } from '../auth/actor.js';
import { classifyDbError } from '../db/errors.js';
import { unauthenticated } from '../http/errors.js';
import { parseCollectionInput, referenceProblems, rowFields } from './collections.js';
import type { Ctx } from './context.js';
import * as q from './queries.js';
import { collectionIdFor, idNamespaceProblem, publicationProblems } from './rules.js';

export interface ImportOptions {
  publish: boolean;
  dryRun: boolean;
  onProgress?: (done: number, total: number) => void;
}

export async function importCollections(ctx: Ctx, records: unknown[], opts: ImportOptions): Promise<ImportReport> {
  if (ctx.actor.kind !== 'user') throw unauthenticated();
  const reports: ImportRecordReport[] = [];
  for (const [index, raw] of records.entries()) {
    reports.push(await importOne(ctx, index, raw, opts).catch((e: unknown) => failedRecord(index, e)));
    opts.onProgress?.(index + 1, records.length);
  }
  const count = (o: ImportRecordReport['outcome']) => reports.filter((r) => r.outcome === o).length;
  return {
    total: records.length,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    rejected: count('rejected'),
    dryRun: opts.dryRun,
    records: reports,
  };
}

async function importOne(ctx: Ctx, index: number, raw: unknown, opts: ImportOptions): Promise<ImportRecordReport> {
  const rejected = (errors: FieldError[], id?: string): ImportRecordReport => ({
    index,
    ...(id ? { id } : {}),
    outcome: 'rejected',
    errors,
    warnings: [],
    keptAsFreeText: [],
  });
  // Text the database cannot store rejects this record only; the others proceed.
  const unstorable = findUnstorableStrings(raw);
  if (unstorable.length) return rejected(unstorable);
  const parsed = parseCollectionInput(raw);
  if (!parsed.ok) return rejected(parsed.errors);
  const f: CollectionFields = parsed.fields;
  if (!canEditProvider(ctx.actor, f.providerId)) {
    return rejected([{ path: 'providerId', message: 'you do not manage this provider', code: 'forbidden' }]);
  }
  const id = f.id ?? collectionIdFor(f.providerId, f.xnat.projectId);
  const ns = idNamespaceProblem(id, f.providerId);
  if (ns) return rejected([ns]);
  const keptAsFreeText = freeTextValues(f as unknown as Record<string, unknown>);
  const warnings = opts.publish ? publicationProblems(f) : [];
  try {
    return await ctx.db.transaction(async (tx) => {
      const refs = await referenceProblems(tx, ctx, f);
      if (refs.length) return rejected(refs, id);
      const doc = { ...f, id };
      const existing = (await q.getCollectionRow(tx, id)) ?? (await q.findCollectionByXnat(tx, f.providerId, f.xnat.instance, f.xnat.projectId));
      const fields = rowFields(doc);
      const publishNow = opts.publish && warnings.length === 0;
      if (!existing) {
        if (!opts.dryRun) {
          await q.insertCollection(tx, {
            id,
            ...fields,
            publicationState: publishNow ? 'published' : 'draft',
            publishedAt: publishNow ? new Date() : null,
          });
          await q.enqueueIndexUpdate(tx, [id]);
          await q.recordAudit(tx, { actorId: userId(ctx), action: 'collection.imported', entityType: 'collection', entityId: id });
        }
        return { index, id, outcome: 'created', errors: [], warnings, keptAsFreeText };
      }
      // Same provider namespace, so the actor may see it; the check guards future rule changes.
      if (!canSeeCollection(ctx.actor, existing)) return rejected([{ path: 'id', message: 'not allowed' }]);
      if (existing.id !== id) {
        return rejected([{ path: 'xnat.projectId', message: `already catalogued as ${existing.id}` }], id);
      }
      const sameDoc = stableJson(existing.doc) === stableJson(doc);
      const statePlan = publishNow && existing.publicationState === 'draft' ? 'published' : existing.publicationState;
      if (sameDoc && statePlan === existing.publicationState) {
        return { index, id, outcome: 'unchanged', errors: [], warnings: [], keptAsFreeText };
      }
      if (!opts.dryRun) {
        const row = await q.updateCollectionRow(tx, id, existing.revision, {
          ...fields,
          publicationState: statePlan,
          ...(statePlan === 'published' && existing.publicationState !== 'published' ? { publishedAt: new Date() } : {}),
        });
        if (!row) return rejected([{ path: '(root)', message: 'changed by someone else during the import; retry' }], id);
        await q.enqueueIndexUpdate(tx, [id]);
        await q.recordAudit(tx, { actorId: userId(ctx), action: 'collection.imported', entityType: 'collection', entityId: id });
      }
      return { index, id, outcome: 'updated', errors: [], warnings, keptAsFreeText };
    });
  } catch (e) {
    // A constraint race (two imports of the same record) is a per-record failure, not a failed import.
    if (isUniqueViolation(e)) return rejected([{ path: 'id', message: 'written concurrently by another import; retry' }], id);
    throw e;
  }
}

/** A record the database refused for a reason of its own: reported, and the import goes on. */
function failedRecord(index: number, e: unknown): ImportRecordReport {
  const kind = classifyDbError(e);
  const message =
    kind === 'unavailable' ? 'the database was unavailable; retry this record'
    : kind === 'unstorable_text' ? 'contains text that cannot be stored'
    : 'could not be written; retry this record';
  return { index, outcome: 'rejected', errors: [{ path: '(root)', message, code: kind ?? 'write_failed' }], warnings: [], keptAsFreeText: [] };
}

function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : val,
  );
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string; cause?: { code?: string } })?.code ?? (e as { cause?: { code?: string } })?.cause?.code;
  return code === '23505';
}

const userId = (ctx: Ctx) => (ctx.actor.kind === 'user' ? ctx.actor.id : undefined);
