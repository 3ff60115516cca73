import { defineConfig } from 'vitest/config';

// Only the integration tests that exercise the collection verbs (server/catalogue/collections.ts), for
// a Stryker run of that module on its own (the whole integration tier per mutant is far too slow). Not
// authz-matrix.test.ts: its one setup takes minutes on a loaded machine and would be re-run per mutant.
//   STRYKER_VITEST_CONFIG=vitest.mutation-catalogue.config.ts STRYKER_MUTATE=server/catalogue/collections.ts \
//     STRYKER_CONCURRENCY=1 nice -n 10 npx stryker run
export default defineConfig({
  test: {
    include: [
      'test/integration/collections.test.ts',
      'test/integration/collection-verbs.test.ts',
      'test/integration/catalogue-rules.test.ts',
      'test/integration/import-parity.test.ts',
      'test/integration/history.test.ts',
      'test/integration/collection-shapes.test.ts',
      'test/integration/collection-writes.test.ts',
    ],
    globalSetup: ['test/setup/global-db.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
