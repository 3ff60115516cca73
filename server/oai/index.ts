/**
 * Harvesting: the OAI-PMH 2.0 provider at /oai and the DCAT-AP catalogue at /api/v1/catalog.
 * Both show exactly what anonymous visitors may see; withdrawn collections and collections that
 * turned private after being exposed are deleted records (deletedRecord=persistent).
 */
import { dcatRoutes } from '../dcat/routes.js';
import type { DbOrTx } from '../db/client.js';
import type { AppModule } from '../http/module.js';
import type { Repository } from './records.js';
import { oaiRoutes } from './routes.js';

export interface HarvestingConfig {
  /** Canonical public URL (PUBLIC_URL); without it, each request's own origin is used. */
  publicUrl?: string;
  repositoryName: string;
  /** Domain of `oai:<domain>:<id>`; defaults to PUBLIC_URL's host name. */
  repositoryId?: string;
  adminEmail?: string;
  pageSize: number;
}

export interface HarvestingDeps {
  db: DbOrTx;
  pageSize: number;
  repository(requestUrl: string): Repository;
}

const DOMAIN = /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/;

export function repositoryFor(cfg: HarvestingConfig, requestUrl: string): Repository {
  const origin = (cfg.publicUrl ?? new URL(requestUrl).origin).replace(/\/+$/, '');
  const host = new URL(origin).hostname;
  // Identifiers must not depend on how the server was reached: never derive them from the request.
  const repositoryId = cfg.repositoryId ?? (cfg.publicUrl && DOMAIN.test(host) ? host : 'catalogue.local');
  return { origin, repositoryId, name: cfg.repositoryName, adminEmail: cfg.adminEmail ?? `catalogue-admin@${repositoryId}` };
}

export function harvestingModule(db: DbOrTx, cfg: HarvestingConfig): AppModule {
  const deps: HarvestingDeps = { db, pageSize: cfg.pageSize, repository: (url) => repositoryFor(cfg, url) };
  return {
    name: 'harvesting',
    // /oai and below (/oai/schema/…, /oai/records/…) go to the API app, not the web app.
    paths: ['/oai'],
    routes: (app, api) => {
      oaiRoutes(app, api, deps);
      dcatRoutes(app, api, deps);
    },
  };
}
