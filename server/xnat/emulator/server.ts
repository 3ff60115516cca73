/**
 * A stand-alone HTTP server that behaves like XNAT for what the role sync and pyxnat use
 * (../shared/reference/xnat-contract.md): Basic auth with passwords or alias tokens, JSESSIONID
 * sessions, 401 vs 403 vs 404, projects, users, project users and roles. Tests drive it through this
 * object (state, faults, request log); `/_emulator/*` exposes the same to other processes (admin only).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Faults, parseFault } from './faults.js';
import { route, type Handled } from './routes.js';
import { XnatState } from './state.js';
import { containerErrorPage } from './tables.js';

export interface EmulatorOptions {
  adminUser?: string;
  adminPassword?: string;
  /** Site id used in `WWW-Authenticate: Basic realm="…"`. */
  siteId?: string;
  /** Keep users, projects and roles in this JSON file across restarts. */
  stateFile?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  userAgent: string;
  login?: string;
  status: number;
  at: Date;
}

export interface EmuRequest {
  method: string;
  /** Normalised: /REST → /data, /data/archive/projects → /data/projects. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  login: string;
  /** The session this request runs in (from the cookie, or created for its Basic credentials). */
  sessionId?: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTERACTIVE_RE = /MSIE|Mozilla|AppleWebKit|Opera/;
const OPEN_PATHS = new Set(['/data/JSESSION', '/data/services/auth']);

export class XnatEmulator {
  readonly state = new XnatState();
  readonly faults = new Faults();
  readonly requests: LoggedRequest[] = [];
  readonly siteId: string;
  private server?: Server;
  private saveTimer?: NodeJS.Timeout;
  private readonly stateFile?: string;
  private sockets = new Set<Socket>();
  url = '';

  constructor(opts: EmulatorOptions = {}) {
    this.siteId = opts.siteId ?? 'XNAT';
    this.stateFile = opts.stateFile;
    this.state.addUser({
      login: opts.adminUser ?? 'admin',
      password: opts.adminPassword ?? 'admin',
      firstname: 'Admin',
      lastname: 'Admin',
      email: 'admin@example.org',
      admin: true,
    });
    this.state.addUser({ login: 'guest', password: randomPassword(), firstname: 'Guest', lastname: 'User', enabled: true });
    if (this.stateFile && existsSync(this.stateFile))
      this.state.restore(JSON.parse(readFileSync(this.stateFile, 'utf8')), opts.adminUser ?? 'admin');
  }

