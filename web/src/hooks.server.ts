/** Server hooks; the logic lives in $lib/server/hooks.ts (unit-tested without SvelteKit's aliases). */
export { handle, handleFetch } from '$lib/server/hooks';
