import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const moduleBoundary = {
  regex: '^\\.\\./(catalogue|search|access|xnat|oai|dcat|policy|metrics)/(?!index\\.js$)',
  message: 'Use the other module through its public index.ts.',
};
const routeBoundary = [
  { group: ['**/db/*', 'drizzle-orm', 'drizzle-orm/*', 'postgres'], allowTypeImports: true, message: 'Routes validate and call one verb; the database is for queries.ts.' },
  { regex: 'queries\\.js$', message: 'Routes validate and call one verb; only verbs use queries.ts.' },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'web/build/', 'web/.svelte-kit/', 'bench/out/', '**/*.svelte'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', Response: 'readonly', Request: 'readonly', Headers: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', ReadableStream: 'readonly', crypto: 'readonly', document: 'readonly', window: 'readonly', AbortController: 'readonly', structuredClone: 'readonly', performance: 'readonly', URLSearchParams: 'readonly', FormData: 'readonly', Blob: 'readonly', File: 'readonly', queueMicrotask: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  // Boundaries (docs/architecture.md): a module uses another one only through its public index;
  // routes never touch the database. CLIs and the entry points wire modules together and are exempt.
  // Known exceptions, listed so no new one slips in: harvesting is split over oai/ and dcat/, and
  // the auth and dcat routes still read through queries directly.
  {
    files: ['server/*/**/*.ts'],
    ignores: ['server/cli/**', 'server/dcat/**', 'server/oai/index.ts', 'server/search/document.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [moduleBoundary] }] },
  },
  {
    files: ['server/**/routes.ts', 'server/**/routes/*.ts', 'server/**/*-routes.ts'],
    ignores: ['server/auth/routes.ts', 'server/dcat/routes.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [moduleBoundary, ...routeBoundary] }] },
  },
);
