/**
 * The web's form actions on a collection page (publish, withdraw, delete) × the demo actors × the
 * nine collection states, through the real server as a browser posts them (session cookie, same
 * origin, no JavaScript): anonymous visitors are sent to sign-in, everyone else gets the status the
 * policy predicts for the API call behind the form (never a 403 where the API hides the record).
 * The API matrix is test/integration/authz-matrix.test.ts; the guard of every form action, test/unit/web-guard.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionAction } from '../../schemas/policy.js';
import { userActor, type Actor } from '../../server/auth/actor.js';
import { validCollection } from '../helpers/app.js';
import { changeCollection, type Fixture } from '../authz/types.js';
import { startServer, type RunningServer } from './harness.js';

const PROVIDER = 'nci-idc';
/** The seeded demo users (seed/demo.ts), as the policy sees them. */
const ACTORS: Record<string, Actor> = {
  anonymous: { kind: 'anonymous' },
  researcher: userActor({ id: 'researcher', name: 'r' }),
  curator: userActor({ id: 'curator', name: 'c', memberships: [{ providerId: PROVIDER, role: 'data_manager' }] }),
  viewer: userActor({ id: 'viewer', name: 'v', memberships: [{ providerId: PROVIDER, role: 'viewer' }] }),
  'eu-curator': userActor({
    id: 'eu-curator',
    name: 'e',
    memberships: [
      { providerId: 'eucanimage-pilot', role: 'data_manager' },
      { providerId: 'eucanimage-uc1', role: 'data_manager' },
    ],
  }),
  admin: userActor({ id: 'admin', name: 'a', isAdmin: true }),
};
const STATES = ['draft', 'published', 'withdrawn'] as const;
const VISIBILITIES = ['public', 'protected', 'private'] as const;
const ACTIONS: { name: Exclude<CollectionAction, 'history'>; body: string; ok: (id: string) => { status: number; location?: string } }[] = [
  { name: 'publish', body: '', ok: () => ({ status: 200 }) },
  { name: 'withdraw', body: 'reason=matrix', ok: () => ({ status: 200 }) },
  { name: 'delete', body: '', ok: (id) => ({ status: 303, location: `/collections?deleted=${encodeURIComponent(id)}` }) },
];

let server: RunningServer;
const tokens: Record<string, string> = {};
let n = 0;

beforeAll(async () => {
  server = await startServer();
  for (const who of Object.keys(ACTORS).filter((w) => w !== 'anonymous')) {
    const res = await server.api('POST', '/api/v1/dev/token', { body: { user: who } });
    expect(res.status).toBe(200);
    tokens[who] = res.body.token;
  }
});
afterAll(async () => server?.stop());

/** A collection of nci-idc in this state, made through the API as the admin. */
async function record(visibility: string, state: string): Promise<Fixture['record']> {
  const projectId = `WEBMATRIX_${++n}`;
  const created = await server.api('POST', '/api/v1/collections', {
    as: 'admin',
    body: validCollection(PROVIDER, { xnat: { instance: 'https://xnat.test.org', projectId, visibility: visibility as 'public' } }),
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const path = `/api/v1/collections/${encodeURIComponent(id)}`;
  if (state !== 'draft') expect((await server.api('POST', `${path}/publish`, { as: 'admin' })).status).toBe(200);
  if (state === 'withdrawn')
    expect((await server.api('POST', `${path}/withdraw`, { as: 'admin', body: { reason: 'matrix' } })).status).toBe(200);
  return { id, title: created.body.title, providerId: PROVIDER, visibility, publicationState: state };
}

describe('collection page form actions × actors × states', () => {
  for (const action of ACTIONS) {
    it(`?/${action.name}: sign-in for anonymous, else the policy's answer`, async () => {
      const wrong: string[] = [];
      for (const visibility of VISIBILITIES) {
        for (const state of STATES) {
          for (const [who, actor] of Object.entries(ACTORS)) {
            const r = await record(visibility, state);
            const page = `/collections/${encodeURIComponent(r.id)}`;
            const res = await fetch(`${server.url}${page}?/${action.name}`, {
              method: 'POST',
              redirect: 'manual',
              headers: {
                accept: 'text/html',
                origin: server.url,
                'content-type': 'application/x-www-form-urlencoded',
                ...(tokens[who] ? { cookie: `session=${tokens[who]}` } : {}),
              },
              body: action.body,
            });
            const api = changeCollection(action.name, 0)(actor, { record: r } as Fixture);
            const want =
              actor.kind !== 'user'
                ? { status: 303, location: `/signin?redirectTo=${encodeURIComponent(page)}` }
                : api === 0
                  ? action.ok(r.id)
                  : { status: api };
            const got = { status: res.status, ...(want.location ? { location: res.headers.get('location') ?? undefined } : {}) };
            if (JSON.stringify(got) !== JSON.stringify(want))
              wrong.push(`${who} × ${visibility}/${state}: ${JSON.stringify(got)} (want ${JSON.stringify(want)})`);
          }
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
