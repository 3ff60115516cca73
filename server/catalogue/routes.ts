/** The catalogue's HTTP routes, registered in one place; each resource's thin routes live in its own file. */
import type { Hono } from 'hono';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import { collectionRoutes } from './collection-routes.js';
import { importRoutes } from './import-routes.js';
import { networkRoutes } from './network-routes.js';
import { providerRoutes } from './provider-routes.js';

export function catalogueRoutes(app: Hono<AppEnv>, api: ApiRegistry, deps: { importBodyLimitBytes: number }) {
  collectionRoutes(app, api);
  importRoutes(app, api, deps);
  providerRoutes(app, api);
  networkRoutes(app, api);
}
