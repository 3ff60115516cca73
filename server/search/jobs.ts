/** The search module's background jobs. */
import { defineJob } from '../jobs/types.js';
import { deleteProcessedOutbox } from './outbox-worker.js';

declare module '../jobs/types.js' {
  interface JobPayloads {
    'search.outbox-cleanup': Record<string, never>;
  }
}

/** Processed outbox rows are kept a week: a reindex replays the rows processed during its run. */
export const OUTBOX_RETENTION_MS = 7 * 24 * 3600_000;

export const jobs = [
  defineJob({
    name: 'search.outbox-cleanup',
    schedule: '17 * * * *',
    handler: async (ctx) => {
      const n = await deleteProcessedOutbox(ctx.db, OUTBOX_RETENTION_MS, ctx.now());
      if (n) ctx.log.info({ deleted: n }, 'search: old outbox rows deleted');
    },
  }),
];
