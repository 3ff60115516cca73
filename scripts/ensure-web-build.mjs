// Part of `npm start`: build the web app once when web/build is missing (fresh clone, first start).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('../web/', import.meta.url));
if (!existsSync(new URL('../web/build/handler.js', import.meta.url))) {
  console.log('building the web app (first start) …');
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url)), 'build'], {
    cwd: web,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error('web build failed; the API still starts (npm run build shows the error again)');
  }
}
