/**
 * The authorization matrix's declarations (issue 12): for every route of the OpenAPI document, how to
 * call it and which status each actor must get, derived from the policy (server/policy). A module adds
 * its routes by adding a file here that exports `entries: AuthzEntry[]` (test/authz/*.ts are
 * collected by test/integration/authz-matrix.test.ts); a route without an entry fails the matrix.
 */
import type { CollectionAction } from '../../schemas/policy.js';
import type { Actor } from '../../server/auth/actor.js';
import { transitionProblem } from '../../server/catalogue/rules.js';
import { can, canAtProvider, isAdmin, type CollectionFacts, type CollectionRule, type ProviderRule } from '../../server/policy/index.js';

export type ActorName = 'anonymous' | 'researcher' | 'managerHere' | 'viewerHere' | 'managerElsewhere' | 'admin';
export const ACTOR_NAMES: ActorName[] = ['anonymous', 'researcher', 'managerHere', 'viewerHere', 'managerElsewhere', 'admin'];

export interface Fixture {
  /** The provider the record belongs to ("this provider"); `otherProviderId` is where `managerElsewhere` manages. */
  providerId: string;
  otherProviderId: string;
  /** The record of this cell (collection entries only): a fresh collection in the cell's state. */
  record: CollectionFacts & { id: string; title: string };
  /** User ids by actor name (anonymous: undefined). */
  users: Record<ActorName, string | undefined>;
  /** A signed-in user who is the object of membership routes (never one of the actors). */
  bystander: string;
  uid(prefix: string): string;
  /** A complete collection document of `providerId` (publishable as is). */
  collectionDoc(providerId: string, overrides?: Record<string, unknown>): Record<string, unknown>;
  /** Wait until the search index holds the record's current state. */
  indexed(): Promise<void>;
  /** A published collection of `providerId` whose access is restricted (access requests are about it). */
  accessCollectionId: string;
  /** Call the API as a user (fixture set-up, e.g. a request in a given stage). */
  call(method: string, path: string, opts?: { as?: string; body?: unknown }): Promise<Answer>;
  /** Tell the access module that the XNAT role of an approved item is in place (its grant is active). */
  activate(itemId: string): Promise<void>;
}

export interface Answer {
  status: number;
  body: any;
}

export interface AuthzEntry {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As declared (Hono style, `:id`), exactly as in the route table. */
  path: string;
  /**
   * `collection`: run once per collection state (visibility × publication state) with a fresh record;
   * `once`: once per actor.
   */
  over: 'collection' | 'once';
  /** Whether the route needs the search index to hold the record (search routes). */
  needsIndex?: boolean;
  /** Set-up run before each cell (each actor gets its own, e.g. a fresh access request); passed to `request`. */
  setup?(f: Fixture): Promise<Record<string, string>>;
  request(f: Fixture, s: Record<string, string>): { path: string; body?: unknown; headers?: Record<string, string> };
  expected(actor: Actor, f: Fixture): number;
  /** Further checks of a successful answer (what a list shows, which actions a record offers). */
  check?(res: Answer, actor: Actor, f: Fixture): void;
}

// --- expectations from the policy ---------------------------------------------------------------

/** A read of one collection: 200 if the actor may know it exists, else 404 (never 403). */
export const readCollection = (a: Actor, f: Fixture) => (can(a, 'view', f.record) ? 200 : 404);

/**
 * A change of one collection: 404 unless the actor may see it, 401 when anonymous, 403 unless their
 * role allows the change, 409 when the publication state does not, else `ok`.
 */
export const changeCollection =
  (action: Exclude<CollectionAction, 'history'>, ok: number) =>
  (a: Actor, f: Fixture): number => {
    if (!can(a, 'view', f.record)) return 404;
    if (a.kind !== 'user') return 401;
    if (!can(a, action, f.record)) return 403;
    if (transitionProblem(f.record.publicationState as 'draft', action)) return 409;
    return ok;
  };

/** Something only those with `rule` on the collection may do, whatever its state (e.g. read its history). */
export const collectionRole =
  (rule: CollectionRule, ok: number) =>
  (a: Actor, f: Fixture): number => {
    if (!can(a, 'view', f.record)) return 404;
    if (a.kind !== 'user') return 401;
    return can(a, rule, f.record) ? ok : 403;
  };

/** A provider-level action: 401 anonymous, 403 unless the policy allows it at this provider, else `ok`. */
export const atProvider =
  (rule: ProviderRule, ok: number) =>
  (a: Actor, f: Fixture): number => {
    if (a.kind !== 'user') return 401;
    return canAtProvider(a, rule, f.providerId) ? ok : 403;
  };

/** Admins only. */
export const adminOnly =
  (ok: number) =>
  (a: Actor): number =>
    a.kind !== 'user' ? 401 : isAdmin(a) ? ok : 403;

/** Open to everyone. */
export const open =
  (ok = 200) =>
  () =>
    ok;

/** The actions the API must offer on a collection: the policy's, minus what the state forbids. */
export const expectedActions = (a: Actor, r: CollectionFacts): CollectionAction[] =>
  (['edit', 'publish', 'withdraw', 'delete', 'history'] as const).filter(
    (x) => can(a, x, r) && (x === 'history' || !transitionProblem(r.publicationState as 'draft', x)),
  );
