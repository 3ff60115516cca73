/**
 * The XNAT emulator's in-memory model: users, alias tokens, sessions, projects and their groups,
 * and the "project access request" invitations XNAT sends for unknown usernames. The rules follow
 * docs of the contract (../shared/reference/xnat-contract.md §3): roles are the groups
 * {P}_owner / {P}_member / {P}_collaborator; adding a user to a group first removes them from every
 * group with the same tag (a move); removing from a group the user is not in is a no-op.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export type Accessibility = 'public' | 'protected' | 'private';

export interface EmuUser {
  id: number;
  login: string;
  password: string;
  firstname: string;
  lastname: string;
  email: string;
  enabled: boolean;
  admin: boolean;
}

export interface EmuGroup {
  id: string;
  displayname: string;
  tag: string;
  members: Set<string>;
}

export interface EmuProject {
  id: string;
  name: string;
  secondaryId: string;
  description: string;
  accessibility: Accessibility;
  groups: Map<string, EmuGroup>;
}

export interface EmuToken {
  alias: string;
  secret: string;
  login: string;
  created: number;
  enabled: boolean;
}

/** What XNAT would have e-mailed: an invitation for a username or address it did not know. */
export interface Invitation {
  projectId: string;
  groupId: string;
  invitee: string;
  by: string;
  at: Date;
}

/** A membership change that actually happened (for "never applied twice" checks). */
export interface Mutation {
  op: 'add' | 'remove';
  projectId: string;
  groupId: string;
  login: string;
  by: string;
  at: Date;
}

const STANDARD = [
  ['owner', 'Owners'],
  ['member', 'Members'],
  ['collaborator', 'Collaborators'],
] as const;

