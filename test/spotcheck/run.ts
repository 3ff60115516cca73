/**
 * Deleting an authorization check (issue 12): for every check listed in ./checks.ts, neutralise it in
 * the source (one exact text replacement), run the test files that should notice, record which test
 * failed, and put the source back. Not part of `npm test`; run it on a copy of the tree when you keep
 * working in yours (it edits files under server/ and web/src/ while it runs):
 *
 *   npx tsx test/spotcheck/run.ts --dry     # is every check's text still in its file?
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres nice -n 10 npx tsx test/spotcheck/run.ts [--only id,id] [--out file.md]
 *
 * Each check lists its runs, cheapest first; the first run with a failing test ends the check
 * ("caught"). A check whose runs all pass "survived": add a test. A check whose text is no longer in
 * its file is "stale": update the list. The browser tier serves the built app: its runs for checks in
 * web/src/ rebuild web/ first (and once more at the end, unmutated).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKS, type Check } from './checks/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = opt('--only')?.split(',');
const out = opt('--out');
/** Only check that every text is still in its file. */
const dry = args.includes('--dry');
const checks = only ? CHECKS.filter((c) => only.includes(c.id)) : CHECKS;

interface Result {
  check: Check;
  outcome: 'caught' | 'survived' | 'stale';
  by?: string;
  seconds: number;
}

let restore: (() => void) | undefined;
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    restore?.();
    process.exit(130);
  });

function buildWeb(): boolean {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: path.join(ROOT, 'web'),
    encoding: 'utf8',
  });
  return r.status === 0;
}

const NO_TEST = '(no test ran:';

/** Run vitest; the names of the failing tests (empty: all passed). */
function vitest(files: string[], filter?: string): string[] {
  const report = path.join(tmpdir(), `spotcheck-${process.pid}.json`);
  rmSync(report, { force: true });
  const cli = ['node_modules/vitest/vitest.mjs', 'run', ...files, '--reporter=json', `--outputFile=${report}`, '--bail=1'];
  if (filter) cli.push('-t', filter);
  const r = spawnSync(process.execPath, cli, { cwd: ROOT, encoding: 'utf8', env: process.env, maxBuffer: 64 << 20 });
  if (!existsSync(report)) return [`(vitest exited ${r.status} without a report) ${r.stderr.slice(-300)}`];
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    testResults: { name: string; status: string; message?: string; assertionResults: { fullName: string; status: string }[] }[];
  };
  rmSync(report, { force: true });
  // A filter that matches no test proves nothing: report it rather than let the check "survive".
  if (!json.testResults.some((f) => f.assertionResults.some((a) => a.status === 'passed' || a.status === 'failed')))
    return [`${NO_TEST} ${files.join(' ')}${filter ? ` -t ${filter}` : ''}`];
  const failed = json.testResults.flatMap((f) => {
    const tests = f.assertionResults.filter((a) => a.status === 'failed').map((a) => `${path.relative(ROOT, f.name)} › ${a.fullName}`);
    // A file that fails before its tests (e.g. in beforeAll) counts too.
    return tests.length ? tests : f.status === 'failed' ? [`${path.relative(ROOT, f.name)} (${(f.message ?? '').split('\n')[0]})`] : [];
  });
  return failed;
}

function runCheck(c: Check): Result {
  const started = Date.now();
  const file = path.join(ROOT, c.file);
  const original = readFileSync(file, 'utf8');
  const parts = original.split(c.find);
  const nth = c.nth ?? 0;
  if (parts.length < 2 || (c.nth === undefined && parts.length > 2) || nth >= parts.length - 1)
    return { check: c, outcome: 'stale', seconds: 0 };
  const mutated = parts.slice(0, nth + 1).join(c.find) + c.replace + parts.slice(nth + 1).join(c.find);
  if (dry) return { check: c, outcome: 'caught', by: '(dry run: text found)', seconds: 0 };
  restore = () => writeFileSync(file, original);
  writeFileSync(file, mutated);
  try {
    const web = c.file.startsWith('web/src/');
    for (const run of c.runs) {
      if (run.browser && web && !buildWeb())
        return { check: c, outcome: 'caught', by: 'web build fails', seconds: (Date.now() - started) / 1000 };
      const failed = vitest(run.files, run.filter);
      if (failed[0]?.startsWith(NO_TEST)) return { check: c, outcome: 'stale', by: failed[0], seconds: (Date.now() - started) / 1000 };
      if (failed.length) return { check: c, outcome: 'caught', by: failed[0], seconds: (Date.now() - started) / 1000 };
    }
    return { check: c, outcome: 'survived', seconds: (Date.now() - started) / 1000 };
  } finally {
    restore();
    restore = undefined;
  }
}

const results: Result[] = [];
let rebuilt = false;
for (const c of checks) {
  const r = runCheck(c);
  if (c.file.startsWith('web/src/') && c.runs.some((x) => x.browser)) rebuilt = true;
  results.push(r);
  console.log(`${r.outcome.padEnd(8)} ${c.id} (${r.seconds.toFixed(0)} s)${r.by ? ` — ${r.by}` : ''}`);
}
if (rebuilt && !dry) buildWeb();

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = [
  '| check | neutralised | outcome | first failing test |',
  '|---|---|---|---|',
  ...results.map((r) => `| \`${r.check.id}\` | ${cell(r.check.what)} | ${r.outcome} | ${cell(r.by ?? '')} |`),
].join('\n');
if (out) writeFileSync(out, table + '\n');
console.log(`\n${table}\n`);
const survived = results.filter((r) => r.outcome !== 'caught');
console.log(
  `${results.length - survived.length}/${results.length} ${dry ? 'texts found' : 'caught'}${survived.length ? `; not caught: ${survived.map((r) => r.check.id).join(', ')}` : ''}`,
);
process.exitCode = survived.length ? 1 : 0;
