/**
 * Every authorization check in the server and the web, as one text replacement that neutralises it,
 * with the tests that should notice (cheapest first). Used by ../run.ts; see docs/testing.md
 * ("Deleting an authorization check") for the last results.
 */
import { checks as access } from './access.js';
import { checks as catalogue } from './catalogue.js';
import { checks as platform } from './platform.js';
import { checks as policy } from './policy.js';
import type { Check } from './types.js';
import { checks as web } from './web.js';

export type { Check, Run } from './types.js';
export const CHECKS: Check[] = [...policy, ...catalogue, ...access, ...platform, ...web];
