/**
 * Browser-test harness: the real server (`server/main.ts`, built web app, seeded database cloned from
 * the migrated template, embedded Meilisearch in a temp dir, dev sign-in) as a child process on a free
 * port, and Debian's Chromium driven by playwright-core (never a downloaded browser).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { SERVER_NODE_FLAGS } from '../../server/node-flags.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Build web/ once when there is no build (CI builds it before the tests). */
export function ensureWebBuild() {
  if (existsSync(path.join(ROOT, 'web/build/handler.js'))) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: path.join(ROOT, 'web'),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`web build failed:\n${r.stdout}\n${r.stderr}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  db: TestDatabase;
  /** GET/POST JSON against the running API, optionally as a demo user. */
  api<T = any>(
    method: string,
    p: string,
    opts?: { as?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T; headers: Headers }>;
  stop(): Promise<void>;
}

/** `extraEnv` overrides the defaults (e.g. OIDC settings with DEV_AUTH=false). */
export async function startServer(extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  ensureWebBuild();
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'catalogue-browser-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED: 'true',
    DEV_AUTH: 'true',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  delete env.OIDC_ISSUER;
  delete env.MEILI_URL; // an embedded Meilisearch in dataDir: nothing shared with other runs
  Object.assign(env, extraEnv);
  const child: ChildProcess = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output = (output + String(d)).slice(-20000)));
  child.stderr?.on('data', (d) => (output = (output + String(d)).slice(-20000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await db.drop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`server exited with ${child.exitCode} before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server not ready after 180 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  const tokens = new Map<string, string>();
  const api: RunningServer['api'] = async (method, p, opts = {}) => {
    const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
    if (opts.as) {
      let token = tokens.get(opts.as);
      if (!token) {
        const res = await fetch(`${url}/api/v1/dev/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user: opts.as }),
        });
        token = ((await res.json()) as { token: string }).token;
        tokens.set(opts.as, token);
      }
      headers.authorization = `Bearer ${token}`;
    }
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + p, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, headers: res.headers };
  };

  return { url, db, api, stop };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Sign in through the dev sign-in page (one button per demo user) and come back to `returnTo`. */
export async function signIn(page: Page, base: string, user: string, returnTo = '/') {
  await page.goto(`${base}/signin?redirectTo=${encodeURIComponent(returnTo)}`);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/signin')), page.click(`button[name="user"][value="${user}"]`)]);
  await waitForHydration(page);
}

/** Typing into a server-rendered page before it hydrates can be overwritten by hydration. */
export async function waitForHydration(page: Page) {
  await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached', timeout: 30_000 });
}

/** Poll until `check` returns a value (not undefined), or fail with `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
