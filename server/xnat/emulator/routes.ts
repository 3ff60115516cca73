/**
 * The emulator's endpoints (contract §9: A2–A9, U1–U7, X1, S1, S3–S6, P1–P6). Statuses follow the
 * source; bodies are simplified where clients must not read them anyway (errors).
 */
import type { EmuRequest, XnatEmulator } from './server.js';
import type { Accessibility, EmuProject } from './state.js';
import { PROJECT_ID_RE, USERNAME_RE } from './state.js';
import { PROJECT_USER_COLUMNS, statusPage, tableCsv, tableHtml, tableJson, type Table } from './tables.js';

export interface Handled {
  status: number;
  type?: string;
  headers?: Record<string, string>;
  body?: string;
}

const text = (body: string, status = 200): Handled => ({ status, type: 'text/plain', body });
const json = (v: unknown, status = 200): Handled => ({ status, type: 'application/json', body: JSON.stringify(v) });
const page = (status: number, description: string): Handled => ({ status, type: 'text/html', body: statusPage(description) });
const empty = (status: number): Handled => ({ status, body: '' });

function table(r: EmuRequest, t: Table, status = 200): Handled {
  const format = r.query.get('format') ?? 'json';
  if (format === 'csv') return { status, type: 'text/csv', body: tableCsv(t) };
  if (format === 'html') return { status, type: 'text/html', body: tableHtml(t) };
  return { status, type: 'application/json', body: tableJson(t) };
}

export function route(emu: XnatEmulator, r: EmuRequest): Handled {
  const s = emu.state;
  const seg = r.path
    .split('/')
    .slice(1)
    .map((x) => x);
  const [root, a, b, c, d, e] = seg;
  const isAdmin = !!s.users.get(r.login)?.admin;

  if (root === 'data') {
    // Sessions and auth (A2–A5).
    if (a === 'JSESSION' && seg.length === 2) {
      const sid = r.sessionId;
      if (r.method === 'DELETE') {
        if (sid) s.sessions.delete(sid);
        return empty(200);
      }
      if (r.method !== 'GET' && r.method !== 'POST') return empty(405);
      const id = sid && s.sessions.has(sid) ? sid : s.createSession(r.login);
      const csrf = s.sessions.get(id)!.csrf;
      return {
        ...text(r.query.get('CSRF') === 'true' ? `${id}; XNAT_CSRF=${csrf}` : id),
        headers: { 'Set-Cookie': `JSESSIONID=${id}; Path=/; HttpOnly` },
      };
    }
    if (a === 'services' && b === 'auth' && seg.length === 3) {
      if (r.method !== 'PUT' && r.method !== 'POST') return empty(405);
      const form = new URLSearchParams(r.body);
      const login = emu.checkCredentials(
        form.get('username') ?? form.get('j_username') ?? '',
        form.get('password') ?? form.get('j_password') ?? '',
      );
      if (!login) return text('Authentication failed.', 401);
      const id = s.createSession(login);
      return { ...text(id), headers: { 'Set-Cookie': `JSESSIONID=${id}; Path=/; HttpOnly` } };
    }
    if (a === 'auth' && seg.length === 2 && r.method === 'GET') return text(`User '${r.login}' is logged in`);
    if (a === 'services' && b === 'tokens') return tokens(emu, r, seg.slice(3));
    if (a === 'users' && seg.length === 2 && r.method === 'GET') {
      if (r.login === 'guest') return empty(403);
      const rows = [...s.users.values()]
        .filter((u) => u.enabled && u.login !== 'guest')
        .sort((x, y) => x.lastname.localeCompare(y.lastname))
        .map((u) => ({ xdat_user_id: u.id, login: u.login, firstname: u.firstname, lastname: u.lastname, email: u.email }));
      return table(r, { columns: ['xdat_user_id', 'login', 'firstname', 'lastname', 'email'], rows, title: 'Projects' });
    }
    if (a === 'projects') return projects(emu, r, b, c, d, e, seg.length);
  }

  if (root === 'xapi') {
    if (a === 'users') {
      if (seg.length === 2 && r.method === 'GET') return json([...s.users.keys()].filter((l) => l !== 'guest'));
      if (seg.length === 2 && r.method === 'POST') return createUser(emu, r, isAdmin);
      if (b === 'profiles' && seg.length === 3) return json([...s.users.values()].filter((u) => u.login !== 'guest').map(profile));
      if (b === 'profile' && c && seg.length === 4) {
        if (!USERNAME_RE.test(c)) return text('Invalid username', 400);
        const u = s.users.get(c);
        return u && u.login !== 'guest' ? json(profile(u)) : text(`User not found: ${c}`, 404);
      }
      if (b && c === 'groups' && seg.length === 4 && r.method === 'GET') {
        if (!isAdmin && r.login !== b) return empty(403);
        if (!s.users.has(b)) return text(`User not found: ${b}`, 404);
        return json([...s.projects.values()].flatMap((p) => [...p.groups.values()].filter((g) => g.members.has(b)).map((g) => g.id)));
      }
      if (b && seg.length === 3 && r.method === 'GET') {
        if (!isAdmin && r.login !== b) return empty(403);
        const u = s.users.get(b);
        return u ? json(profile(u)) : text('Internal server error', 500); // XNAT: 500 for an unknown user
      }
    }
    return empty(404);
  }
  return page(404, 'The server has not found anything matching the request URI');
}

