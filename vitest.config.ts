import { defineConfig } from 'vitest/config';

// Tiers run one after another (groupOrder), each using both cores at most. Three tiers: unit (pure, no services), integration (real PostgreSQL, one database per test file
// cloned from a migrated template; real Meilisearch), browser (real server + headless Chromium).
export default defineConfig({
  test: {
    projects: [
      {
        // The root tsconfig for every file: web/tsconfig.json extends a file `svelte-kit sync` generates, and
        // unit tests of web/src/lib/server helpers must not depend on a prior sync.
        tsconfig: new URL('./tsconfig.json', import.meta.url).pathname,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', sequence: { groupOrder: 0 } },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/global-db.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Smoke: the API tests again, on embedded PGlite instead of a PostgreSQL server.
        test: {
          name: 'pglite',
          include: [
            'test/integration/{collections,visibility,import,import-parity,history,hostile-input,oai,dcat,access-flow,access-followups}.test.ts',
          ],
          env: { TEST_DB_KIND: 'pglite' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/setup/global-db.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
