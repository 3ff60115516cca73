/**
 * The authorization matrix of the web's form actions (issue 12): every action of every
 * `+page.server.ts` × the demo actors (anonymous, researcher, data manager and viewer of this
 * provider, data manager of another provider, admin) — and, for actions on a collection, × the nine
 * collection states — posted to the real server as a browser posts them (session cookie, same
 * origin, form body, no JavaScript). The expectations are declared in test/browser/web-actions.ts,
 * from the API declarations of test/authz; an action without a declaration fails here.
 * The API matrix is test/integration/authz-matrix.test.ts; the guard itself, test/unit/web-guard.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantStateChanged } from '../../server/access/index.js';
import { userActor, type Actor } from '../../server/auth/actor.js';
import { parseCollectionInput, rowFields } from '../../server/catalogue/collections.js';
import * as q from '../../server/catalogue/queries.js';
import { recordingQueue, systemCtx } from '../helpers/access.js';
import { uid, validCollection } from '../helpers/app.js';
import { expectOneToOne } from '../authz/coverage.js';
import { ACTOR_NAMES, type ActorName, type AuthzEntry, type Fixture } from '../authz/types.js';
import { startServer, type RunningServer } from './harness.js';
import { webActions, type Form, type WebActionEntry, type WebAnswer } from './web-actions.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ROUTES = path.join(ROOT, 'web/src/routes');
const PROVIDER = 'nci-idc';

/** The seeded demo users (seed/demo.ts) in the matrix's roles, as the policy sees them. */
const USERS: Record<ActorName, string | undefined> = {
  anonymous: undefined,
  researcher: 'researcher',
  managerHere: 'curator',
  viewerHere: 'viewer',
  managerElsewhere: 'eu-curator',
  admin: 'admin',
};
const ACTORS: Record<ActorName, Actor> = {
  anonymous: { kind: 'anonymous' },
  researcher: userActor({ id: 'researcher', name: 'r' }),
  managerHere: userActor({ id: 'curator', name: 'c', memberships: [{ providerId: PROVIDER, role: 'data_manager' }] }),
  viewerHere: userActor({ id: 'viewer', name: 'v', memberships: [{ providerId: PROVIDER, role: 'viewer' }] }),
  managerElsewhere: userActor({
    id: 'eu-curator',
    name: 'e',
    memberships: [
      { providerId: 'eucanimage-pilot', role: 'data_manager' },
      { providerId: 'eucanimage-uc1', role: 'data_manager' },
    ],
  }),
  admin: userActor({ id: 'admin', name: 'a', isAdmin: true }),
};
const VISIBILITIES = ['public', 'protected', 'private'] as const;
const STATES = ['draft', 'published', 'withdrawn'] as const;
/** Cells posted at once (each has its own record or request). */
const PARALLEL = 4;
const NONE_ID = '00000000-0000-4000-8000-000000000000';

/** Every form action in web/src/routes, as "route ?/action", read from the `actions` object of each +page.server.ts. */
function formActions(): string[] {
  const found: string[] = [];
  for (const file of readdirSync(ROUTES, { recursive: true }) as string[]) {
    if (path.basename(file) !== '+page.server.ts') continue;
    const dir = path.dirname(file).split(path.sep).join('/');
    const route = dir === '.' ? '/' : `/${dir}`;
    const src = ts.createSourceFile(file, readFileSync(path.join(ROUTES, file), 'utf8'), ts.ScriptTarget.Latest, true);
    for (const stmt of src.statements) {
      if (!ts.isVariableStatement(stmt)) continue;
      for (const d of stmt.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.name.text !== 'actions') continue;
        const init = d.initializer;
        if (!init || !ts.isObjectLiteralExpression(init)) throw new Error(`${file}: \`actions\` is not an object literal`);
        for (const p of init.properties) {
          if (!p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
            throw new Error(`${file}: an action without a plain name`);
          found.push(`${route} ?/${p.name.text}`);
        }
      }
    }
  }
  return found.sort();
}

const keyOf = (e: Pick<WebActionEntry, 'route' | 'action'>) => `${e.route} ?/${e.action}`;

let server: RunningServer;
const tokens: Partial<Record<ActorName, string>> = {};
let accessCollectionId: string;
const apiEntries = new Map<string, AuthzEntry>();

beforeAll(async () => {
  const dir = path.join(ROOT, 'test/authz');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'types.ts')) {
    const mod = (await import(path.join(dir, file))) as { entries?: AuthzEntry[] };
    for (const e of mod.entries ?? []) apiEntries.set(`${e.method.toUpperCase()} ${e.path}`, e);
  }
  server = await startServer();
  for (const who of ACTOR_NAMES.filter((w) => w !== 'anonymous')) {
    const res = await server.api('POST', '/api/v1/dev/token', { body: { user: USERS[who] } });
    expect(res.status).toBe(200);
    tokens[who] = res.body.token;
  }
  const access = await record('public', 'published');
  accessCollectionId = access.id;
});
afterAll(async () => server?.stop());

