/** The bulk import route: its own, larger body limit; a JSON report or NDJSON progress lines. */
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ImportReport, ImportRequest } from '../../schemas/import.js';
import { serviceContext as ctx } from '../http/context.js';
import { payloadTooLarge } from '../http/errors.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import { readJson } from '../http/validate.js';
import { importCollections } from './import.js';

export function importRoutes(app: Hono<AppEnv>, api: ApiRegistry, deps: { importBodyLimitBytes: number }) {
  const importLimit = bodyLimit({
    maxSize: deps.importBodyLimitBytes,
    onError: () => {
      throw payloadTooLarge(`Import bodies are limited to ${deps.importBodyLimitBytes} bytes; split the list.`);
    },
  });
  app.use('/api/v1/import', importLimit);
  api.route(
    app,
    {
      method: 'post',
      path: '/api/v1/import',
      summary: 'Import a JSON list of collection documents',
      description:
        'Each record is validated and written on its own: valid records are imported even when others fail. Send `Accept: application/x-ndjson` to receive progress lines `{"progress":{"done","total"}}` followed by `{"report":…}`.',
      tags: ['Import'],
      auth: 'required',
      body: ImportRequest,
      responses: { 200: { description: 'Per-record report', schema: ImportReport } },
    },
    async (c) => {
      // Records with text the database cannot store are rejected one by one in the report.
      const req = await readJson(c, ImportRequest, { itemsCheckedByCaller: 'collections' });
      const actorCtx = ctx(c);
      if ((c.req.header('accept') ?? '').includes('application/x-ndjson')) {
        const encoder = new TextEncoder();
        const stream = new ReadableStream({
          async start(controller) {
            const send = (o: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(o)}\n`));
            try {
              let last = 0;
              const report = await importCollections(actorCtx, req.collections, {
                publish: req.publish,
                dryRun: req.dryRun,
                onProgress: (done, total) => {
                  if (done === total || Date.now() - last > 100) {
                    last = Date.now();
                    send({ progress: { done, total } });
                  }
                },
              });
              send({ report });
            } catch {
              send({ error: { code: 'internal_error', detail: 'The import stopped; records reported so far are written.' } });
            }
            controller.close();
          },
        });
        return new Response(stream, { headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' } });
      }
      return c.json(await importCollections(actorCtx, req.collections, { publish: req.publish, dryRun: req.dryRun }));
    },
  );
}
