/**
 * Build the real Hono app in-process for a test file, with an in-memory dev issuer, and small
 * factories that create users, providers and collections through the API's own verbs.
 */
import { randomBytes } from 'node:crypto';
import { createApp, type AppDeps } from '../../server/app.js';
import { ensureUser, addMember } from '../../server/auth/queries.js';
import { createDevIssuer, type DevIssuer } from '../../server/auth/tokens.js';
import type { Database } from '../../server/db/client.js';
import type { CollectionInput } from '../../schemas/collection.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestApp {
  app: ReturnType<typeof createApp>['app'];
  openapi: ReturnType<typeof createApp>['openapi'];
  issuer: DevIssuer;
  database: Database;
  /** Request helper: JSON in, parsed JSON out; `as` signs the request as that user. */
  call(
    method: string,
    path: string,
    opts?: { as?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** `providerIds`: data manager there; `viewerOf`: viewer there. */
  user(opts?: { admin?: boolean; providerIds?: string[]; viewerOf?: string[]; id?: string }): Promise<string>;
  provider(overrides?: Record<string, unknown>): Promise<string>;
  collection(providerId: string, overrides?: Partial<CollectionInput>, opts?: { publish?: boolean; as?: string }): Promise<any>;
}

export const uid = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export async function buildTestApp(database: Database, extra: Partial<AppDeps> = {}): Promise<TestApp> {
  const issuer = await createDevIssuer();
  const { app, openapi } = createApp({ database, verifier: issuer.verifier, devIssuer: issuer, ...extra });
  const tokens = new Map<string, string>();
  let adminId: string | undefined;

  const call: TestApp['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.as) {
      let token = tokens.get(opts.as);
      if (!token) {
        token = await issuer.sign({ sub: opts.as, name: opts.as });
        tokens.set(opts.as, token);
      }
      headers.authorization = `Bearer ${token}`;
    }
    let body: BodyInit | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };

  const user: TestApp['user'] = async (opts = {}) => {
    const id = opts.id ?? uid(opts.admin ? 'admin' : 'user');
    await ensureUser(database.db, { id, name: id, isAdmin: opts.admin ?? false });
    for (const p of opts.providerIds ?? []) await addMember(database.db, p, id, 'data_manager');
    for (const p of opts.viewerOf ?? []) await addMember(database.db, p, id, 'viewer');
    return id;
  };

  const admin = async () => (adminId ??= await user({ admin: true }));

  const provider: TestApp['provider'] = async (overrides = {}) => {
    const id = (overrides.id as string) ?? uid('prov');
    const res = await call('POST', '/api/v1/providers', {
      as: await admin(),
      body: { id, name: `Provider ${id}`, description: 'A test imaging site', country: 'NL', ...overrides },
    });
    if (res.status !== 201) throw new Error(`provider factory: ${res.status} ${JSON.stringify(res.body)}`);
    return id;
  };

  const collection: TestApp['collection'] = async (providerId, overrides = {}, opts = {}) => {
    const projectId = uid('P').replace('-', '_');
    const res = await call('POST', '/api/v1/collections', {
      as: opts.as ?? (await admin()),
      body: validCollection(providerId, { xnat: { instance: 'https://xnat.test.org', projectId, visibility: 'public' }, ...overrides }),
    });
    if (res.status !== 201) throw new Error(`collection factory: ${res.status} ${JSON.stringify(res.body)}`);
    if (opts.publish === false) return res.body;
    const pub = await call('POST', `/api/v1/collections/${encodeURIComponent(res.body.id)}/publish`, { as: opts.as ?? (await admin()) });
    if (pub.status !== 200) throw new Error(`publish: ${pub.status} ${JSON.stringify(pub.body)}`);
    return pub.body;
  };

  return { app, openapi, issuer, database, call, user, provider, collection };
}

/** A complete, publishable collection document for `providerId`. */
export function validCollection(providerId: string, overrides: Partial<CollectionInput> = {}): CollectionInput {
  return {
    providerId,
    title: 'Lung CT with segmentations',
    description: 'Low-dose chest CT of lung-cancer screening participants with nodule segmentations.',
    keywords: ['lung', 'screening'],
    modalities: ['CT', 'SEG'],
    bodyParts: ['Chest'],
    conditions: ['Non-small Cell Lung Cancer'],
    sex: ['male', 'female'],
    subjectsCount: 120,
    studiesCount: 240,
    accessRights: 'PUBLIC',
    xnat: { instance: 'https://xnat.test.org', projectId: 'LUNG_CT_01', visibility: 'public' },
    ...overrides,
  };
}

/** Fields the API returns on a collection but does not accept back. */
export const SYSTEM_FIELDS = [
  'actions',
  'publicationState',
  'derived',
  'createdAt',
  'modifiedAt',
  'publishedAt',
  'withdrawnAt',
  'withdrawnReason',
  'revision',
] as const;

/** A collection as read, made fit to PUT back: the system fields removed. */
export function stripSystem(doc: Record<string, unknown>): Record<string, unknown> {
  const d = { ...doc };
  for (const k of SYSTEM_FIELDS) delete d[k];
  return d;
}

/** The cast most catalogue tests start from: one provider (`site`) with a data manager, an admin, an outsider. */
export async function siteCast(t: TestApp) {
  const site = await t.provider();
  const manager = await t.user({ providerIds: [site] });
  const admin = await t.user({ admin: true });
  const outsider = await t.user();
  return { site, manager, admin, outsider };
}

export interface CatalogueBed extends Awaited<ReturnType<typeof siteCast>> {
  tdb: TestDatabase;
  t: TestApp;
  /** For afterAll: drops the database. */
  close(): Promise<void>;
}

/** A test file's own database and app with the site cast. */
export async function catalogueBed(): Promise<CatalogueBed> {
  const tdb = await createTestDatabase();
  const t = await buildTestApp(tdb.database);
  return { tdb, t, ...(await siteCast(t)), close: () => tdb.drop() };
}

/** The API path of one collection. */
export const collectionUrl = (id: string) => `/api/v1/collections/${encodeURIComponent(id)}`;
/** A fresh XNAT project id (unique per call: one XNAT project belongs to one collection). */
export const newProjectId = () => uid('S').replace('-', '_');
/** A collection's `xnat` reference on a test instance. */
export const xnatRef = (visibility: 'public' | 'protected' | 'private' = 'public', projectId = newProjectId()) => ({
  instance: 'https://xnat.shapes.org',
  projectId,
  visibility,
});
