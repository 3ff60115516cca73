import { defineConfig } from 'vitest/config';

// Unit tier only, as a standalone config: Stryker's vitest runner drives one config, and the pure
// modules it mutates are covered by unit tests (no database, no Meilisearch, no browser).
export default defineConfig({
  tsconfig: new URL('./tsconfig.json', import.meta.url).pathname,
  test: { include: ['test/unit/**/*.test.ts'], environment: 'node' },
});
