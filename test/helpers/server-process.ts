/**
 * The real server (`server/main.ts`) as a child process in PostgreSQL mode against a test database,
 * API only (no web build needed), with an embedded Meilisearch in a temp dir. For tests of what
 * only a whole process shows: surviving outages, supervision of Meilisearch, crashes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../server/search/meili-process.js';
import { SERVER_NODE_FLAGS } from '../../server/node-flags.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  dataDir: string;
  /** Everything the process printed (last 200 kB). */
  output(): string;
  alive(): boolean;
  stop(): Promise<void>;
}

export async function startServerProcess(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'catalogue-proc-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const fullEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED: 'false',
    DEV_AUTH: 'true',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...env,
  };
  delete fullEnv.OIDC_ISSUER;
  delete fullEnv.MEILI_URL;
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const collect = (d: Buffer) => (out = (out + String(d)).slice(-200_000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (alive()) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (!alive()) {
      await stop();
      throw new Error(`server exited before it was ready:\n${out}`);
    }
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server not ready after 120 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, dataDir, output: () => out, alive, stop };
}

/** A bearer token for `user` from the process's dev issuer (`POST /api/v1/dev/token`, embedded default). */
export async function devToken(server: ServerProcess, user: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  if (res.status !== 200) throw new Error(`dev token for ${user}: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}
