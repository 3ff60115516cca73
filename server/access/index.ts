/**
 * Access requests: one request over many collections, each provider's data managers decide on
 * their part, every step in the audit log. Public surface of the module.
 */
import type { Config } from '../config.js';
import type { AppModule } from '../http/module.js';
import { defineJob, type JobDefinition } from '../jobs/types.js';
import { expireDue, grantStateChanged, sendReminders } from './system-moves.js';
import { noXnat, setHooks, type AccessHooks } from './hooks.js';
import { configureMail, sendDigests, sendMail, type MailSettings } from './notify.js';
import { accessRoutes } from './routes.js';

declare module '../jobs/types.js' {
  interface JobPayloads {
    'mail.send': { mailId: string };
    'access.reminders': Record<string, never>;
    'access.expire': Record<string, never>;
    'access.digest': Record<string, never>;
  }
}

export interface AccessSettings {
  hooks: AccessHooks;
  /** Owners are reminded after this many days without a decision. */
  ownerReminderDays: number;
}

let settings: AccessSettings = { hooks: noXnat, ownerReminderDays: 5 };

/** Start-up configuration (main.ts, tests): XNAT hooks, reminders, mail. */
export function configureAccess(s: Partial<AccessSettings> & { mail?: Partial<MailSettings> }) {
  settings = { ...settings, ...s };
  setHooks(settings.hooks);
  if (s.mail) configureMail(s.mail);
}

/** Mail settings from the parsed configuration (API process and `npm run worker` alike). */
export function configureAccessFrom(config: Pick<Config, 'publicUrl' | 'host' | 'port' | 'mail'>) {
  const origin = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  configureAccess({
    mail: { smtpUrl: config.mail.smtpUrl, from: config.mail.from, baseUrl: origin, mailDomain: new URL(origin).hostname },
  });
}

/** The access module for `createApp({ modules })`; its jobs are listed in server/modules.ts. */
export const accessModule = (): AppModule => ({
  name: 'access',
  routes: (app, api) =>
    accessRoutes(app, api, {
      get hooks() {
        return settings.hooks;
      },
    }),
  jobs,
});

export const jobs: JobDefinition[] = [
  defineJob({ name: 'mail.send', handler: (ctx, p) => sendMail(ctx, p), retryLimit: 5, retryDelaySeconds: 30 }),
  defineJob({
    name: 'access.reminders',
    schedule: '0 7 * * *',
    handler: async (ctx) => void (await sendReminders(ctx, { ownerDays: settings.ownerReminderDays })),
  }),
  defineJob({ name: 'access.expire', schedule: '15 0 * * *', handler: async (ctx) => void (await expireDue(ctx, settings.hooks)) }),
  defineJob({ name: 'access.digest', schedule: '0 6 * * *', handler: async (ctx) => void (await sendDigests(ctx)) }),
] as JobDefinition[];

/** The XNAT sync's listener: register with `onGrantStateChange(onGrantStateChange)`. */
export const onGrantStateChange = grantStateChanged;

export { grantStateChanged, expireDue, sendReminders, sendDigests, sendMail };
export type { AccessHooks, GrantRequest, GrantStatus, RevokeReason } from './hooks.js';
export { accessEnds } from './rules.js';
export { noXnat } from './hooks.js';
