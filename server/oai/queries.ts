/**
 * The only place the OAI / DCAT export touches the database. Harvest pages come from one keyset query
 * over (record_datestamp, id) each, so memory is bounded by the page size, not the catalogue.
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { collection, provider } from '../db/schema.js';
import type { SetFilter } from './protocol.js';

/**
 * What outsiders may ever have seen: live now (published, not private) or exposed before (then a
 * deleted record). Drafts and never-exposed private rows do not exist for harvesters. "Live now"
 * also counts rows whose exposed_at was not stamped (older writers), so a live record is never missed.
 */
const live = sql`(${collection.publicationState} = 'published' and ${collection.visibility} <> 'private')`;
export const harvestable = sql`(${collection.exposedAt} is not null or ${live})`;
const notPrivate = sql`${collection.visibility} <> 'private'`;

/** Same rule as `setSpecsOf` (records.ts): private (deleted) records keep only their provider set. */
export function setCondition(f: SetFilter): SQL | undefined {
  switch (f.kind) {
    case 'provider':
      return f.value === undefined ? undefined : eq(collection.providerId, f.value);
    case 'network':
      return and(
        notPrivate,
        f.value === undefined
          ? sql`jsonb_array_length(coalesce(${collection.doc}->'networkIds', '[]'::jsonb)) > 0`
          : sql`${collection.doc} @> ${JSON.stringify({ networkIds: [f.value] })}::jsonb`,
      );
    case 'modality':
      return and(
        notPrivate,
        f.value === undefined
          ? sql`jsonb_path_exists(${collection.doc}, '$.modalities[*] ? (@.system == "DCM" && exists(@.code))')`
          : sql`${collection.doc} @> ${JSON.stringify({ modalities: [{ system: 'DCM', code: f.value }] })}::jsonb`,
      );
    case 'cancer-site':
      return and(
        notPrivate,
        f.value === undefined
          ? sql`jsonb_array_length(coalesce(${collection.derived}->'cancerSiteGroups', '[]'::jsonb)) > 0`
          : sql`${collection.derived} @> ${JSON.stringify({ cancerSiteGroups: [f.value] })}::jsonb`,
      );
  }
}

export interface HarvestQuery {
  from?: Date;
  untilExclusive: Date;
  set?: SetFilter;
  /** Keyset position: datestamp (UTC, microseconds, no zone) and id of the last record sent. */
  after?: [string, string];
  /** Live records only (the DCAT catalogue), no deleted ones. */
  liveOnly?: boolean;
}

function where(q: HarvestQuery): SQL | undefined {
  return and(
    q.liveOnly ? live : harvestable,
    q.from ? sql`${collection.recordDatestamp} >= ${q.from.toISOString()}::timestamptz` : undefined,
    sql`${collection.recordDatestamp} < ${q.untilExclusive.toISOString()}::timestamptz`,
    q.set ? setCondition(q.set) : undefined,
    q.after
      ? // `::text` first: the parameter then goes as text with every driver (a timestamp-typed one may pass
        // through a JS Date and lose the microseconds, repeating a row).
        sql`(${collection.recordDatestamp}, ${collection.id}) > ((${q.after[0]}::text::timestamp at time zone 'UTC'), ${q.after[1]}::text)`
      : undefined,
  );
}

