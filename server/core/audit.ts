/**
 * The audit log: one append-only, hash-chained record of every write of every module
 * (docs/adr/0005-audit-log.md). Verbs call `appendAudit` with the context of their transaction, so
 * the entry commits or rolls back with the change. Appends are serialised by locking the chain
 * head row; each entry stores SHA-256 over the canonical JSON of its content and the previous hash.
 */
import { createHash } from 'node:crypto';
import type { Db, DbOrTx } from '../db/client.js';
import { withTransaction, type ServiceContext } from './context.js';
import * as q from './audit-queries.js';

export interface AuditEntry {
  /** `<entity>.<verb>`, e.g. `collection.published`, `request.submitted`, `xnat.grant.confirmed`. */
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  /** Anything else worth keeping (reason, request id of a related entity, …). */
  data?: unknown;
}

/** What the chain hashes: every column but the physical row id and the hash itself. */
export interface ChainedEntry {
  seq: number;
  at: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  data: unknown;
  requestId: string | null;
  prevHash: string;
}

export interface AuditRecord extends Omit<ChainedEntry, 'prevHash'> {
  hash: string;
}

/**
 * Canonical JSON (the RFC 8785 shape): object keys sorted by UTF-16 code units, no whitespace,
 * numbers and strings as ECMAScript JSON writes them, `undefined` members left out.
 */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export const hashEntry = (e: ChainedEntry) => createHash('sha256').update(canonicalJson(e), 'utf8').digest('hex');

/** The JSON value as the database will give it back (Dates as ISO strings, no undefined). */
const asJson = (v: unknown): unknown => (v === undefined ? null : JSON.parse(JSON.stringify(v)));

export async function appendAudit(ctx: ServiceContext, e: AuditEntry): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const head = await q.lockHead(tx.db);
    const entry: ChainedEntry = {
      seq: head.seq + 1,
      at: tx.now().toISOString(),
      actorId: 'id' in tx.actor && typeof tx.actor.id === 'string' ? tx.actor.id : null,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      before: asJson(e.before),
      after: asJson(e.after),
      data: asJson(e.data),
      requestId: tx.requestId || null,
      prevHash: head.hash,
    };
    await q.insertEntry(tx.db, { ...entry, at: new Date(entry.at), hash: hashEntry(entry) });
  });
}

const toChained = (r: q.AuditRow): ChainedEntry => ({
  seq: r.seq,
  at: r.at.toISOString(),
  actorId: r.actorId,
  action: r.action,
  entityType: r.entityType,
  entityId: r.entityId,
  before: r.before ?? null,
  after: r.after ?? null,
  data: r.data ?? null,
  requestId: r.requestId,
  prevHash: r.prevHash,
});

/** The entries about one entity, oldest first (record histories). */
export async function readAudit(ctx: ServiceContext, f: { entityType: string; entityId: string }): Promise<AuditRecord[]> {
  const rows = await q.entriesOf(ctx.db, f.entityType, f.entityId);
  return rows.map((r) => {
    const { prevHash: _p, ...rest } = toChained(r);
    return { ...rest, hash: r.hash };
  });
}

export type BrokenReason = 'missing_or_extra_entry' | 'prev_hash_mismatch' | 'hash_mismatch' | 'head_mismatch';
export interface AuditVerification {
  ok: boolean;
  /** Entries checked. */
  events: number;
  /** The first link that does not hold: the seq where the chain breaks, and how. */
  firstBroken?: { seq: number; reason: BrokenReason };
}

/**
 * Walk the chain from the start: positions must run 1, 2, 3 …, each entry must name the hash of
 * the one before and hash to its own stored hash, and the last must be the recorded head. It reads
 * one snapshot (repeatable read), so appends committing meanwhile neither break nor extend it.
 */
export async function verifyAudit(ctx: Pick<ServiceContext, 'db'>, opts: { pageSize?: number } = {}): Promise<AuditVerification> {
  return (ctx.db as Db).transaction((tx) => verifyChain(tx, opts.pageSize ?? 1000), {
    isolationLevel: 'repeatable read',
    accessMode: 'read only',
  });
}

async function verifyChain(db: DbOrTx, pageSize: number): Promise<AuditVerification> {
  const head = (await q.readHead(db)) ?? { seq: -1, hash: '' };
  let expectedSeq = 1;
  let prevHash = q.GENESIS_HASH;
  let events = 0;
  const broken = (seq: number, reason: BrokenReason): AuditVerification => ({ ok: false, events, firstBroken: { seq, reason } });
  for (let after = 0; ;) {
    const page = await q.pageOfEntries(db, after, pageSize);
    for (const r of page) {
      events++;
      if (r.seq !== expectedSeq) return broken(Math.min(r.seq, expectedSeq), 'missing_or_extra_entry');
      if (r.prevHash !== prevHash) return broken(r.seq, 'prev_hash_mismatch');
      if (hashEntry(toChained(r)) !== r.hash) return broken(r.seq, 'hash_mismatch');
      prevHash = r.hash;
      expectedSeq++;
    }
    if (page.length < pageSize) break;
    after = page.at(-1)!.seq;
  }
  // The head names the last entry: a removed tail, or an entry added behind the log's back, shows here.
  if (head.seq !== expectedSeq - 1 || head.hash !== prevHash) return broken(Math.min(head.seq, expectedSeq - 1) + 1, 'head_mismatch');
  return { ok: true, events };
}
