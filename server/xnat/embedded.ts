/**
 * Start-up of the XNAT module for `npm start`: the credential key, and in the embedded default the
 * XNAT emulator registered as the demo instance (`xnat.instance` of the seeded collections), with
 * one project per seeded collection and XNAT accounts of the same username for the demo users, so
 * an approval visibly turns into a role. The emulator keeps its state in DATA_DIR.
 */
import path from 'node:path';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { XNAT_DEMO } from '../../seed/demo.js';
import { DEMO_XNAT_USERS, seedDemo } from './emulator/demo.js';
import { XnatEmulator } from './emulator/server.js';
import type { Accessibility } from './emulator/state.js';
import { PROJECT_ID_RE } from './emulator/state.js';
import * as q from './queries.js';
import { closeClients, configureXnat, xnatSettings } from './runtime.js';
import { loadOrCreateKey, sealCredentials } from './secrets.js';

export const DEMO_INSTANCE_ID = 'demo';

export interface XnatStartup {
  emulator?: XnatEmulator;
  stop(): Promise<void>;
}

type Log = { info(msg: string): void };

/** The credential key (XNAT_SECRET_KEY, or one generated under DATA_DIR) for the API and workers. */
export function configureXnatFromConfig(config: Config): Buffer {
  const key = loadOrCreateKey(config.xnat.secretKey, config.dataDir);
  configureXnat({ key });
  return key;
}

export async function startXnatDemo(config: Config, database: Database, log: Log): Promise<XnatStartup> {
  const key = xnatSettings().key;
  if (!config.xnat.emulator) return { stop: closeClients };

  const emu = new XnatEmulator({ stateFile: path.join(config.dataDir, 'xnat-emulator.json') });
  seedDemo(emu);
  for (const p of await q.projectsOfInstanceKey(database.db, XNAT_DEMO)) {
    if (PROJECT_ID_RE.test(p.projectId) && !emu.state.projects.has(p.projectId)) {
      emu.state.addProject({
        id: p.projectId,
        accessibility: (['public', 'protected', 'private'].includes(p.visibility) ? p.visibility : 'protected') as Accessibility,
      });
    }
  }
  const url = await emu.start(config.xnat.emulatorPort, '127.0.0.1');
  const now = new Date();
  await q.upsertInstance(database.db, {
    id: DEMO_INSTANCE_ID,
    key: XNAT_DEMO,
    url,
    name: 'Demo XNAT (emulator)',
    authKind: 'password',
    credentials: sealCredentials(key, { kind: 'password', username: 'admin', password: 'admin' }),
    createdAt: now,
    modifiedAt: now,
  });
  const logins = [...DEMO_XNAT_USERS.map((u) => u.login), 'admin'];
  for (const id of await q.existingUsers(database.db, logins)) {
    await q.upsertAccount(database.db, { userId: id, instanceId: DEMO_INSTANCE_ID, username: id, verifiedAt: now });
  }
  log.info(
    `XNAT emulator: ${url} (admin/admin; demo users sign in with their username as password), registered as instance "${DEMO_INSTANCE_ID}" for ${XNAT_DEMO}; ${emu.state.projects.size} projects`,
  );
  return {
    emulator: emu,
    stop: async () => {
      await closeClients();
      await emu.stop();
    },
  };
}
