/**
 * `GET /api/v1/catalog` (the dcat:Catalog with every live collection, streamed page by page) and
 * `GET /api/v1/catalog/datasets/:id` (one dcat:Dataset), in Turtle, JSON-LD or RDF/XML by content
 * negotiation or `?format=`. Everyone gets the anonymous view: a private, draft or withdrawn
 * collection is a 404 here, whoever asks.
 */
import type { Context, Hono } from 'hono';
import { stream } from 'hono/streaming';
import { DomainError, notFound } from '../http/errors.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import type { HarvestingDeps } from '../oai/index.js';
import { payloadContext } from '../oai/payload-context.js';
import * as q from '../oai/queries.js';
import { headerDatestamp } from '../oai/records.js';
import { addCatalog, addCatalogEntry, addDataset, catalogUrl, Graph } from './dataset.js';
import { chunkWriter, negotiate, RDF_TYPES, type RdfSyntax } from './serialize.js';

const FAR_FUTURE = new Date(Date.UTC(9999, 0, 1));
const DATASETS_PER_CHUNK = 10;

function syntaxOf(c: Context<AppEnv>): RdfSyntax {
  const s = negotiate(c.req.header('accept'), c.req.query('format'));
  if (!s) {
    throw new DomainError('not_acceptable', `Available as ${Object.values(RDF_TYPES).join(', ')} (or ?format=ttl|jsonld|rdf).`);
  }
  return s;
}

function rdfHeaders(c: Context<AppEnv>, syntax: RdfSyntax, self: string) {
  c.header('Content-Type', `${RDF_TYPES[syntax]}; charset=UTF-8`);
  c.header('Vary', 'Accept');
  c.header('Cache-Control', 'public, max-age=60');
  c.header(
    'Link',
    (Object.entries(RDF_TYPES) as [RdfSyntax, string][])
      .map(([k, t]) => `<${self}?format=${k === 'turtle' ? 'ttl' : k === 'jsonld' ? 'jsonld' : 'rdf'}>; rel="alternate"; type="${t}"`)
      .join(', '),
  );
}

export function dcatRoutes(app: Hono<AppEnv>, api: ApiRegistry, deps: HarvestingDeps) {
  const responses = {
    200: { description: 'DCAT-AP 3 RDF: text/turtle (default), application/ld+json or application/rdf+xml' },
    406: { description: 'No acceptable RDF syntax' },
  };
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/catalog',
      summary: 'The catalogue as a DCAT-AP 3 dcat:Catalog with every public or protected collection',
      tags: ['Harvesting'],
      responses,
    },
    async (c) => {
      const syntax = syntaxOf(c);
      const repo = deps.repository(c.req.url);
      rdfHeaders(c, syntax, catalogUrl(repo));
      const writer = chunkWriter(syntax);
      const [modified, issued] = await Promise.all([q.latestLiveDatestamp(deps.db), q.earliestDatestamp(deps.db)]);
      return stream(c, async (s) => {
        await s.write(writer.head());
        const g = new Graph();
        addCatalog(g, repo, modified, issued);
        await s.write(await writer.chunk(g.quads));
        // One keyset page at a time: memory is bounded by the page size, not the catalogue.
        const query: q.HarvestQuery = { untilExclusive: FAR_FUTURE, liveOnly: true };
        for (;;) {
          const rows = await q.recordPage(deps.db, query, deps.pageSize);
          if (!rows.length) break;
          const ctx = payloadContext(repo, rows);
          // A few datasets per chunk: page-sized strings would land in V8's large-object space.
          for (let i = 0; i < rows.length; i += DATASETS_PER_CHUNK) {
            const part = new Graph();
            for (const r of rows.slice(i, i + DATASETS_PER_CHUNK))
              addCatalogEntry(part, repo, addDataset(part, r, ctx), headerDatestamp(r.ds), r.publishedAt);
            await s.write(await writer.chunk(part.quads));
          }
          const last = rows[rows.length - 1]!;
          query.after = [last.ds, last.id];
          if (rows.length < deps.pageSize) break;
        }
        await s.write(writer.tail());
      });
    },
  );
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/catalog/datasets/:id',
      summary: 'One collection as a DCAT-AP 3 dcat:Dataset',
      tags: ['Harvesting'],
      responses,
    },
    async (c) => {
      const syntax = syntaxOf(c);
      const row = await q.liveRecord(deps.db, c.req.param('id') ?? '');
      if (!row) throw notFound('collection');
      const repo = deps.repository(c.req.url);
      const g = new Graph();
      const ds = addDataset(g, row, payloadContext(repo, [row]));
      rdfHeaders(c, syntax, ds);
      const w = chunkWriter(syntax);
      return c.body(w.head() + (await w.chunk(g.quads)) + w.tail());
    },
  );
}
