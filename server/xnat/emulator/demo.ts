/**
 * Demo content of the emulator: the catalogue's demo users as XNAT accounts (same usernames) and a
 * few projects, so a newcomer sees an approval turn into a role.
 */
import type { XnatEmulator } from './server.js';
import type { Accessibility } from './state.js';

/** XNAT accounts of the demo users; the password is the username (demo only). */
export const DEMO_XNAT_USERS = [
  { login: 'researcher', firstname: 'Rosa', lastname: 'Researcher', email: 'rosa.researcher@example.org' },
  { login: 'researcher2', firstname: 'Rami', lastname: 'Researcher', email: 'rami.researcher@example.org' },
  { login: 'curator', firstname: 'Carl', lastname: 'Curator', email: 'carl.curator@example.org' },
  { login: 'eu-curator', firstname: 'Eva', lastname: 'Curator', email: 'eva.curator@example.org' },
];

export const DEMO_PROJECTS: { id: string; name: string; accessibility: Accessibility; owner?: string }[] = [
  { id: 'DEMO_LUNG_CT', name: 'Demo lung CT', accessibility: 'protected', owner: 'curator' },
  { id: 'DEMO_BREAST_MR', name: 'Demo breast MR', accessibility: 'private', owner: 'eu-curator' },
  { id: 'DEMO_PUBLIC', name: 'Demo public project', accessibility: 'public' },
];

export function seedDemo(emu: XnatEmulator, extraProjects: { id: string; accessibility?: Accessibility }[] = []): void {
  for (const u of DEMO_XNAT_USERS) if (!emu.state.users.has(u.login)) emu.state.addUser({ ...u, password: u.login });
  for (const p of [...DEMO_PROJECTS, ...extraProjects]) if (!emu.state.projects.has(p.id)) emu.state.addProject(p);
}

/** Make sure a project exists (the embedded default creates one per seeded collection on demand). */
export function ensureProject(emu: XnatEmulator, id: string, accessibility: Accessibility = 'protected'): void {
  if (!emu.state.projects.has(id)) emu.state.addProject({ id, accessibility });
}
