import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    adapter: adapter({ out: 'build' }),
    // The zod schemas in ../schemas are the single source of truth for the API contract.
    alias: { $schemas: '../schemas' },
    // server/main.ts mounts the handler without ORIGIN/PROTOCOL_HEADER, so adapter-node assumes
    // https and SvelteKit's own origin check would reject plain-http form posts. The equivalent check
    // (same host, any scheme) runs in src/hooks.server.ts instead.
    csrf: { trustedOrigins: ['*'] },
  },
};

export default config;