function profile(u: { id: number; login: string; firstname: string; lastname: string; email: string; enabled: boolean }) {
  return {
    id: u.id,
    username: u.login,
    firstName: u.firstname,
    lastName: u.lastname,
    email: u.email,
    enabled: u.enabled,
    verified: true,
    secured: true,
  };
}

function createUser(emu: XnatEmulator, r: EmuRequest, isAdmin: boolean): Handled {
  if (!isAdmin) return empty(403);
  let b: Record<string, unknown>;
  try {
    b = JSON.parse(r.body || '{}');
  } catch {
    return text('Malformed JSON', 400);
  }
  const username = String(b.username ?? '');
  if (!USERNAME_RE.test(username) || typeof b.password !== 'string') return text('Invalid user', 400);
  if (emu.state.users.has(username)) return text(`User ${username} already exists`, 409);
  const u = emu.state.addUser({
    login: username,
    password: b.password,
    firstname: String(b.firstName ?? ''),
    lastname: String(b.lastName ?? ''),
    email: String(b.email ?? ''),
    enabled: b.enabled !== false,
  });
  return json(profile(u), 201);
}

function tokens(emu: XnatEmulator, r: EmuRequest, rest: string[]): Handled {
  const s = emu.state;
  if (r.method !== 'GET') return empty(405);
  const [op, x, y] = rest;
  const isAdmin = !!s.users.get(r.login)?.admin;
  const tokenJson = (t: { alias: string; secret: string; login: string; created: number; enabled: boolean }) => ({
    alias: t.alias,
    secret: t.secret,
    xdatUserId: t.login,
    singleUse: false,
    enabled: t.enabled,
    created: t.created,
    timestamp: t.created,
    estimatedExpirationTime: t.created + 2 * 86_400_000,
    id: t.created,
  });
  if (op === 'issue' && !x)
    return r.login === 'guest' ? text("The guest user can't request alias tokens", 403) : json(tokenJson(s.issueToken(r.login)));
  if (op === 'issue' && x === 'user' && y) {
    if (!isAdmin) return empty(403);
    return s.users.has(y) ? json(tokenJson(s.issueToken(y))) : text(`User not found: ${y}`, 404);
  }
  if (op === 'validate' && x) {
    if (!y) return empty(401);
    const t = s.tokens.get(x);
    if (!t) return page(404, 'Not found');
    return json(t.enabled && t.secret === y ? { valid: t.login } : {});
  }
  if (op === 'invalidate' && x) {
    const t = s.tokens.get(x);
    if (!t) return page(404, 'Not found');
    if (!isAdmin && t.login !== r.login) return empty(403);
    t.enabled = false;
    return json({ result: 'OK' });
  }
  return page(404, 'Not found');
}

