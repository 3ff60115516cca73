/**
 * OpenAPI 3.1 from the zod schemas. Routes are declared through `registry.route(...)`, which both
 * mounts the Hono handler and records the operation, so the document cannot drift from the API.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { Problem } from '../../schemas/common.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Operation {
  method: Method;
  path: string; // Hono style, e.g. /api/v1/collections/:id
  summary: string;
  tags: string[];
  description?: string;
  auth?: 'none' | 'optional' | 'required';
  query?: z.ZodObject;
  body?: z.ZodType;
  headers?: { name: string; required: boolean; description: string }[];
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

export class ApiRegistry {
  readonly operations: Operation[] = [];

  route(app: Hono<any>, op: Operation, handler: (c: Context<any>) => Response | Promise<Response>) {
    this.operations.push(op);
    app.on(op.method.toUpperCase(), op.path, handler);
  }

  document(info: { title: string; version: string; description: string }) {
    const paths: Record<string, Record<string, unknown>> = {};
    const problem = toSchema(Problem, 'output');
    for (const op of this.operations) {
      const path = op.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const pathParams = [...op.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      const queryParams = op.query
        ? Object.entries(op.query.shape).map(([name, s]) => ({
            name,
            in: 'query',
            required: !(s as z.ZodType).safeParse(undefined).success,
            schema: toSchema(s as z.ZodType, 'input'),
          }))
        : [];
      const headerParams = (op.headers ?? []).map((h) => ({
        name: h.name,
        in: 'header',
        required: h.required,
        description: h.description,
        schema: { type: 'string' },
      }));
      const responses: Record<string, unknown> = {};
      for (const [status, r] of Object.entries(op.responses)) {
        responses[status] = {
          description: r.description,
          ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: toSchema(r.schema, 'output') } } } : {}),
        };
      }
      for (const [status, description] of Object.entries(standardErrors(op))) {
        responses[status] ??= { description, content: { 'application/problem+json': { schema: problem } } };
      }
      paths[path] ??= {};
      paths[path][op.method] = {
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        tags: op.tags,
        operationId: `${op.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string) => (ch ? ch.toUpperCase() : ''))}`,
        parameters: [...pathParams, ...queryParams, ...headerParams],
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(op.body, 'input') } } } } : {}),
        responses,
        ...(op.auth === 'required' ? { security: [{ bearer: [] }] } : op.auth === 'optional' ? { security: [{}, { bearer: [] }] } : {}),
      };
    }
    return {
      openapi: '3.1.0',
      info,
      servers: [{ url: '/' }],
      paths,
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    };
  }
}

function standardErrors(op: Operation): Record<number, string> {
  const e: Record<number, string> = { 500: 'Unexpected error (no internals are returned)' };
  if (op.query || op.body) e[400] = 'Malformed request (problem+json naming the field)';
  if (op.body) {
    e[413] = 'Body too large';
    e[415] = 'Body is not JSON';
    e[422] = 'Invalid fields (problem+json with errors[].path)';
  }
  if (op.auth === 'required') {
    e[401] = 'Missing, invalid or expired token';
    e[403] = 'Signed in, but not allowed';
  }
  if (op.path.includes(':')) e[404] = 'Not found, or not visible to you';
  return e;
}

export function toSchema(s: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' });
}

/** A minimal Swagger UI page; assets come from the swagger-ui-dist package we serve ourselves. */
export const docsPage = (specUrl: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>API docs · DICOM-MIABIS catalogue</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><main id="swagger-ui"></main>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js" data-spec="${specUrl}"></script>
</body></html>`;
