/**
 * How a module plugs into the server: it mounts its own routes (under its own prefix), names the
 * top-level paths outside /api it serves (so `npm start` hands them to the API app instead of the
 * web app), and contributes readiness checks and job definitions.
 */
import type { Hono } from 'hono';
import type { JobDefinition } from '../jobs/types.js';
import type { AppEnv } from './env.js';
import type { ApiRegistry } from './openapi.js';

export interface ReadinessCheck {
  name: string;
  /** Resolves when ready; rejects (its message is shown) when not. */
  check: () => Promise<void>;
}

export interface AppModule {
  name: string;
  routes?: (app: Hono<AppEnv>, api: ApiRegistry) => void;
  /** Paths outside /api: `/oai` (itself and below it), `/.well-known/` (everything below it). */
  paths?: string[];
  readiness?: ReadinessCheck[];
  jobs?: JobDefinition[];
}

/** A check that is not failing but not done yet (e.g. the index catching up): its message is shown. */
export class NotReady extends Error {
  override name = 'NotReady';
}

/** Paths the API app always answers. */
export const CORE_PATHS = ['/api', '/healthz', '/readyz'];

/** Does the API app (rather than the web app) answer this request path? */
export function servedByApi(url: string, prefixes: readonly string[]): boolean {
  const path = url.split(/[?#]/, 1)[0]!;
  return prefixes.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p || path.startsWith(`${p}/`)));
}
