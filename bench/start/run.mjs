// Time to first useful answer of `npm start` on a fresh data directory: spawns the start command
// with DATA_DIR in a new temporary directory and a free port, timestamps every log line, and polls
// until /readyz answers 200 and /api/v1/search returns the seeded public collections.
//   node bench/start/run.mjs [--runs 3] [--cmd "npm start"] [--cwd <checkout>]
// Also prints the CPU seconds the process group (npm, node, Meilisearch) used until then: on a
// shared machine wall time follows the load, CPU time much less.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt('runs', '1'));
const cmd = opt('cmd', 'npm start');
const root = path.resolve(opt('cwd', fileURLToPath(new URL('../../', import.meta.url))));

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function once() {
  const dir = mkdtempSync(path.join(tmpdir(), 'catalogue-start-'));
  const port = await freePort();
  const t0 = performance.now();
  const ms = () => (performance.now() - t0).toFixed(0).padStart(6);
  const child = spawn(cmd, {
    shell: true,
    cwd: root,
    detached: true,
    env: { ...process.env, DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onLine = (buf) => {
    for (const l of buf.toString().split(/\r|\n/)) if (l.trim()) console.log(`${ms()} ms | ${l.slice(0, 160)}`);
  };
  child.stdout.on('data', onLine);
  child.stderr.on('data', onLine);
  let exited = false;
  child.on('exit', () => (exited = true));
  const base = `http://127.0.0.1:${port}`;
  let result;
  try {
    for (;;) {
      if (exited) throw new Error('the server exited before it was ready');
      if (performance.now() - t0 > 180_000) throw new Error('not ready after 180 s');
      try {
        const r = await fetch(`${base}/readyz`);
        if (r.status === 200) {
          const s = await (await fetch(`${base}/api/v1/search?hitsPerPage=1`)).json();
          if (s.total > 0) {
            result = { ms: performance.now() - t0, total: s.total, cpu: groupCpuSeconds(child.pid) };
            break;
          }
        }
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    await new Promise((r) => (exited ? r() : child.on('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`ready and searchable after ${(result.ms / 1000).toFixed(1)} s, ${result.cpu.toFixed(1)} CPU s (${result.total} public collections found; load average ${loadavg()[0].toFixed(1)})`);
  return result;
}

/** User + system CPU seconds of every live process in the process group (Linux /proc). */
function groupCpuSeconds(pgid) {
  const tick = 100; // USER_HZ
  let sum = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) === pgid) sum += (Number(f[11]) + Number(f[12])) / tick;
    } catch {
      /* exited meanwhile */
    }
  }
  return sum;
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await once());
if (runs > 1) console.log(`runs: ${results.map((r) => `${(r.ms / 1000).toFixed(1)} s (${r.cpu.toFixed(1)} CPU s)`).join(', ')}`);
