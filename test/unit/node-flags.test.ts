import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../server/node-flags.js';

const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> })
  .scripts;

describe('server processes run with the production Node flags', () => {
  it.each(['start', 'worker'])('npm run %s passes every flag of SERVER_NODE_FLAGS to the server process', (name) => {
    const launch = scripts[name]!.split('&&').pop()!.trim().split(/\s+/);
    expect(launch[0]).toBe('node');
    for (const flag of SERVER_NODE_FLAGS) expect(launch).toContain(flag);
  });

  it('each flag is one V8 accepts on the command line', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
