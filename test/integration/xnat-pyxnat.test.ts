/**
 * A real XNAT client checks the emulator: Debian's python3-pyxnat (with Debian's /usr/bin/python3)
 * lists, adds, moves and removes a project user. `.ci/run` installs python3-pyxnat.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../server/xnat/emulator/demo.js';
import { XnatEmulator } from '../../server/xnat/emulator/server.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../fixtures/pyxnat_roles.py', import.meta.url));

describe('pyxnat against the XNAT emulator', () => {
  const emu = new XnatEmulator();
  let url = '';
  beforeAll(async () => {
    seedDemo(emu);
    url = await emu.start();
  });
  afterAll(() => emu.stop());

  it('lists, adds, moves and removes a project user, reusing one session', async () => {
    const { stdout } = await run('/usr/bin/python3', [script, url, 'curator', 'curator', 'DEMO_LUNG_CT', 'researcher'], {
      timeout: 60_000,
    });
    const out = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(out.exists).toBe(true);
    expect(out.accessibility).toBe('protected');
    expect(out.before).toEqual(['curator']);
    expect(out.after_add).toEqual({ users: ['curator', 'researcher'], members: ['researcher'], role: 'member' });
    expect(out.after_move).toEqual({ members: [], collaborators: ['researcher'], role: 'collaborator' });
    expect(out.after_remove).toEqual(['curator']);
    expect(out.site_users).toEqual(expect.arrayContaining(['admin', 'curator', 'researcher', 'researcher2', 'eu-curator']));

    // What pyxnat sent: display-name groups, no sendemail, CSV reads, and the DELETE on the group the user was in.
    expect(emu.requestsTo('PUT', /^\/data\/projects\/DEMO_LUNG_CT\/users\//).map((r) => r.path)).toEqual([
      '/data/projects/DEMO_LUNG_CT/users/Members/researcher',
      '/data/projects/DEMO_LUNG_CT/users/Collaborators/researcher',
    ]);
    expect(emu.requestsTo('DELETE', /^\/data\/projects\/DEMO_LUNG_CT\/users\//).map((r) => r.path)).toEqual([
      '/data/projects/DEMO_LUNG_CT/users/Collaborators/researcher',
    ]);
    expect(emu.state.roleOf('DEMO_LUNG_CT', 'researcher')).toBeUndefined();
    // The move was one change (remove from Members + add to Collaborators), never two groups at once.
    const changes = emu.state.mutations.filter((m) => m.login === 'researcher').map((m) => `${m.op}:${m.groupId}`);
    expect(changes).toEqual([
      'add:DEMO_LUNG_CT_member',
      'remove:DEMO_LUNG_CT_member',
      'add:DEMO_LUNG_CT_collaborator',
      'remove:DEMO_LUNG_CT_collaborator',
    ]);
    // pyxnat's requests.Session replays the JSESSIONID: one session for the whole run (then deleted).
    expect(emu.state.sessionsCreated).toBe(1);
    expect(emu.state.sessions.size).toBe(0);
  });

  it('fails cleanly for a member who may not manage the project (403) and for wrong credentials (401)', async () => {
    const denied = await run('/usr/bin/python3', [script, url, 'researcher2', 'researcher2', 'DEMO_LUNG_CT', 'researcher'], {
      timeout: 60_000,
    }).catch((e) => e);
    expect(denied.code).not.toBe(0);
    expect(emu.state.roleOf('DEMO_LUNG_CT', 'researcher')).toBeUndefined();
    const wrong = await run('/usr/bin/python3', [script, url, 'curator', 'wrong', 'DEMO_LUNG_CT', 'researcher'], { timeout: 60_000 }).catch(
      (e) => e,
    );
    expect(wrong.code).not.toBe(0);
  });
});
