// Mutation testing of the modules that protect data (issue 12). `npm run test:mutation`; not part of
// `npm test`. Results and judged-equivalent survivors: docs/testing.md.
//
// STRYKER_MUTATE (comma-separated globs) narrows the run, e.g.
//   STRYKER_MUTATE=server/catalogue/rules.ts npm run test:mutation
// STRYKER_VITEST_CONFIG picks the vitest config: vitest.unit.config.ts is enough for the pure modules
// (`npm run test:mutation:unit`); the verbs (collections.ts, policy) need the integration tier (real
// PostgreSQL, vitest.mutation.config.ts, the default), which is much slower; for collections.ts alone,
// vitest.mutation-catalogue.config.ts runs only the integration tests of the collection verbs;
// for server/auth/{tokens,middleware}.ts, vitest.mutation-auth.config.ts runs only the auth tests.
const mutate = process.env.STRYKER_MUTATE?.split(',')
  .map((s) => s.trim())
  .filter(Boolean) ?? [
  'server/policy/**/*.ts',
  'server/auth/actor.ts',
  'server/auth/tokens.ts',
  'server/auth/middleware.ts',
  'server/catalogue/rules.ts',
  'server/catalogue/lifecycle.ts',
  'server/catalogue/collections.ts',
  'server/search/query.ts',
  'server/access/rules.ts',
  'web/src/lib/server/hooks.ts',
  'web/src/lib/server/origin.ts',
  'web/src/lib/server/guard.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: process.env.STRYKER_VITEST_CONFIG ?? 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate,
  // The machine is shared; 1–2 runner processes keep it usable.
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  timeoutMS: 60_000,
  ignoreStatic: true,
};
