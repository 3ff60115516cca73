/** `/oai` (GET and POST, one handler) and the XSDs of our formats under `/oai/schema/`. */
import { readFileSync } from 'node:fs';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import { formatOf, SCHEMA_FILES } from './formats/index.js';
import { baseUrl, oaiIdentifier } from './records.js';
import { answer, type XmlPieces } from './verbs.js';
import type { HarvestingDeps } from './index.js';

const schemas = Object.fromEntries(
  Object.entries(SCHEMA_FILES).map(([name, file]) => [name, readFileSync(new URL(`./schemas/${file}`, import.meta.url), 'utf8')]),
);

const CHUNK = 32 * 1024;

/**
 * The response body, encoded ~32 KB at a time as the socket drains. Pieces are rendered only when
 * pulled, and chunks stay far below V8's large-object threshold, so a page never sits in memory whole.
 */
function xmlStream(pieces: XmlPieces): ReadableStream<Uint8Array> {
  const it = pieces[Symbol.iterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      let buf = '';
      for (;;) {
        const next = it.next();
        if (next.done) {
          if (buf) controller.enqueue(encoder.encode(buf));
          controller.close();
          return;
        }
        buf += next.value;
        if (buf.length >= CHUNK) {
          controller.enqueue(encoder.encode(buf));
          return;
        }
      }
    },
    cancel() {
      it.return?.();
    },
  });
}

export function oaiRoutes(app: Hono<AppEnv>, api: ApiRegistry, deps: HarvestingDeps) {
  const respond = async (c: Context<AppEnv>, pairs: [string, string][]) => {
    const pieces = await answer({ db: deps.db, repo: deps.repository(c.req.url), pageSize: deps.pageSize }, pairs);
    c.header('Content-Type', 'text/xml; charset=UTF-8');
    c.header('Cache-Control', 'no-store');
    return c.body(xmlStream(pieces), 200);
  };
  const description =
    'OAI-PMH 2.0 data provider: verbs Identify, ListMetadataFormats, ListSets, ListIdentifiers, ListRecords, GetRecord. ' +
    'Formats oai_dc, dcat_ap (DCAT-AP 3 RDF/XML) and dicom_miabis (native JSON in XML). Errors are OAI <error> elements with HTTP 200.';
  api.route(
    app,
    {
      method: 'get',
      path: '/oai',
      summary: 'OAI-PMH 2.0 endpoint (GET)',
      description,
      tags: ['Harvesting'],
      responses: { 200: { description: 'OAI-PMH response (text/xml)' } },
    },
    (c) => respond(c, [...new URL(c.req.url).searchParams]),
  );
  const limit = bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('Request body too large', 413) });
  app.post('/oai', limit, async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    // Only form bodies carry OAI arguments (spec §3.1.1.2); anything else has no verb: badVerb.
    const pairs = type === 'application/x-www-form-urlencoded' ? [...new URLSearchParams(await c.req.text())] : [];
    return respond(c, pairs);
  });
  api.operations.push({
    method: 'post',
    path: '/oai',
    summary: 'OAI-PMH 2.0 endpoint (POST, application/x-www-form-urlencoded)',
    description,
    tags: ['Harvesting'],
    responses: { 200: { description: 'OAI-PMH response (text/xml)' } },
  });
  // Stable link for web pages, which do not know the oai-identifier domain: the record's GetRecord URL.
  app.get('/oai/records/:id', (c) => {
    const repo = deps.repository(c.req.url);
    const prefix = formatOf(c.req.query('metadataPrefix') ?? '') ? c.req.query('metadataPrefix')! : 'oai_dc';
    const q = new URLSearchParams({ verb: 'GetRecord', metadataPrefix: prefix, identifier: oaiIdentifier(repo, c.req.param('id')) });
    return c.redirect(`${baseUrl(repo)}?${q}`, 302);
  });
  app.get('/oai/schema/:file', (c) => {
    const xsd = schemas[c.req.param('file')];
    if (!xsd) return c.text('Not found', 404);
    c.header('Content-Type', 'application/xml; charset=UTF-8');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(xsd);
  });
}