// The keyset datestamp is read as text: a JS Date would drop the microseconds and repeat a row.
const dsText = sql<string>`to_char(${collection.recordDatestamp} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

const headerColumns = {
  id: collection.id,
  providerId: collection.providerId,
  visibility: collection.visibility,
  publicationState: collection.publicationState,
  ds: dsText,
  networkIds: sql<string[] | null>`${collection.doc}->'networkIds'`,
  modalities: sql<{ system?: string; code?: string }[] | null>`${collection.doc}->'modalities'`,
  cancerSiteGroups: sql<string[] | null>`${collection.derived}->'cancerSiteGroups'`,
};
export interface HeaderRow {
  id: string;
  providerId: string;
  visibility: string;
  publicationState: string;
  ds: string;
  networkIds: string[] | null;
  modalities: { system?: string; code?: string }[] | null;
  cancerSiteGroups: string[] | null;
}

const recordColumns = {
  ...headerColumns,
  title: collection.title,
  doc: collection.doc,
  derived: collection.derived,
  createdAt: collection.createdAt,
  modifiedAt: collection.modifiedAt,
  publishedAt: collection.publishedAt,
  withdrawnAt: collection.withdrawnAt,
  withdrawnReason: collection.withdrawnReason,
  revision: collection.revision,
  // What the payloads need of related rows, in the same query (no extra round trips per page).
  providerName: provider.name,
  providerDoc: provider.doc,
  networks: sql<Record<
    string,
    { name: string; url?: string }
  > | null>`(select jsonb_object_agg(n.id, jsonb_build_object('name', n.name, 'url', n.doc->'url'))
    from network n where n.id in (select jsonb_array_elements_text(coalesce(${collection.doc}->'networkIds', '[]'::jsonb))))`,
  contacts: sql<Record<string, Record<string, unknown>> | null>`(select jsonb_object_agg(ct.id, ct.doc)
    from contact ct where ct.provider_id = ${collection.providerId}
    and ct.id in (select x->>'contactId' from jsonb_array_elements(coalesce(${collection.doc}->'contacts', '[]'::jsonb)) x))`,
};
export type RecordRow = HeaderRow & {
  title: string;
  doc: unknown;
  derived: unknown;
  createdAt: Date;
  modifiedAt: Date;
  publishedAt: Date | null;
  withdrawnAt: Date | null;
  withdrawnReason: string | null;
  revision: number;
  providerName: string;
  providerDoc: unknown;
  networks: Record<string, { name: string; url?: string }> | null;
  contacts: Record<string, Record<string, unknown>> | null;
};

export async function countHarvest(db: DbOrTx, q: HarvestQuery): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(collection)
    .where(where(q));
  return Number(r?.n ?? 0);
}

export async function headerPage(db: DbOrTx, q: HarvestQuery, limit: number): Promise<HeaderRow[]> {
  return db
    .select(headerColumns)
    .from(collection)
    .where(where(q))
    .orderBy(asc(collection.recordDatestamp), asc(collection.id))
    .limit(limit) as Promise<HeaderRow[]>;
}

export async function recordPage(db: DbOrTx, q: HarvestQuery, limit: number): Promise<RecordRow[]> {
  return db
    .select(recordColumns)
    .from(collection)
    .innerJoin(provider, eq(provider.id, collection.providerId))
    .where(where(q))
    .orderBy(asc(collection.recordDatestamp), asc(collection.id))
    .limit(limit) as Promise<RecordRow[]>;
}

export async function harvestableRecord(db: DbOrTx, id: string): Promise<RecordRow | undefined> {
  const [r] = await db
    .select(recordColumns)
    .from(collection)
    .innerJoin(provider, eq(provider.id, collection.providerId))
    .where(and(harvestable, eq(collection.id, id)));
  return r as RecordRow | undefined;
}

/** Lower bound of every datestamp a harvester can see (deleted records included). */
export async function earliestDatestamp(db: DbOrTx): Promise<Date | null> {
  const [r] = await db
    .select({ t: sql<string | null>`to_char(min(${collection.recordDatestamp}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')` })
    .from(collection)
    .where(harvestable);
  return r?.t ? new Date(r.t) : null;
}

/** Newest datestamp of a live record (the catalogue's dct:modified). */
export async function latestLiveDatestamp(db: DbOrTx): Promise<Date | null> {
  const [r] = await db
    .select({ t: sql<string | null>`to_char(max(${collection.recordDatestamp}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')` })
    .from(collection)
    .where(live);
  return r?.t ? new Date(r.t) : null;
}

export async function liveRecord(db: DbOrTx, id: string): Promise<RecordRow | undefined> {
  const [r] = await db
    .select(recordColumns)
    .from(collection)
    .innerJoin(provider, eq(provider.id, collection.providerId))
    .where(and(live, eq(collection.id, id)));
  return r as RecordRow | undefined;
}

/** The sets that have members (ListSets); the same rules as the headers. */
export async function setMembers(db: DbOrTx) {
  const rows = await db.execute<{ kind: string; value: string; name: string | null }>(sql`
    select distinct 'provider' as kind, collection.provider_id as value, provider.name as name
      from collection join provider on provider.id = collection.provider_id where ${harvestable}
    union
    select distinct 'network', n.value, network.name
      from collection cross join lateral jsonb_array_elements_text(coalesce(collection.doc->'networkIds', '[]'::jsonb)) n(value)
      left join network on network.id = n.value
      where ${harvestable} and ${notPrivate}
    union
    select distinct 'modality', m->>'code', null
      from collection cross join lateral jsonb_array_elements(coalesce(collection.doc->'modalities', '[]'::jsonb)) m
      where ${harvestable} and ${notPrivate} and m->>'system' = 'DCM' and m->>'code' is not null
    union
    select distinct 'cancer-site', s.value, null
      from collection cross join lateral jsonb_array_elements_text(coalesce(collection.derived->'cancerSiteGroups', '[]'::jsonb)) s(value)
      where ${harvestable} and ${notPrivate}
  `);
  const list = Array.isArray(rows) ? rows : (rows as unknown as { rows: typeof rows }).rows;
  return list as unknown as { kind: string; value: string; name: string | null }[];
}
