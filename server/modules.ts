/**
 * The modules' background jobs, collected once: `npm start` (in-process worker) and `npm run worker`
 * register the same list. A new module adds its `jobs` export here.
 */
import type { JobDefinition } from './jobs/types.js';
import { jobs as searchJobs } from './search/index.js';

export const moduleJobs = (): JobDefinition[] => [...(searchJobs as JobDefinition[])];
