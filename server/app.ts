/**
 * The HTTP API as a Hono app built from explicit dependencies (no globals), so tests build it
 * in-process against their own database and search index.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { collectionJsonSchema } from '../schemas/json-schema.js';
import { vocabularies } from '../schemas/vocab/index.js';
import { actorMiddleware } from './auth/middleware.js';
import { authRoutes } from './auth/routes.js';
import type { DevIssuer, TokenVerifier } from './auth/tokens.js';
import { catalogueRoutes } from './catalogue/routes.js';
import { httpMetrics } from './metrics/index.js';
import { auditRoutes } from './core/audit-routes.js';
import type { Database } from './db/client.js';
import { isDbUnavailable } from './db/errors.js';
import { DatabaseGate } from './db/gate.js';
import { databaseUnavailable, notFound, payloadTooLarge } from './http/errors.js';
import type { AppEnv, RequestServices } from './http/env.js';
import { noJobQueue } from './core/context.js';
import type { JobQueue } from './jobs/types.js';
import { CORE_PATHS, NotReady, type AppModule, type ReadinessCheck } from './http/module.js';
import { ApiRegistry, docsPage } from './http/openapi.js';
import { handleError, problemBody, problemResponse } from './http/problem.js';
import { refuseUnstorableInput } from './http/storable-input.js';
import { createLogger, type Logger } from './log.js';

export type { AppModule, ReadinessCheck };

export interface AppDeps {
  database: Database;
  verifier: TokenVerifier;
  devIssuer?: DevIssuer;
  adminUsers?: string[];
  bodyLimitBytes?: number;
  importBodyLimitBytes?: number;
  readiness?: ReadinessCheck[];
  /** Modules (search, jobs, …): their routes, paths outside /api and readiness checks. */
  modules?: AppModule[];
  /** Request lines and unexpected errors; default silent. */
  logger?: Logger;
  version?: string;
  /** The job engine verbs enqueue into (pg-boss); without it, enqueueing fails loudly. */
  jobs?: JobQueue;
  /** The clock verbs see; tests pass a fixed one. */
  clock?: () => Date;
}

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const api = new ApiRegistry();
  const logger = deps.logger ?? createLogger('silent');
  const modules = deps.modules ?? [];
  const db = deps.database.db;
  const bodyLimitBytes = deps.bodyLimitBytes ?? 1024 * 1024;

  const services: RequestServices = { db, now: deps.clock ?? (() => new Date()), log: logger, jobs: deps.jobs ?? noJobQueue };
  app.use('*', async (c, next) => {
    c.set('services', services);
    const incoming = c.req.header('x-request-id');
    const id = incoming && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', id);
    c.set('log', logger.child({ reqId: id }));
    c.header('X-Request-Id', id);
    const started = performance.now();
    await next();
    // One line per request, with who asked; probes only at debug level.
    const actor = c.get('actor');
    const line = {
      reqId: id,
      actor: actor?.kind === 'user' ? actor.id : 'anonymous',
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    };
    if (c.req.path === '/healthz' || c.req.path === '/readyz') logger.debug(line, 'request');
    else logger.info(line, 'request');
  });
  // During a database outage: 503 at once instead of queueing behind the pool's reconnects (server/db/gate.ts).
  const gate = new DatabaseGate(() => deps.database.probe());
  const probes = new Set(['/healthz', '/readyz', '/metrics']);
  app.use('*', async (c, next) => {
    if (probes.has(c.req.path)) return next();
    if (gate.closed) throw databaseUnavailable();
    // A request waiting long on the database has the gate check whether it answers at all.
    const unwatch = gate.watch();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next().finally(unwatch);
    // A read waiting in the pool's queue when the outage is seen answers 503 then, not after its turn.
    const outage = gate.whenClosed();
    try {
      const done = next();
      const won = await Promise.race([done.then(() => 'done' as const), outage.closed.then(() => 'outage' as const)]);
      if (won === 'outage') {
        done.catch(() => {});
        throw databaseUnavailable();
      }
    } finally {
      outage.cancel();
      unwatch();
    }
  });
  app.use('/api/*', httpMetrics());
  app.use('/api/*', refuseUnstorableInput());
  app.use('/api/*', secureHeaders({ crossOriginResourcePolicy: false, contentSecurityPolicy: undefined }));
  const defaultLimit = bodyLimit({
    maxSize: bodyLimitBytes,
    onError: () => {
      throw payloadTooLarge(`Request bodies are limited to ${bodyLimitBytes} bytes.`);
    },
  });
  // Imports and access-request attachments set their own, larger limits.
  const ownLimit = (p: string) => p === '/api/v1/import' || /^\/api\/v1\/requests\/[^/]+\/attachments$/.test(p);
  app.use('/api/*', (c, next) => (ownLimit(c.req.path) ? next() : defaultLimit(c, next)));
  app.use('/api/*', actorMiddleware({ db, verifier: deps.verifier, adminUsers: deps.adminUsers ?? [] }));
  app.use('/api/*', async (c, next) => {
    const actor = c.get('actor');
    c.set('log', c.get('log').child({ actor: actor.kind === 'user' ? actor.id : 'anonymous' }));
    await next();
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const checks = [
      {
        name: 'database',
        check: async () => {
          if (gate.closed) throw new Error('database unavailable');
          const unwatch = gate.watch();
          await deps.database.ping().finally(unwatch);
        },
      },
      ...(deps.readiness ?? []),
      ...modules.flatMap((m) => m.readiness ?? []),
    ];
    const results = await Promise.all(
      checks.map(async (ch) => {
        try {
          await withTimeout(ch.check(), 3000);
          return [ch.name, 'ok'] as const;
        } catch (e) {
          return [ch.name, e instanceof NotReady ? e.message : 'unavailable'] as const;
        }
      }),
    );
    const ready = results.every(([, s]) => s === 'ok');
    return c.json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) }, ready ? 200 : 503);
  });

  authRoutes(app, api, { db, devIssuer: deps.devIssuer });
  catalogueRoutes(app, api, { importBodyLimitBytes: deps.importBodyLimitBytes ?? 20 * 1024 * 1024 });
  auditRoutes(app, api);
  for (const m of modules) m.routes?.(app, api);

  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/schema/collection.json',
      summary: 'The collection model as JSON Schema (2020-12)',
      tags: ['Model'],
      responses: { 200: { description: 'JSON Schema' } },
    },
    (c) => c.json(collectionJsonSchema()),
  );
  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/vocabularies',
      summary: 'The controlled vocabularies, with codes and labels',
      tags: ['Model'],
      responses: { 200: { description: 'Vocabularies' } },
    },
    (c) => {
      c.header('Cache-Control', 'public, max-age=3600');
      return c.json({ items: vocabularies });
    },
  );

  // Built once, on first request: every route is registered by then.
  let openapiDoc: ReturnType<ApiRegistry['document']> | undefined;
  const openapi = () =>
    (openapiDoc ??= api.document({
      title: 'DICOM-MIABIS catalogue API',
      version: deps.version ?? '0.1.0',
      description:
        'Catalogue of cancer-imaging collections (one collection = one XNAT project). Errors are RFC 9457 application/problem+json with a stable `code` and field paths in `errors[]`.',
    }));
  app.get('/api/openapi.json', (c) => c.json(openapi()));
  app.get('/api/docs', (c) => c.html(docsPage('/api/openapi.json')));
  app.get('/api/docs/init.js', (c) => {
    c.header('content-type', 'text/javascript');
    return c.body("const s=document.currentScript.dataset.spec;window.ui=SwaggerUIBundle({url:s,dom_id:'#swagger-ui',deepLinking:true});");
  });
  const swaggerDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  app.get('/api/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    // A Map, not an object literal: `constructor`, `__proto__`… must not look like files.
    const type = SWAGGER_ASSETS.get(file);
    if (!type) throw notFound('file');
    c.header('content-type', type);
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(await readFile(path.join(swaggerDir, file)));
  });

  app.all('/api/*', (c) => {
    const p = problemBody(404, 'not_found', 'Not found', 'No such API endpoint.', undefined, c.get('requestId'), c.req.path);
    return problemResponse(c, p);
  });
  app.onError((err, c) => {
    const res = handleError(err, c, (msg, e) => (c.get('log') ?? logger).error({ err: e }, msg));
    if (res.status === 503 && !gate.closed && isDbUnavailable(err)) gate.outageSeen();
    return res;
  });
  /** Path prefixes this app answers (the rest goes to the web app). */
  const paths = [...CORE_PATHS, ...modules.flatMap((m) => m.paths ?? [])];
  return { app, api, openapi, paths };
}

const SWAGGER_ASSETS = new Map([
  ['swagger-ui.css', 'text/css'],
  ['swagger-ui-bundle.js', 'text/javascript'],
]);

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
