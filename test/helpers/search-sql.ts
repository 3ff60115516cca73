/**
 * Facet counts the way PostgreSQL sees them, to check the search index against: "collection has this
 * facet value" as SQL (mirroring the index document) and a count under the visibility rule.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { FacetName } from '../../schemas/search.js';
import type { Database } from '../../server/db/client.js';

/** SQL for "collection has this facet value", mirroring the index document. */
export function facetPredicate(facet: FacetName, v: string): SQL {
  const has = (path: string) => sql.raw(`doc->'${path}' @> '[{"code": ${JSON.stringify(v).replace(/'/g, "''")}}]'`);
  switch (facet) {
    case 'modality':
      return has('modalities');
    case 'bodyPart':
      return has('bodyParts');
    case 'sex':
      return has('sex');
    case 'imageDatasetType':
      return has('imageDatasetTypes');
    case 'species':
      return has('species');
    case 'manufacturer':
      return has('manufacturers');
    case 'fileFormat':
      return has('fileFormats');
    case 'cancerSite':
      return sql`derived->'cancerSiteGroups' ? ${v}`;
    case 'icd10':
      return sql`(derived->'icd10' ? ${v} or derived->'icd10Ancestors' ? ${v})`;
    case 'country':
      return sql`doc->'countries' ? ${v}`;
    case 'provider':
      return sql`provider_id = ${v}`;
    case 'network':
      return sql`doc->'networkIds' ? ${v}`;
    case 'accessRights':
      return sql`doc->'accessRights'->>'code' = ${v}`;
    case 'hasSegmentation':
      return sql`(derived->>'hasSegmentation')::boolean = ${v === 'true'}`;
    case 'duo':
      return sql`doc->'dataUse' @> ${JSON.stringify([{ term: { code: v } }])}::jsonb`;
    case 'license':
      return sql`doc->'license'->>'spdxId' = ${v}`;
    case 'status':
      return sql`doc->'status'->>'code' = ${v}`;
  }
}

/** OR of several values of one facet (a multi-select). */
export const anyOf = (facet: FacetName, values: string[]): SQL =>
  sql`(${sql.join(
    values.map((v) => facetPredicate(facet, v)),
    sql` or `,
  )})`;

/**
 * Published collections matching every `where`, visible to an outsider, to a member of `memberOf`,
 * or (`all`) to an admin.
 */
export function pgCounter(database: Database) {
  return async (where: SQL[], memberOf: string[] = [], all = false): Promise<number> => {
    const vis = all
      ? sql`true`
      : memberOf.length
        ? sql`(visibility <> 'private' or provider_id in (${sql.join(
            memberOf.map((p) => sql`${p}`),
            sql`, `,
          )}))`
        : sql`visibility <> 'private'`;
    const rows = await database.db.execute(
      sql`select count(*)::int as n from collection where publication_state = 'published' and ${vis} ${sql.join(
        where.map((w) => sql` and ${w}`),
        sql``,
      )}`,
    );
    const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { n: number }[];
    return Number(list[0]!.n);
  };
}
