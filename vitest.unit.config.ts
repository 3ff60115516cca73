import { defineConfig } from 'vitest/config';

// Unit tier only, as a standalone config: Stryker's vitest runner drives one config, and the pure
// modules it mutates are covered by unit tests (no database, no Meilisearch, no browser).
export default defineConfig({
  oxc: { tsconfig: false },
  // The web app's aliases, for unit tests of web/src/lib/server helpers.
  resolve: { alias: { $lib: new URL('./web/src/lib', import.meta.url).pathname, $schemas: new URL('./schemas', import.meta.url).pathname } },
  test: { include: ['test/unit/**/*.test.ts'], environment: 'node' },
});
