/**
 * The web's form actions in the authorization matrix (issue 12): one declaration per action of every
 * `+page.server.ts` (test/browser/web-actions-matrix.test.ts finds them in web/src/routes and fails
 * on an action without a declaration, or a declaration without an action).
 *
 * A form action is the API call behind it, posted the way a browser posts it. So, per actor:
 * anonymous visitors are sent to sign-in (except on the sign-in and sign-out forms); everyone else
 * gets the status the API declaration (test/authz/*.ts) predicts for that call: its 4xx as the page's
 * status (404, never 403, where the API hides the record), and on success the action's own answer
 * (200 with the page, or a 303 to where the action leads).
 */
import { expect } from 'vitest';
import { accountActions, can, canAtProvider } from '../../server/policy/index.js';
import type { Actor } from '../../server/auth/actor.js';
import { onRequest } from '../authz/access.js';
import { changeCollection, type ActorName, type Fixture } from '../authz/types.js';

export interface WebAnswer {
  status: number;
  /** For redirects: where to (a RegExp when it holds a fresh id). */
  location?: string | RegExp;
}

export type Form = Record<string, string | string[]>;

export interface WebActionEntry {
  /** SvelteKit route id of the page, e.g. `/requests/[id]`. */
  route: string;
  /** The action's name (`default` for a form posting to the page itself). */
  action: string;
  /** `collection`: once per collection state (visibility × publication state) with a fresh record; `once`: once per actor. */
  over: 'collection' | 'once';
  /**
   * The API route the action calls ("METHOD /path" as declared in test/authz): its declaration's
   * `setup` and `expected` apply unless this entry has its own.
   */
  api?: string;
  setup?(f: Fixture, who: ActorName): Promise<Record<string, string>>;
  /** The page the form is on (its path). */
  page(f: Fixture, s: Record<string, string>): string;
  form(f: Fixture, s: Record<string, string>): Form | Promise<Form>;
  /** The API status this actor must get (2xx: the action succeeds and answers `ok`). */
  expected?(actor: Actor, f: Fixture): number;
  ok: WebAnswer | ((f: Fixture, s: Record<string, string>) => WebAnswer);
  /** Anonymous visitors may post it (sign-in, sign-out): they get the expectation like everyone else. */
  anonymous?: boolean;
  /** Checks of what the action did (or did not do). */
  after?(f: Fixture, s: Record<string, string>, actor: Actor): Promise<void>;
}

const col = (id: string) => `/collections/${encodeURIComponent(id)}`;
const req = (s: Record<string, string>) => `/requests/${s.id}`;
const NONE = '00000000-0000-4000-8000-000000000000';
const NEW_REQUEST = { status: 303, location: /^\/requests\/req-[0-9a-f]+$/ };
const signedIn = (ok: number) => (a: Actor) => (a.kind === 'user' ? ok : 401);

/** The collection form as the edit and new pages post it (the fields of `validCollection`). */
function collectionForm(doc: Record<string, any>): Form {
  return {
    providerId: doc.providerId,
    title: doc.title,
    description: doc.description,
    keywords: doc.keywords.join(', '),
    modalities: doc.modalities.join(', '),
    bodyParts: doc.bodyParts.join(', '),
    conditions: doc.conditions.join('\n'),
    sex: doc.sex,
    subjectsCount: String(doc.subjectsCount),
    studiesCount: String(doc.studiesCount),
    accessRights: typeof doc.accessRights === 'string' ? doc.accessRights : doc.accessRights.code,
    'xnat.instance': doc.xnat.instance,
    'xnat.projectId': doc.xnat.projectId,
    'xnat.visibility': doc.xnat.visibility,
  };
}

/** One collection, requestable: 404 unless the actor may see it, 409 unless published, else `ok`. */
const requestable = (ok: number) => (a: Actor, f: Fixture) =>
  !can(a, 'view', f.record) ? 404 : a.kind !== 'user' ? 401 : f.record.publicationState === 'published' ? ok : 409;

/** Put the access collection in this actor's cart first. */
const inCart = async (f: Fixture, who: ActorName) => {
  if (who !== 'anonymous') {
    const r = await f.call('POST', '/api/v1/cart/items', { as: f.users[who], body: { collectionId: f.accessCollectionId } });
    expect([201, 200]).toContain(r.status);
  }
  return {};
};