/** A collection of nci-idc in this state (access restricted, so it can be requested), written straight to its table. */
async function record(visibility: string, publicationState: string): Promise<Fixture['record']> {
  const projectId = uid('WEBMATRIX').replace('-', '_');
  const parsed = parseCollectionInput(
    validCollection(PROVIDER, {
      accessRights: 'RESTRICTED',
      xnat: { instance: 'https://xnat.test.org', projectId, visibility: visibility as 'public' },
    }),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const id = `${PROVIDER}:collection:${projectId.toLowerCase()}`;
  const now = new Date();
  await q.insertCollection(server.db.database.db, {
    id,
    ...rowFields({ ...parsed.fields, id }),
    publicationState,
    publishedAt: publicationState === 'draft' ? null : now,
    withdrawnAt: publicationState === 'withdrawn' ? now : null,
    withdrawnReason: publicationState === 'withdrawn' ? 'matrix' : null,
  });
  return { id, title: parsed.fields.title, providerId: PROVIDER, visibility, publicationState };
}

function fixture(r: Fixture['record']): Fixture {
  return {
    providerId: PROVIDER,
    otherProviderId: 'eucanimage-pilot',
    record: r,
    users: USERS,
    bystander: 'researcher2',
    uid,
    collectionDoc: (providerId, overrides = {}) =>
      validCollection(providerId, {
        accessRights: 'RESTRICTED',
        xnat: { instance: 'https://xnat.test.org', projectId: uid('p').replace('-', '_'), visibility: 'public' },
        ...overrides,
      }) as Record<string, unknown>,
    indexed: async () => {},
    accessCollectionId,
    call: async (method, p, opts = {}) => server.api(method, p, { as: opts.as, body: opts.body }),
    activate: async (itemId) => {
      const db = server.db.database;
      await grantStateChanged(systemCtx(db, recordingQueue(db)), { itemId, state: 'active' });
    },
  };
}

function encodeForm(form: Form): string {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return body.toString();
}

const matches = (got: string | undefined, want: string | RegExp) => (typeof want === 'string' ? got === want : want.test(got ?? ''));

/** One cell: post the form as `who`; a mismatch with the declaration is returned as text. */
async function cell(e: WebActionEntry, who: ActorName, f: Fixture): Promise<string | null> {
  const api = e.api ? apiEntries.get(e.api) : undefined;
  if (e.api && !api) return `no API declaration "${e.api}"`;
  const s = e.setup ? await e.setup(f, who) : api?.setup ? await api.setup(f) : {};
  const page = e.page(f, s);
  const res = await fetch(`${server.url}${page}${e.action === 'default' ? '' : `?/${e.action}`}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      accept: 'text/html',
      origin: server.url,
      'content-type': 'application/x-www-form-urlencoded',
      ...(tokens[who] ? { cookie: `session=${tokens[who]}` } : {}),
    },
    body: encodeForm(await e.form(f, s)),
  });
  await res.arrayBuffer();
  const actor = ACTORS[who];
  let want: WebAnswer;
  if (actor.kind !== 'user' && !e.anonymous) want = { status: 303, location: `/signin?redirectTo=${encodeURIComponent(page)}` };
  else {
    const status = (e.expected ?? api!.expected)(actor, f);
    want = status < 300 ? (typeof e.ok === 'function' ? e.ok(f, s) : e.ok) : { status };
  }
  const where = `${who}${e.over === 'collection' ? ` × ${f.record.visibility}/${f.record.publicationState}` : ''}`;
  const location = res.headers.get('location') ?? undefined;
  if (res.status !== want.status || (want.location && !matches(location, want.location)))
    return `${where}: ${res.status}${location ? ` → ${location}` : ''} (want ${want.status}${want.location ? ` → ${want.location}` : ''})`;
  if (e.after) {
    try {
      await e.after(f, s, actor);
    } catch (err) {
      return `${where}: ${(err as Error).message.split('\n')[0]}`;
    }
  }
  return null;
}

async function inParallel<T>(tasks: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}

describe('web form actions', () => {
  it('has a declaration for every form action in web/src/routes, and an action for every declaration', () => {
    const found = formActions();
    expectOneToOne(found, webActions.map(keyOf), {
      undeclared: 'form actions without a declaration',
      orphaned: 'declarations without a form action',
    });
  });

  it('refuses every form action posted from another site (CSRF), before it runs', async () => {
    const f = fixture(await record('public', 'draft'));
    const wrong: string[] = [];
    for (const e of webActions) {
      const s = { id: 'req-00000000', itemId: NONE_ID, projectId: 'CSRF_NONE' };
      const page = e.page(f, s);
      const res = await fetch(`${server.url}${page}${e.action === 'default' ? '' : `?/${e.action}`}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          accept: 'text/html',
          origin: 'https://evil.example',
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `session=${tokens.admin}`,
        },
        body: encodeForm(await e.form(f, s)),
      });
      if (res.status !== 403) wrong.push(`${keyOf(e)}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
    // The draft is still there: the delete did not run.
    expect((await server.api('GET', `/api/v1/collections/${encodeURIComponent(f.record.id)}`, { as: 'admin' })).status).toBe(200);
  });

  for (const e of webActions) {
    it(`${keyOf(e)}: ${e.anonymous ? 'everyone' : 'sign-in for anonymous, else'} the API's answer${e.over === 'collection' ? ' × collection state' : ''}`, async () => {
      const tasks: (() => Promise<string | null>)[] = [];
      const once = fixture({ id: 'none', title: 'none', providerId: PROVIDER, visibility: 'public', publicationState: 'published' });
      for (const who of ACTOR_NAMES) {
        if (e.over === 'once') tasks.push(() => cell(e, who, once));
        else
          for (const visibility of VISIBILITIES)
            for (const state of STATES) tasks.push(async () => cell(e, who, fixture(await record(visibility, state))));
      }
      const wrong = (await inParallel(tasks, PARALLEL)).filter((x) => x !== null);
      expect(wrong).toEqual([]);
    });
  }
});
