/**
 * XNAT REST client for the role sync, following ../shared/reference/xnat-contract.md:
 * - one JSESSIONID reused for every call (Basic auth only to open or renew it: XNAT caps sessions);
 * - a non-browser User-Agent (browser agents get login redirects instead of 401);
 * - outcomes decided on status codes, never on error bodies;
 * - roles by group ID `{P}_{role}`; `sendemail` never sent; every call has a timeout.
 * The checks that make a grant safe (user exists first, read back after) live in sync.ts.
 */
import type { XnatCredentials } from './secrets.js';

export type XnatRole = 'owner' | 'member' | 'collaborator';
export const XNAT_ROLES: readonly XnatRole[] = ['owner', 'member', 'collaborator'];

export type XnatErrorKind = 'unauthorized' | 'forbidden' | 'not_found' | 'unavailable' | 'timeout' | 'rejected' | 'protocol';

export class XnatError extends Error {
  constructor(
    readonly kind: XnatErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'XnatError';
  }
  /** Worth retrying later: the server or the network failed, not our request. */
  get retryable(): boolean {
    return this.kind === 'unavailable' || this.kind === 'timeout' || this.kind === 'protocol';
  }
}

/** One row of `/data/projects/{P}/users`: the user and the group they are in. */
export interface ProjectMember {
  login: string;
  groupId: string;
  /** The standard role, or null for a custom group of the project. */
  role: XnatRole | null;
}

export interface XnatClientOptions {
  baseUrl: string;
  credentials: XnatCredentials;
  timeoutMs?: number;
  userAgent?: string;
  /** Observes every HTTP exchange (metrics). */
  onRequest?: (e: { method: string; status: number | 'error'; ms: number }) => void;
}

/** Usernames XNAT can address in a path (no `'`, which XNAT cannot match; no percent-encoding needed). */
export const XNAT_USERNAME_RE = /^[a-zA-Z][A-Za-z0-9_.-]{0,63}$/;
export const XNAT_PROJECT_RE = /^[A-Za-z0-9_-]+$/;

export const USER_AGENT = 'dicom-miabis-catalogue-rolesync/0.1 (+https://dicom-miabis.org)';

export class XnatClient {
  private readonly base: string;
  private session?: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: XnatClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** Signed in and allowed to use the REST API (`/data/auth` answers 200 only for a real login). */
  async checkLogin(): Promise<void> {
    const res = await this.call('GET', '/data/auth');
    this.expectOk(res.status, 'sign-in check');
  }

  /** `GET /xapi/users/profile/{u}`: 200 = exists, 404 (or 400 malformed) = does not. */
  async userExists(username: string): Promise<boolean> {
    if (!XNAT_USERNAME_RE.test(username)) return false;
    const res = await this.call('GET', `/xapi/users/profile/${username}`);
    if (res.status === 200) return true;
    if (res.status === 404 || res.status === 400) return false;
    this.expectOk(res.status, `user check for ${username}`);
    return false;
  }

  /** Every membership of the project, disabled accounts included (`/users/true`), as JSON. */
  async projectMembers(projectId: string): Promise<ProjectMember[]> {
    checkProject(projectId);
    const res = await this.call('GET', `/data/projects/${projectId}/users/true?format=json`);
    this.expectOk(res.status, `project users of ${projectId}`);
    let rows: Record<string, string>[];
    try {
      rows = (JSON.parse(res.body) as { ResultSet: { Result: Record<string, string>[] } }).ResultSet.Result;
      if (!Array.isArray(rows)) throw new Error('no rows');
    } catch {
      throw new XnatError('protocol', `project users of ${projectId}: not a ResultSet table`);
    }
    return rows
      .filter((r) => typeof r.login === 'string' && typeof r.GROUP_ID === 'string')
      .map((r) => ({ login: r.login!, groupId: r.GROUP_ID!, role: roleOfGroup(projectId, r.GROUP_ID!) }));
  }

  /** Put the user in `{P}_{role}` (XNAT moves them out of any other group of the project). No `sendemail`. */
  async setRole(projectId: string, username: string, role: XnatRole): Promise<void> {
    checkProject(projectId);
    checkUsername(username);
    const res = await this.call('PUT', `/data/projects/${projectId}/users/${projectId}_${role}/${username}?format=json`);
    this.expectOk(res.status, `grant ${role} on ${projectId} to ${username}`);
  }

