/**
 * `npm run xnat-emulator -- --port 8080 [--host 127.0.0.1] [--admin-user admin] [--admin-password admin] [--no-demo]`:
 * the XNAT emulator on its own, with demo projects and users (printed on start).
 */
import { parseArgs } from 'node:util';
import { seedDemo } from './demo.js';
import { XnatEmulator } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    'admin-user': { type: 'string', default: 'admin' },
    'admin-password': { type: 'string', default: 'admin' },
    'no-demo': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('usage: npm run xnat-emulator -- [--port N] [--host H] [--admin-user U] [--admin-password P] [--no-demo]');
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: not a port number: ${values.port}`);
  process.exit(1);
}

const emu = new XnatEmulator({ adminUser: values['admin-user'], adminPassword: values['admin-password'] });
if (!values['no-demo']) seedDemo(emu);
const url = await emu.start(port, values.host);
console.log(`XNAT emulator on ${url}`);
console.log(`  admin: ${values['admin-user']} / ${values['admin-password']}`);
for (const u of emu.state.users.values()) if (u.login !== 'guest' && !u.admin) console.log(`  user:  ${u.login} / ${u.password}`);
for (const p of emu.state.projects.values()) {
  const members = emu.state
    .projectUserRows(p, true)
    .map((r) => `${r.login} (${r.displayname})`)
    .join(', ');
  console.log(`  project ${p.id} [${p.accessibility}]${members ? `: ${members}` : ''}`);
}
console.log(
  '  fault injection (admin): POST /_emulator/faults {"kind":"status|drop|drop-after|hang","status":503,"count":3,"method":"PUT","path":"^/data/projects"}; DELETE /_emulator/faults',
);
const stop = () => void emu.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
