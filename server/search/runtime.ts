/**
 * Search wiring for `npm start` (issue #3 fills this in): starts or connects to Meilisearch, runs
 * the outbox worker, and contributes readiness checks and routes to the app.
 */
import type { Hono } from 'hono';
import type { ReadinessCheck } from '../app.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import type { Logger } from '../log.js';

export interface SearchRuntime {
  readiness: ReadinessCheck[];
  modules: ((app: Hono<AppEnv>, api: ApiRegistry) => void)[];
  stop(): Promise<void>;
}

export async function startSearch(_config: Config, _database: Database, _log: Logger): Promise<SearchRuntime> {
  return { readiness: [], modules: [], stop: async () => {} };
}
