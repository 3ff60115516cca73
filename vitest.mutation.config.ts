import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Unit + integration tiers for `npm run test:mutation`. Not the browser tier: it serves the prebuilt
// web/build, so mutants in web/src would never reach it, and each run would start a server + Chromium.
type Project = { test?: { name?: string } };
const projects = (base.test?.projects ?? []) as Project[];

export default defineConfig({
  test: { projects: projects.filter((p) => p.test?.name === 'unit' || p.test?.name === 'integration') as never },
});