  /** Remove the user from exactly this group (a wrong group would be a silent 200 no-op). */
  async removeFromGroup(projectId: string, username: string, groupId: string): Promise<void> {
    checkProject(projectId);
    checkUsername(username);
    if (!groupId.startsWith(`${projectId}_`)) throw new XnatError('rejected', `group ${groupId} is not a group of ${projectId}`);
    const res = await this.call('DELETE', `/data/projects/${projectId}/users/${groupId}/${username}?format=json`);
    this.expectOk(res.status, `remove ${username} from ${groupId}`);
  }

  /** End the session (XNAT keeps up to 1000 per user). */
  async close(): Promise<void> {
    if (!this.session) return;
    await this.call('DELETE', '/data/JSESSION').catch(() => undefined);
    this.session = undefined;
  }

  private expectOk(status: number, what: string): void {
    if (status >= 200 && status < 300) return;
    if (status === 401) throw new XnatError('unauthorized', `${what}: XNAT refused the credentials (401)`, status);
    if (status === 403)
      throw new XnatError('forbidden', `${what}: not allowed (403); the service account must own the project or be a site admin`, status);
    if (status === 404) throw new XnatError('not_found', `${what}: not found in XNAT (404)`, status);
    if (status >= 500 || status === 429 || status === 408) throw new XnatError('unavailable', `${what}: XNAT answered ${status}`, status);
    if (status >= 300 && status < 400)
      throw new XnatError('unauthorized', `${what}: redirected (${status}), probably to a login page`, status);
    throw new XnatError('rejected', `${what}: XNAT answered ${status}`, status);
  }

  private async call(method: string, path: string): Promise<{ status: number; body: string }> {
    const first = await this.send(method, path, !this.session);
    // An expired session: open a new one with the credentials, once.
    if (first.status === 401 && first.usedSession) {
      this.session = undefined;
      return this.send(method, path, true);
    }
    return first;
  }

  private async send(
    method: string,
    path: string,
    withCredentials: boolean,
  ): Promise<{ status: number; body: string; usedSession: boolean }> {
    const headers: Record<string, string> = {
      'User-Agent': this.opts.userAgent ?? USER_AGENT,
      Accept: 'application/json, text/plain, */*',
    };
    const usedSession = !withCredentials && !!this.session;
    if (usedSession) headers.Cookie = `JSESSIONID=${this.session}`;
    else headers.Authorization = basic(this.opts.credentials);
    const started = performance.now();
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { method, headers, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      this.opts.onRequest?.({ method, status: 'error', ms: performance.now() - started });
      const err = e as Error;
      if (err.name === 'TimeoutError' || err.name === 'AbortError')
        throw new XnatError('timeout', `${method} ${stripQuery(path)}: no answer within ${this.timeoutMs} ms`);
      throw new XnatError('unavailable', `${method} ${stripQuery(path)}: ${err.message}`);
    }
    let body: string;
    try {
      body = await res.text();
    } catch (e) {
      this.opts.onRequest?.({ method, status: 'error', ms: performance.now() - started });
      throw new XnatError('unavailable', `${method} ${stripQuery(path)}: connection lost while reading (${(e as Error).message})`);
    }
    this.opts.onRequest?.({ method, status: res.status, ms: performance.now() - started });
    const cookie = /(?:^|[;,]\s*)JSESSIONID=([^;,\s]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    if (cookie && res.status < 400) this.session = cookie;
    return { status: res.status, body, usedSession };
  }
}

export function roleOfGroup(projectId: string, groupId: string): XnatRole | null {
  for (const r of XNAT_ROLES) if (groupId === `${projectId}_${r}`) return r;
  return null;
}

function basic(c: XnatCredentials): string {
  const pair = c.kind === 'token' ? `${c.alias}:${c.secret}` : `${c.username}:${c.password}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

function checkUsername(u: string): void {
  if (!XNAT_USERNAME_RE.test(u)) throw new XnatError('rejected', `"${u}" is not an XNAT username this service can address`);
}

function checkProject(p: string): void {
  if (!XNAT_PROJECT_RE.test(p)) throw new XnatError('rejected', `"${p}" is not an XNAT project id`);
}

const stripQuery = (p: string) => p.replace(/\?.*$/, '');
