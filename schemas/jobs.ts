/** The admin view of background jobs: dead letters (jobs that failed their last retry). */
import { z } from 'zod';

export const DeadLetter = z.object({
  id: z.uuid(),
  name: z.string().meta({ description: 'The job name, e.g. `mail.send`.' }),
  data: z.unknown().meta({ description: 'The job payload.' }),
  error: z.string().nullable().meta({ description: "The last attempt's error message." }),
  attempts: z.number().int(),
  createdAt: z.iso.datetime(),
  failedAt: z.iso.datetime(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;

export const DeadLetterList = z.object({ items: z.array(DeadLetter) });

export const JobRetried = z.object({ id: z.uuid(), state: z.literal('retry') });