export const USERNAME_RE = /^[a-zA-Z][A-Za-z0-9-_'.]{0,63}$/;
export const PROJECT_ID_RE = /^[A-Za-z0-9_-]+$/;

export class XnatState {
  readonly users = new Map<string, EmuUser>();
  readonly tokens = new Map<string, EmuToken>();
  readonly sessions = new Map<string, { login: string; csrf: string; created: number }>();
  readonly projects = new Map<string, EmuProject>();
  readonly invitations: Invitation[] = [];
  readonly mutations: Mutation[] = [];
  /** Sessions ever created (each Basic call without a cookie creates one in XNAT). */
  sessionsCreated = 0;
  private nextUserId = 1;

  addUser(u: {
    login: string;
    password: string;
    firstname?: string;
    lastname?: string;
    email?: string;
    enabled?: boolean;
    admin?: boolean;
  }): EmuUser {
    if (!USERNAME_RE.test(u.login)) throw new Error(`invalid username ${u.login}`);
    if (this.users.has(u.login)) throw new Error(`user ${u.login} exists`);
    const user: EmuUser = {
      id: this.nextUserId++,
      login: u.login,
      password: u.password,
      firstname: u.firstname ?? u.login,
      lastname: u.lastname ?? '',
      email: u.email ?? `${u.login}@example.org`,
      enabled: u.enabled ?? true,
      admin: u.admin ?? false,
    };
    this.users.set(user.login, user);
    return user;
  }

  addProject(p: {
    id: string;
    name?: string;
    secondaryId?: string;
    description?: string;
    accessibility?: Accessibility;
    owner?: string;
  }): EmuProject {
    if (!PROJECT_ID_RE.test(p.id)) throw new Error(`invalid project id ${p.id}`);
    const project: EmuProject = {
      id: p.id,
      name: p.name ?? p.id,
      secondaryId: p.secondaryId ?? p.id,
      description: p.description ?? '',
      accessibility: p.accessibility ?? 'protected',
      groups: new Map(),
    };
    for (const [suffix, displayname] of STANDARD) {
      const id = `${p.id}_${suffix}`;
      project.groups.set(id, { id, displayname, tag: p.id, members: new Set() });
    }
    this.projects.set(project.id, project);
    if (p.owner) project.groups.get(`${p.id}_owner`)!.members.add(p.owner);
    return project;
  }

  /** A custom group (display names may not contain `_`), e.g. `Reviewers`. */
  addCustomGroup(projectId: string, displayname: string): EmuGroup {
    const project = this.mustProject(projectId);
    const id = `${projectId}_${displayname.toLowerCase()}`;
    const group: EmuGroup = { id, displayname, tag: projectId, members: new Set() };
    project.groups.set(id, group);
    return group;
  }

  issueToken(login: string): EmuToken {
    const token: EmuToken = { alias: randomUUID(), secret: alnum(64), login, created: Date.now(), enabled: true };
    this.tokens.set(token.alias, token);
    return token;
  }

  createSession(login: string): string {
    this.sessionsCreated++;
    const id = randomBytes(16).toString('hex').toUpperCase();
    this.sessions.set(id, { login, csrf: randomUUID(), created: Date.now() });
    return id;
  }

  /** Who may see the project: public/protected for every signed-in user, private for members and admins. */
  canRead(login: string, p: EmuProject): boolean {
    if (this.users.get(login)?.admin) return true;
    if (p.accessibility !== 'private') return login !== 'guest' || p.accessibility === 'public';
    return this.groupOf(p, login) !== undefined;
  }

  /** Owners and site admins manage users and accessibility (`Permissions.canDelete`). */
  canManage(login: string, p: EmuProject): boolean {
    if (this.users.get(login)?.admin) return true;
    return p.groups.get(`${p.id}_owner`)?.members.has(login) ?? false;
  }

  groupOf(p: EmuProject, login: string): EmuGroup | undefined {
    for (const g of p.groups.values()) if (g.members.has(login)) return g;
    return undefined;
  }

  /**
   * `findGroup`: a group ID of this project, then `{P}_{name}`, then a display name (case-sensitive).
   * XNAT would also accept another project's group ID (a known quirk); the emulator answers 404.
   */
  findGroup(p: EmuProject, name: string): EmuGroup | undefined {
    return p.groups.get(name) ?? p.groups.get(`${p.id}_${name}`) ?? [...p.groups.values()].find((g) => g.displayname === name);
  }

  /** Add with move semantics. Returns false when the user was already in the group. */
  addToGroup(p: EmuProject, g: EmuGroup, login: string, by: string): boolean {
    if (g.members.has(login)) return false;
    for (const other of p.groups.values()) {
      if (other.tag === g.tag && other.members.delete(login))
        this.mutations.push({ op: 'remove', projectId: p.id, groupId: other.id, login, by, at: new Date() });
    }
    g.members.add(login);
    this.mutations.push({ op: 'add', projectId: p.id, groupId: g.id, login, by, at: new Date() });
    return true;
  }

  /** Remove from exactly this group; a user not in it is a silent no-op. */
  removeFromGroup(p: EmuProject, g: EmuGroup, login: string, by: string): boolean {
    if (!g.members.delete(login)) return false;
    this.mutations.push({ op: 'remove', projectId: p.id, groupId: g.id, login, by, at: new Date() });
    return true;
  }

  /** The `/projects/{P}/users` rows: one per (group, user), ordered by group ID descending. */
  projectUserRows(p: EmuProject, includeDisabled: boolean): Record<string, string>[] {
    const rows: Record<string, string>[] = [];
    const groups = [...p.groups.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    for (const g of groups) {
      for (const login of g.members) {
        const u = this.users.get(login);
        if (!u || (!u.enabled && !includeDisabled)) continue;
        rows.push({
          GROUP_ID: g.id,
          displayname: g.displayname,
          login: u.login,
          firstname: u.firstname,
          lastname: u.lastname,
          email: u.email,
        });
      }
    }
    return rows;
  }

  /** The role a user holds in a project (standard groups only), for tests and the demo printout. */
  roleOf(projectId: string, login: string): string | undefined {
    const p = this.projects.get(projectId);
    const g = p && this.groupOf(p, login);
    return g ? g.id.slice(projectId.length + 1) : undefined;
  }

  /** Change a role directly, as someone would by hand in XNAT's UI (no request log). */
  setRoleByHand(projectId: string, login: string, role: 'owner' | 'member' | 'collaborator' | null): void {
    const p = this.mustProject(projectId);
    if (role === null) {
      const g = this.groupOf(p, login);
      if (g) this.removeFromGroup(p, g, login, 'by-hand');
    } else {
      this.addToGroup(p, p.groups.get(`${p.id}_${role}`)!, login, 'by-hand');
    }
  }

  /** Users, projects, groups and invitations as JSON (sessions and tokens are not kept). */
  snapshot(): unknown {
    return {
      users: [...this.users.values()].filter((u) => u.login !== 'guest'),
      projects: [...this.projects.values()].map((p) => ({
        ...p,
        groups: [...p.groups.values()].map((g) => ({ ...g, members: [...g.members] })),
      })),
      invitations: this.invitations,
    };
  }

  /** Replace users (but the admin given on the command line), projects and invitations with a snapshot. */
  restore(snap: unknown, keepLogin: string): void {
    const s = snap as {
      users: EmuUser[];
      projects: (Omit<EmuProject, 'groups'> & { groups: (Omit<EmuGroup, 'members'> & { members: string[] })[] })[];
      invitations: Invitation[];
    };
    for (const u of s.users ?? []) if (u.login !== keepLogin && !this.users.has(u.login)) this.users.set(u.login, u);
    this.nextUserId = Math.max(this.nextUserId, ...[...this.users.values()].map((u) => u.id + 1));
    for (const p of s.projects ?? []) {
      this.projects.set(p.id, { ...p, groups: new Map(p.groups.map((g) => [g.id, { ...g, members: new Set(g.members) }])) });
    }
    this.invitations.push(...(s.invitations ?? []).map((i) => ({ ...i, at: new Date(i.at) })));
  }

  private mustProject(id: string): EmuProject {
    const p = this.projects.get(id);
    if (!p) throw new Error(`no project ${id}`);
    return p;
  }
}

function alnum(n: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(n);
  let s = '';
  for (const b of bytes) s += chars[b % chars.length];
  return s;
}