function projects(
  emu: XnatEmulator,
  r: EmuRequest,
  id: string | undefined,
  sub: string | undefined,
  g: string | undefined,
  u: string | undefined,
  n: number,
): Handled {
  const s = emu.state;
  const isAdmin = !!s.users.get(r.login)?.admin;
  if (!id) {
    if (r.method !== 'GET') return empty(405);
    let visible = [...s.projects.values()].filter((p) => s.canRead(r.login, p));
    if (r.query.get('restrict') === 'edit' || r.query.get('restrict') === 'delete')
      visible = visible.filter((p) => s.canManage(r.login, p));
    const rows = visible.map((p) => ({
      ID: p.id,
      secondary_ID: p.secondaryId,
      name: p.name,
      description: p.description,
      pi_firstname: '',
      pi_lastname: '',
      URI: `/data/projects/${p.id}`,
    }));
    return table(r, { columns: ['ID', 'secondary_ID', 'name', 'description', 'pi_firstname', 'pi_lastname', 'URI'], rows });
  }
  const p = s.projects.get(id);
  const visible = p && s.canRead(r.login, p);
  const notFound = () => page(404, `The project ID ${id} does not appear to be a valid project ID. Please verify your information.`);

  if (!sub) {
    if (r.method === 'PUT') return putProject(emu, r, id, p);
    if (r.method === 'DELETE') {
      if (!p) return page(400, 'Unknown project');
      if (!s.canManage(r.login, p)) return empty(403);
      s.projects.delete(id);
      return empty(200);
    }
    if (!visible) return notFound();
    return json({
      items: [
        {
          meta: { 'xsi:type': 'xnat:projectData', isHistory: false },
          data_fields: { ID: p.id, secondary_ID: p.secondaryId, name: p.name, description: p.description },
        },
      ],
    });
  }
  if (!p || !visible) return notFound();

  if (sub === 'accessibility') {
    if (r.method === 'GET' && n === 4) return text(p.accessibility);
    if (r.method === 'PUT') {
      if (!g) return text('Missing accessibility', 400);
      if (!s.canManage(r.login, p)) return empty(403);
      p.accessibility = g === 'public' || g === 'protected' ? g : 'private';
      return text(p.accessibility);
    }
    return empty(405);
  }
  if (sub === 'groups' && n === 4) {
    const rows = [...p.groups.values()]
      .sort((x, y) => (x.displayname < y.displayname ? 1 : -1))
      .map((grp, i) => ({ id: grp.id, displayname: grp.displayname, tag: grp.tag, xdat_usergroup_id: i + 1, users: grp.members.size }));
    return table(r, { columns: ['id', 'displayname', 'tag', 'xdat_usergroup_id', 'users'], rows });
  }
  if (sub === 'users') {
    const usersTable = (status = 200, includeDisabled = true) =>
      table(r, { columns: PROJECT_USER_COLUMNS, rows: s.projectUserRows(p, includeDisabled), title: 'Projects' }, status);
    if (n === 4 || (n === 5 && r.method === 'GET')) {
      if (r.method !== 'GET') return empty(405);
      return usersTable(200, g === 'true');
    }
    if (n !== 6 || !g || !u) return notFound();
    const group = s.findGroup(p, g);
    if (!group) return page(404, `Unable to find group ${g}`);
    if (r.method === 'GET') return usersTable(200, false);
    if (r.method === 'POST') return empty(405);
    const manage = isAdmin || s.canManage(r.login, p);
    if (r.method === 'PUT') {
      if (u === 'guest') return usersTable(412, false);
      if (!manage) return usersTable(403, false);
      const logins = u.split(/\s+,\s+/);
      for (const login of logins) {
        const user = s.users.get(login);
        if (!user) s.invitations.push({ projectId: p.id, groupId: group.id, invitee: login, by: r.login, at: new Date() });
        else s.addToGroup(p, group, login, r.login);
      }
      return usersTable(200, false);
    }
    if (r.method === 'DELETE') {
      if (!manage) return usersTable(403, false);
      for (const login of u.split(/\s+,\s+/)) s.removeFromGroup(p, group, login, r.login);
      return usersTable(200, false);
    }
    return empty(405);
  }
  return notFound();
}

function putProject(emu: XnatEmulator, r: EmuRequest, id: string, existing: EmuProject | undefined): Handled {
  const s = emu.state;
  if (r.login === 'guest') return empty(403);
  if (!PROJECT_ID_RE.test(id)) return page(417, 'Invalid project ID');
  const q = r.query;
  if (existing) {
    if (!s.canManage(r.login, existing)) return empty(403);
    if (q.get('name')) existing.name = q.get('name')!;
    if (q.get('description')) existing.description = q.get('description')!;
    return empty(200);
  }
  const name = q.get('name') ?? id;
  const secondary = q.get('secondary_ID') ?? id;
  const clash = [...s.projects.values()].some((p) =>
    [p.id, p.name, p.secondaryId].some((v) => [id, name, secondary].some((w) => v.toLowerCase() === w.toLowerCase())),
  );
  if (clash) return page(409, 'Project ID, title or running title already in use');
  const acc = q.get('accessibility');
  const accessibility: Accessibility = !acc ? 'protected' : acc === 'public' || acc === 'protected' ? acc : 'private';
  s.addProject({ id, name, secondaryId: secondary, description: q.get('description') ?? '', accessibility, owner: r.login });
  return empty(200);
}
