/**
 * The emulator behaves like XNAT where the contract says so (401 vs 403 vs 404, sessions, tokens,
 * the role endpoint's quirks), and our client talks to it as the contract requires.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { XnatClient, XnatError } from '../../server/xnat/client.js';
import { XnatEmulator } from '../../server/xnat/emulator/server.js';

const emu = new XnatEmulator({ adminUser: 'boss', adminPassword: 's3cret' });
let url = '';
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const UA = { 'User-Agent': 'test-client/1.0' };
const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(`${url}${path}`, { method, headers: { ...UA, ...headers }, redirect: 'manual' });

beforeAll(async () => {
  url = await emu.start();
  emu.state.addUser({ login: 'olga', password: 'o' });
  emu.state.addUser({ login: 'mia', password: 'm' });
  emu.state.addUser({ login: 'dis', password: 'd', enabled: false });
  emu.state.addProject({ id: 'PRIV', accessibility: 'private', owner: 'olga' });
  emu.state.addProject({ id: 'PROT', accessibility: 'protected', owner: 'olga' });
});
afterAll(() => emu.stop());
beforeEach(() => emu.faults.clear());

describe('authentication', () => {
  it('401 with WWW-Authenticate without credentials, 401 without it for wrong ones, a login redirect for browsers', async () => {
    const none = await get('/data/projects');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="XNAT"');
    const wrong = await get('/data/projects', { Authorization: basic('boss', 'nope') });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBeNull();
    expect(await wrong.text()).toContain('Login attempt failed. Please try again.');
    const browser = await fetch(`${url}/data/projects`, { headers: { 'User-Agent': 'Mozilla/5.0' }, redirect: 'manual' });
    expect(browser.status).toBe(302);
    expect(browser.headers.get('location')).toBe('/app/template/Login.vm');
    expect((await get('/data/projects', { Authorization: basic('boss', 's3cret') })).status).toBe(200);
    expect((await get('/data/projects', { Authorization: basic('dis', 'd') })).status).toBe(401);
  });

  it('JSESSIONID: Basic opens a session, the cookie alone works, DELETE /data/JSESSION ends it', async () => {
    const open = await get('/data/JSESSION', { Authorization: basic('boss', 's3cret') });
    const id = await open.text();
    expect(id).toMatch(/^[0-9A-F]{32}$/);
    expect(open.headers.get('set-cookie')).toContain(`JSESSIONID=${id}`);
    expect((await get('/data/auth', { Cookie: `JSESSIONID=${id}` })).status).toBe(200);
    expect(await (await get('/data/auth', { Cookie: `JSESSIONID=${id}` })).text()).toBe("User 'boss' is logged in");
    await get('/data/JSESSION', { Cookie: `JSESSIONID=${id}` }, 'DELETE');
    expect((await get('/data/auth', { Cookie: `JSESSIONID=${id}` })).status).toBe(401);
    // /data/JSESSION is open: without credentials it answers a guest session, which proves nothing.
    expect((await get('/data/JSESSION')).status).toBe(200);
    expect((await get('/data/auth')).status).toBe(401);
  });

  it('alias tokens: issued as JSON, usable as Basic alias:secret, 401 once invalidated', async () => {
    const t = await (await get('/data/services/tokens/issue', { Authorization: basic('olga', 'o') })).json();
    expect(t.alias).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.secret).toMatch(/^[A-Za-z0-9]{64}$/);
    expect((await get('/data/projects/PRIV/users', { Authorization: basic(t.alias, t.secret) })).status).toBe(200);
    expect(
      await (await get(`/data/services/tokens/validate/${t.alias}/${t.secret}`, { Authorization: basic('olga', 'o') })).json(),
    ).toEqual({ valid: 'olga' });
    expect((await get(`/data/services/tokens/issue/user/mia`, { Authorization: basic('olga', 'o') })).status).toBe(403);
    await get(`/data/services/tokens/invalidate/${t.alias}`, { Authorization: basic('olga', 'o') });
    expect((await get('/data/projects/PRIV/users', { Authorization: basic(t.alias, t.secret) })).status).toBe(401);
  });
});

describe('projects, users and roles', () => {
  const mia = { Authorization: basic('mia', 'm') };
  const boss = { Authorization: basic('boss', 's3cret') };

  it('404 for a private project one is not in, 403 for changing roles of a visible one without owning it', async () => {
    expect((await get('/data/projects/PRIV/users', mia)).status).toBe(404);
    expect((await get('/data/projects/PRIV/accessibility', mia)).status).toBe(404);
    expect((await get('/data/projects/PROT/users', mia)).status).toBe(200);
    const denied = await get('/data/projects/PROT/users/PROT_owner/mia', mia, 'PUT');
    expect(denied.status).toBe(403);
    expect(denied.headers.get('content-type')).toBe('application/json'); // the table, as XNAT sends
    expect(await (await get('/data/projects/PROT/accessibility', mia)).text()).toBe('protected');
  });

  it('PUT moves between groups, DELETE on the wrong group is a 200 no-op, unknown users get an invitation and are not added', async () => {
    expect((await get('/data/projects/PROT/users/Members/mia', boss, 'PUT')).status).toBe(200);
    expect(emu.state.roleOf('PROT', 'mia')).toBe('member');
    expect((await get('/data/projects/PROT/users/collaborator/mia', boss, 'PUT')).status).toBe(200); // {P}_{name}
    expect(emu.state.roleOf('PROT', 'mia')).toBe('collaborator');
    expect((await get('/data/projects/PROT/users/PROT_member/mia', boss, 'DELETE')).status).toBe(200);
    expect(emu.state.roleOf('PROT', 'mia')).toBe('collaborator');
    expect((await get('/data/projects/PROT/users/members/mia', boss, 'PUT')).status).toBe(404); // case-sensitive display name
    expect((await get('/data/projects/PROT/users/PRIV_owner/mia', boss, 'PUT')).status).toBe(404); // another project's group
    expect((await get('/data/projects/PROT/users/Members/guest', boss, 'PUT')).status).toBe(412);
    expect((await get('/data/projects/PROT/users/Members/mia', boss, 'POST')).status).toBe(405);
    const invite = await get('/data/projects/PROT/users/Members/nobody@example.org', boss, 'PUT');
    expect(invite.status).toBe(200);
    expect(emu.state.invitations.at(-1)).toMatchObject({ projectId: 'PROT', invitee: 'nobody@example.org' });
    expect(emu.state.roleOf('PROT', 'nobody@example.org')).toBeUndefined();
  });

  it('project users as JSON (all strings) and CSV, disabled users only under /users/true', async () => {
    emu.state.setRoleByHand('PROT', 'dis', 'member');
    const j = await (await get('/data/projects/PROT/users?format=json', boss)).json();
    expect(j.ResultSet.title).toBe('Projects');
    expect(j.ResultSet.totalRecords).toBe(String(j.ResultSet.Result.length));
    expect(j.ResultSet.Result.map((r: { GROUP_ID: string }) => r.GROUP_ID)).toEqual(['PROT_owner', 'PROT_collaborator']); // ordered by GROUP_ID desc
    expect(Object.keys(j.ResultSet.Result[0])).toEqual(['GROUP_ID', 'displayname', 'login', 'firstname', 'lastname', 'email']);
    const all = await (await get('/data/projects/PROT/users/true?format=json', boss)).json();
    expect(all.ResultSet.Result.map((r: { login: string }) => r.login)).toContain('dis');
    const csv = await (await get('/data/projects/PROT/users?format=csv', boss)).text();
    expect(csv.split('\n')[0]).toBe('GROUP_ID,displayname,login,firstname,lastname,email');
  });

  it('user existence: /xapi/users/profile is 404 for unknown users, /xapi/users/{u} is a 500', async () => {
    expect((await get('/xapi/users/profile/mia', mia)).status).toBe(200);
    expect((await get('/xapi/users/profile/ghost', mia)).status).toBe(404);
    expect((await get('/xapi/users/ghost', boss)).status).toBe(500);
    expect(await (await get('/xapi/users', mia)).json()).toEqual(expect.arrayContaining(['boss', 'olga', 'mia']));
    expect((await get('/xapi/users/olga/groups', mia)).status).toBe(403);
  });

  it('project creation: default protected, creator becomes owner, 409 on a duplicate', async () => {
    expect((await get('/data/projects/NEWP?name=New', mia, 'PUT')).status).toBe(200);
    expect(emu.state.projects.get('NEWP')?.accessibility).toBe('protected');
    expect(emu.state.roleOf('NEWP', 'mia')).toBe('owner');
    expect((await get('/data/projects/OTHER?name=new', mia, 'PUT')).status).toBe(409);
  });

  it('faults can be injected over HTTP by the emulator admin', async () => {
    expect(
      (
        await fetch(`${url}/_emulator/faults`, {
          method: 'POST',
          headers: { ...mia, 'content-type': 'application/json' },
          body: '{"kind":"status"}',
        })
      ).status,
    ).toBe(403);
    await fetch(`${url}/_emulator/faults`, {
      method: 'POST',
      headers: { ...boss, 'content-type': 'application/json' },
      body: '{"kind":"status","status":503,"count":1,"path":"^/data/projects"}',
    });
    expect((await get('/data/projects', boss)).status).toBe(503);
    expect((await get('/data/projects', boss)).status).toBe(200);
  });
});

describe('XnatClient', () => {
  const client = () =>
    new XnatClient({ baseUrl: url, credentials: { kind: 'password', username: 'boss', password: 's3cret' }, timeoutMs: 500 });

  it('reuses one session, signs in again when it expired, and sends no sendemail', async () => {
    const c = client();
    const before = emu.state.sessionsCreated;
    await c.setRole('PROT', 'mia', 'member');
    expect(await c.projectMembers('PROT')).toEqual(expect.arrayContaining([{ login: 'mia', groupId: 'PROT_member', role: 'member' }]));
    expect(await c.userExists('mia')).toBe(true);
    expect(await c.userExists('ghost')).toBe(false);
    expect(emu.state.sessionsCreated - before).toBe(1);
    emu.state.sessions.clear(); // XNAT restarted or the session timed out
    await c.removeFromGroup('PROT', 'mia', 'PROT_member');
    expect(emu.state.roleOf('PROT', 'mia')).toBeUndefined();
    expect(emu.state.sessionsCreated - before).toBe(2);
    expect(emu.requests.filter((r) => r.method === 'PUT').every((r) => !r.query.includes('sendemail'))).toBe(true);
    await c.close();
  });

  it('maps statuses and network failures to error kinds (never reading bodies)', async () => {
    const kind = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: XnatError) => e.kind,
      );
    expect(await kind(client().projectMembers('NOPE'))).toBe('not_found');
    const mia = new XnatClient({ baseUrl: url, credentials: { kind: 'password', username: 'mia', password: 'm' }, timeoutMs: 500 });
    expect(await kind(mia.setRole('PROT', 'mia', 'owner'))).toBe('forbidden');
    const bad = new XnatClient({ baseUrl: url, credentials: { kind: 'password', username: 'boss', password: 'x' }, timeoutMs: 500 });
    expect(await kind(bad.checkLogin())).toBe('unauthorized');
    emu.faults.add({ kind: 'status', status: 502, count: 1 });
    expect(await kind(client().projectMembers('PROT'))).toBe('unavailable');
    emu.faults.add({ kind: 'drop', count: 1 });
    expect(await kind(client().projectMembers('PROT'))).toBe('unavailable');
    emu.faults.add({ kind: 'hang', count: 1 });
    expect(await kind(client().projectMembers('PROT'))).toBe('timeout');
    expect(await kind(client().setRole('PROT', "o'brien", 'member'))).toBe('rejected');
    expect(await kind(client().removeFromGroup('PROT', 'mia', 'PRIV_member'))).toBe('rejected');
  });
});