const R = '/api/v1/requests/:id';
const ITEM = `${R}/items/:itemId`;
/** An action of the request page. */
const onRequestPage = (
  action: string,
  api: string,
  form: (f: Fixture, s: Record<string, string>) => Form,
  ok: WebAnswer = { status: 200 },
) => ({ route: '/requests/[id]', action, over: 'once', api, page: (_f, s) => req(s), form, ok }) satisfies WebActionEntry;

const RESEARCHER_FORM: Form = {
  title: 'Matrix study',
  laySummary: 'A study to test who may do what.',
  abstract: 'An abstract long enough to pass.',
  purpose: 'DUO:0000042',
  commercialUse: 'no',
};

export const webActions: WebActionEntry[] = [
  // --- signing in and out: open to everyone ---------------------------------------------------
  {
    route: '/signin',
    action: 'default',
    over: 'once',
    anonymous: true,
    page: () => '/signin',
    form: () => ({ user: 'researcher2', redirectTo: '/cart' }),
    expected: () => 200,
    ok: { status: 303, location: '/cart' },
  },
  {
    route: '/signout',
    action: 'default',
    over: 'once',
    anonymous: true,
    page: () => '/signout',
    form: () => ({}),
    expected: () => 200,
    ok: { status: 303, location: '/' },
  },

  // --- a collection's page, over every collection state ----------------------------------------
  {
    route: '/collections/[id]',
    action: 'cart',
    over: 'collection',
    page: (f) => col(f.record.id),
    form: () => ({}),
    expected: requestable(201),
    ok: { status: 200 },
  },
  {
    route: '/collections/[id]',
    action: 'requestNow',
    over: 'collection',
    page: (f) => col(f.record.id),
    form: () => ({}),
    expected: requestable(201),
    ok: NEW_REQUEST,
  },
  {
    route: '/collections/[id]',
    action: 'publish',
    over: 'collection',
    page: (f) => col(f.record.id),
    form: () => ({}),
    expected: changeCollection('publish', 200),
    ok: { status: 200 },
  },
  {
    route: '/collections/[id]',
    action: 'withdraw',
    over: 'collection',
    page: (f) => col(f.record.id),
    form: () => ({ reason: 'matrix' }),
    expected: changeCollection('withdraw', 200),
    ok: { status: 200 },
  },
  {
    route: '/collections/[id]',
    action: 'delete',
    over: 'collection',
    page: (f) => col(f.record.id),
    form: () => ({}),
    expected: changeCollection('delete', 204),
    ok: (f) => ({ status: 303, location: `/collections?deleted=${encodeURIComponent(f.record.id)}` }),
  },
  {
    route: '/collections/[id]/edit',
    action: 'default',
    over: 'collection',
    page: (f) => `${col(f.record.id)}/edit`,
    form: async (f) => {
      const current = await f.call('GET', `/api/v1/collections/${encodeURIComponent(f.record.id)}`, { as: f.users.admin });
      const doc = f.collectionDoc(f.providerId, { xnat: current.body.xnat, title: `${f.record.title} (edited)` });
      return { ...collectionForm(doc), revision: String(current.body.revision) };
    },
    expected: changeCollection('edit', 200),
    ok: (f) => ({ status: 303, location: `/collections/${f.record.id}?saved=updated` }),
    // Nothing changed unless the actor may edit it.
    after: async (f, _s, actor) => {
      const now = await f.call('GET', `/api/v1/collections/${encodeURIComponent(f.record.id)}`, { as: f.users.admin });
      expect(now.body.title === `${f.record.title} (edited)`).toBe(changeCollection('edit', 200)(actor, f) === 200);
    },
  },

  // --- writing collections -------------------------------------------------------------------
  {
    route: '/collections/new',
    action: 'default',
    over: 'once',
    setup: async (f) => ({ projectId: f.uid('NEWFORM').replace(/-/g, '_') }),
    page: () => '/collections/new',
    form: (f, s) =>
      collectionForm({
        ...f.collectionDoc(f.providerId),
        providerId: f.providerId,
        xnat: { instance: 'https://xnat.test.org', projectId: s.projectId, visibility: 'public' },
      }),
    api: 'POST /api/v1/collections',
    ok: { status: 303, location: /^\/collections\/nci-idc:collection:newform_[0-9a-f]+\?saved=created$/ },
  },
  {
    route: '/import',
    action: 'default',
    over: 'once',
    setup: async (f) => ({ projectId: f.uid('IMPFORM').replace(/-/g, '_') }),
    page: () => '/import',
    form: (f, s) => ({
      text: JSON.stringify([
        f.collectionDoc(f.providerId, { xnat: { instance: 'https://xnat.test.org', projectId: s.projectId, visibility: 'public' } }),
      ]),
    }),
    // The page is for those who may import somewhere (403 for others); the API answers them 200, with
    // the record rejected unless they may create collections at its provider (checked below).
    expected: (a) => (a.kind !== 'user' ? 401 : accountActions(a).includes('import') ? 200 : 403),
    ok: { status: 200 },
    after: async (f, s, actor) => {
      const list = await f.call('GET', `/api/v1/collections?providerId=${f.providerId}&limit=200&state=draft`, { as: f.users.admin });
      const made = (list.body.items as { id: string }[]).some((c) => c.id.endsWith(s.projectId!.toLowerCase()));
      expect(made).toBe(actor.kind === 'user' && canAtProvider(actor, 'createCollection', f.providerId));
    },
  },

  // --- the cart ------------------------------------------------------------------------------
  {
    route: '/cart',
    action: 'remove',
    over: 'once',
    setup: inCart,
    page: () => '/cart',
    form: (f) => ({ collectionId: f.accessCollectionId }),
    api: 'DELETE /api/v1/cart/items/:collectionId',
    ok: { status: 200 },
  },
  {
    route: '/cart',
    action: 'request',
    over: 'once',
    setup: inCart,
    page: () => '/cart',
    form: () => ({}),
    expected: signedIn(201),
    ok: NEW_REQUEST,
  },

  // --- one access request (the researcher's, about a restricted collection of this provider) -----
  onRequestPage('save', `PUT ${R}`, () => RESEARCHER_FORM),
  {
    ...onRequestPage('submit', `POST ${R}/submit`, () => RESEARCHER_FORM),
    // The form comes with the post, so the researcher's submission goes through.
    expected: onRequest({ submitted: false, ok: 200, allowed: ['requester'] }),
  },
  onRequestPage('withdraw', `POST ${R}/withdraw`, () => ({ reason: 'matrix' })),
  onRequestPage('renew', `POST ${R}/renew`, () => ({}), NEW_REQUEST),
  onRequestPage('decide', `POST ${ITEM}/decision`, (_f, s) => ({ itemId: s.itemId!, outcome: 'reject', reason: 'matrix' })),
  onRequestPage('assign', `POST ${ITEM}/assign`, (f, s) => ({ itemId: s.itemId!, assigneeId: f.users.managerHere! })),
  onRequestPage('retryGrant', `POST ${ITEM}/grant`, (_f, s) => ({ itemId: s.itemId! })),
  onRequestPage('withdrawItem', `POST ${ITEM}/withdraw`, (_f, s) => ({ itemId: s.itemId! })),
  onRequestPage('revoke', `POST ${ITEM}/revoke`, (_f, s) => ({ itemId: s.itemId!, reason: 'matrix' })),
  onRequestPage('message', `POST ${R}/messages`, () => ({ body: 'hi', audience: 'all' })),

  // --- inbox, own settings -------------------------------------------------------------------
  {
    route: '/inbox',
    action: 'read',
    over: 'once',
    page: () => '/inbox',
    form: () => ({}),
    api: 'POST /api/v1/notifications/read',
    ok: { status: 200 },
  },
  {
    route: '/inbox',
    action: 'prefs',
    over: 'once',
    page: () => '/inbox',
    form: () => ({ message: 'daily' }),
    api: 'PUT /api/v1/me/notification-preferences',
    ok: { status: 200 },
  },
  {
    route: '/me/xnat',
    action: 'set',
    over: 'once',
    page: () => '/me/xnat',
    form: () => ({ instanceId: NONE, username: 'matrix' }),
    // A valid username for an instance that does not exist.
    expected: signedIn(404),
    ok: { status: 200 },
  },

  // --- XNAT administration -------------------------------------------------------------------
  {
    route: '/admin/xnat',
    action: 'test',
    over: 'once',
    page: () => '/admin/xnat',
    form: () => ({ id: NONE }),
    api: 'POST /api/v1/admin/xnat/instances/:id/test',
    ok: { status: 200 },
  },
  {
    route: '/admin/xnat',
    action: 'reconcile',
    over: 'once',
    page: () => '/admin/xnat',
    form: () => ({}),
    api: 'POST /api/v1/admin/xnat/reconcile',
    ok: { status: 200 },
  },
  {
    route: '/admin/xnat',
    action: 'retry',
    over: 'once',
    page: () => '/admin/xnat',
    form: () => ({ id: NONE }),
    api: 'POST /api/v1/admin/xnat/grants/:id/retry',
    ok: { status: 200 },
  },
];
