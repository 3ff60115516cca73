import { defineConfig } from 'vitest/config';

// Only the tests that exercise token verification and the actor middleware (server/auth/tokens.ts,
// server/auth/middleware.ts), for a Stryker run of those two modules: the unit test of the verifiers
// and the integration tests of the middleware (real PostgreSQL) and of an external OIDC issuer.
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres STRYKER_VITEST_CONFIG=vitest.mutation-auth.config.ts \
//     STRYKER_MUTATE=server/auth/tokens.ts,server/auth/middleware.ts STRYKER_CONCURRENCY=1 nice -n 10 npx stryker run
export default defineConfig({
  tsconfig: new URL('./tsconfig.json', import.meta.url).pathname,
  test: {
    include: ['test/unit/auth-tokens.test.ts', 'test/integration/auth-middleware.test.ts', 'test/integration/oidc.test.ts'],
    globalSetup: ['test/setup/global-db.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
