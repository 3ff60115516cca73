/**
 * The modules' background jobs, collected once: `npm start` (in-process worker) and `npm run worker`
 * register the same list. A new module adds its `jobs` export here.
 */
import type { JobDefinition } from './jobs/types.js';
import { jobs as accessJobs } from './access/index.js';
import { jobs as searchJobs } from './search/index.js';
import { jobs as xnatJobs } from './xnat/index.js';

export const moduleJobs = (): JobDefinition[] => [...(searchJobs as JobDefinition[]), ...xnatJobs, ...accessJobs];
