/** The jobs module's public surface. */
import type { AppModule } from '../http/module.js';
import type { JobEngine } from './engine.js';
import { jobRoutes } from './routes.js';

export {
  JobEngine,
  jobSchemaSetup,
  SYSTEM_ACTOR,
  DEFAULT_RETRY_DELAY_SECONDS,
  DEFAULT_RETRY_LIMIT,
  type JobEngineOptions,
  type JobFinished,
} from './engine.js';
export type { DeadLetter, QueueDepth } from './queries.js';
export { defineJob, type JobDefinition, type JobName, type JobPayloads, type JobQueue, type SendOptions } from './types.js';

/** The admin routes over a started engine. */
export const jobsModule = (engine: JobEngine): AppModule => ({
  name: 'jobs',
  routes: (app, api) => jobRoutes(app, api, engine),
});