  /** Write the state file now (also done shortly after every change). */
  save(): void {
    if (!this.stateFile) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const tmp = `${this.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state.snapshot()));
    renameSync(tmp, this.stateFile);
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const addr = server.address();
    const p = typeof addr === 'object' && addr ? addr.port : port;
    this.url = `http://${host}:${p}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (this.saveTimer) this.save();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /** Requests that changed or read project users, for assertions on what a client sent. */
  requestsTo(method: string, pathPattern: RegExp): LoggedRequest[] {
    return this.requests.filter((r) => r.method === method && pathPattern.test(r.path));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = normalise(url.pathname);
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const log: LoggedRequest = {
      method,
      path,
      query: url.search,
      userAgent: String(req.headers['user-agent'] ?? ''),
      status: 0,
      at: new Date(),
    };
    this.requests.push(log);
    if (this.requests.length > 50_000) this.requests.splice(0, 10_000);

    if (this.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
    const fault = path.startsWith('/_emulator') ? undefined : this.faults.take(method, path);
    if (fault?.kind === 'drop') return void req.socket.destroy();
    if (fault?.kind === 'hang') return; // the socket is destroyed on stop()
    if (fault?.kind === 'status')
      return this.send(res, log, {
        status: fault.status ?? 503,
        type: 'text/html',
        body: `<html><body><h1>${fault.status ?? 503}</h1></body></html>`,
      });

    const auth = this.authenticate(req, path);
    if ('status' in auth) return this.send(res, log, auth);
    log.login = auth.login;
    const r: EmuRequest = {
      method,
      path,
      query: url.searchParams,
      headers: req.headers,
      body,
      login: auth.login,
      sessionId: auth.cookie ?? auth.sessionId,
    };
    let out: Handled;
    try {
      out = path.startsWith('/_emulator') ? this.emulatorApi(r) : route(this, r);
    } catch (e) {
      out = { status: 500, type: 'text/plain', body: (e as Error).message };
    }
    if (auth.cookie) out.headers = { ...(out.headers ?? {}), 'Set-Cookie': `JSESSIONID=${auth.cookie}; Path=/; HttpOnly` };
    if (this.stateFile && method !== 'GET' && !this.saveTimer) this.saveTimer = setTimeout(() => this.save(), 200);
    if (fault?.kind === 'drop-after') return void req.socket.destroy();
    this.send(res, log, out);
  }

  private send(res: ServerResponse, log: LoggedRequest, out: Handled): void {
    log.status = out.status;
    res.writeHead(out.status, { 'Content-Type': out.type ?? 'text/plain', ...(out.headers ?? {}) });
    res.end(out.body ?? '');
  }

  /** Spring Security's part: the caller, a new session when Basic credentials came without one, or the 401/302. */
  private authenticate(req: IncomingMessage, path: string): { login: string; cookie?: string; sessionId?: string } | Handled {
    const sid = /(?:^|;\s*)JSESSIONID=([^;]+)/.exec(String(req.headers.cookie ?? ''))?.[1];
    const session = sid ? this.state.sessions.get(sid) : undefined;
    const header = String(req.headers.authorization ?? '');
    if (/^Basic /i.test(header)) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      const name = (i < 0 ? decoded : decoded.slice(0, i)).replace(/^localdb\//, '');
      const secret = i < 0 ? '' : decoded.slice(i + 1);
      const login = this.checkCredentials(name, secret);
      if (!login) return { status: 401, type: 'text/html', body: containerErrorPage(401, 'Login attempt failed. Please try again.') };
      if (session && session.login === login) return { login, sessionId: sid };
      return { login, cookie: this.state.createSession(login) };
    }
    if (session && this.state.users.get(session.login)?.enabled) return { login: session.login, sessionId: sid };
    if (OPEN_PATHS.has(path)) return { login: 'guest' };
    if (INTERACTIVE_RE.test(String(req.headers['user-agent'] ?? ''))) {
      return { status: 302, type: 'text/html', headers: { Location: '/app/template/Login.vm' }, body: '' };
    }
    return {
      status: 401,
      type: 'text/html',
      headers: { 'WWW-Authenticate': `Basic realm="${this.siteId}"` },
      body: containerErrorPage(401, 'Unauthorized'),
    };
  }

  /** A login for a username+password or an alias+secret; undefined when they are wrong. */
  checkCredentials(name: string, secret: string): string | undefined {
    if (UUID_RE.test(name)) {
      const t = this.state.tokens.get(name);
      return t && t.enabled && t.secret === secret && this.state.users.get(t.login)?.enabled ? t.login : undefined;
    }
    const u = this.state.users.get(name);
    return u && u.enabled && u.login !== 'guest' && u.password === secret ? u.login : undefined;
  }

  private emulatorApi(r: EmuRequest): Handled {
    if (!this.state.users.get(r.login)?.admin) return { status: 403, body: '' };
    const json = (v: unknown, status = 200): Handled => ({ status, type: 'application/json', body: JSON.stringify(v) });
    if (r.path === '/_emulator/faults' && r.method === 'POST') {
      try {
        return json({ id: this.faults.add(parseFault(JSON.parse(r.body || '{}'))) }, 201);
      } catch (e) {
        return { status: 400, body: (e as Error).message };
      }
    }
    if (r.path === '/_emulator/faults' && r.method === 'DELETE') {
      this.faults.clear();
      return { status: 204 };
    }
    if (r.path === '/_emulator/latency' && r.method === 'PUT') {
      this.faults.latencyMs = Math.max(0, Number(r.query.get('ms') ?? 0));
      return { status: 204 };
    }
    if (r.path === '/_emulator/invitations' && r.method === 'GET') return json(this.state.invitations);
    if (r.path === '/_emulator/mutations' && r.method === 'GET') return json(this.state.mutations);
    return { status: 404, body: '' };
  }
}

function normalise(p: string): string {
  let path = p.replace(/\/+$/, '') || '/';
  if (path.startsWith('/REST/') || path === '/REST') path = `/data${path.slice(5)}`;
  if (path.startsWith('/data/archive/')) path = `/data/${path.slice('/data/archive/'.length)}`;
  return path;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function randomPassword(): string {
  return crypto.randomUUID();
}
