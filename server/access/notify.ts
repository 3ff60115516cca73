/**
 * Notifications: every event lands in the recipients' in-app inbox and, per their preference for
 * its class, is mailed at once, in a daily digest, or not at all. Mail is written to `mail_message`
 * in the caller's transaction and sent by the `mail.send` job; in the embedded default it is only
 * captured (shown at /api/v1/dev/mail). One mail thread per request and recipient.
 */
import { randomBytes } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { ServiceContext } from '../core/context.js';
import * as q from './queries.js';

export type EventClass = 'request' | 'decision' | 'message' | 'reminder';
export type Mode = 'immediately' | 'daily' | 'off';
export const EVENT_CLASSES: EventClass[] = ['request', 'decision', 'message', 'reminder'];

export interface MailSettings {
  /** SMTP URL (smtp://host:port); absent: capture mail in the database only. */
  smtpUrl?: string;
  from: string;
  /** Public base URL for links in mail. */
  baseUrl: string;
  mailDomain: string;
}

let settings: MailSettings = { from: 'catalogue@localhost', baseUrl: 'http://127.0.0.1:3000', mailDomain: 'catalogue.localhost' };
let transport: Transporter | undefined;

/** Called once at start-up (and by tests). */
export function configureMail(s: Partial<MailSettings>) {
  settings = { ...settings, ...s };
  transport = settings.smtpUrl ? nodemailer.createTransport(settings.smtpUrl) : undefined;
}
export const mailCaptured = () => !settings.smtpUrl;
export const requestLink = (requestId: string) => `${settings.baseUrl.replace(/\/$/, '')}/requests/${encodeURIComponent(requestId)}`;

export async function preferences(ctx: ServiceContext, userId: string): Promise<Record<EventClass, Mode>> {
  const rows = await q.preferencesOf(ctx.db, userId);
  const out = Object.fromEntries(EVENT_CLASSES.map((c) => [c, 'immediately'])) as Record<EventClass, Mode>;
  for (const r of rows) if (EVENT_CLASSES.includes(r.eventClass as EventClass)) out[r.eventClass as EventClass] = r.mode as Mode;
  return out;
}

export interface Note {
  userIds: string[];
  eventClass: EventClass;
  subject: string;
  body: string;
  requestId?: string;
}

/** Fan a note out to its recipients; runs inside the caller's transaction. Never to the actor themself. */
export async function notify(ctx: ServiceContext, n: Note): Promise<void> {
  const self = ctx.actor.kind === 'user' ? ctx.actor.id : undefined;
  const ids = [...new Set(n.userIds)].filter((u) => u !== self);
  const users = await q.getUsers(ctx.db, ids);
  for (const u of users) {
    const mode = (await preferences(ctx, u.id))[n.eventClass];
    await q.insertNotification(ctx.db, {
      userId: u.id,
      eventClass: n.eventClass,
      subject: n.subject,
      body: n.body,
      requestId: n.requestId,
      at: ctx.now(),
      mode,
    });
    if (mode === 'immediately' && u.email) {
      const text = `${n.body}\n\n${n.requestId ? `Open the request: ${requestLink(n.requestId)}\n` : ''}\nYou get this mail immediately for "${n.eventClass}" events; change it under Notification settings.`;
      await queueMail(ctx, { to: u.email, userId: u.id, subject: n.subject, text, requestId: n.requestId });
    }
  }
}

export async function queueMail(ctx: ServiceContext, m: { to: string; userId: string; subject: string; text: string; requestId?: string }) {
  const id = `mail-${randomBytes(8).toString('hex')}`;
  // The first mail about a request carries the thread's root id; later ones reply to it.
  const root = m.requestId ? `<request.${m.requestId}.${m.userId}@${settings.mailDomain}>` : undefined;
  const threaded = m.requestId ? await q.hasThread(ctx.db, m.requestId, m.userId) : false;
  const messageId = root && !threaded ? root : `<${id}@${settings.mailDomain}>`;
  await q.insertMail(ctx.db, {
    id,
    toAddress: m.to,
    subject: m.subject,
    text: m.text,
    messageId,
    inReplyTo: threaded ? root : null,
    references: threaded ? root : null,
    requestId: m.requestId ?? null,
    userId: m.userId,
    createdAt: ctx.now(),
  });
  await ctx.jobs.send(ctx.db, 'mail.send', { mailId: id });
}

/** The `mail.send` job: idempotent (a mail already sent is not sent again); throws to retry. */
export async function sendMail(ctx: ServiceContext, payload: { mailId: string }): Promise<void> {
  const mail = await q.getMail(ctx.db, payload.mailId);
  if (!mail || mail.status === 'sent' || mail.status === 'captured') return;
  if (!transport) {
    await q.setMailStatus(ctx.db, mail.id, { status: 'captured', sentAt: ctx.now() });
    return;
  }
  try {
    await transport.sendMail({
      from: settings.from,
      to: mail.toAddress,
      subject: mail.subject,
      text: mail.text,
      messageId: mail.messageId,
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo, references: mail.references ?? mail.inReplyTo } : {}),
    });
    await q.setMailStatus(ctx.db, mail.id, { status: 'sent', sentAt: ctx.now(), error: null });
  } catch (e) {
    await q.setMailStatus(ctx.db, mail.id, { status: 'failed', error: e instanceof Error ? e.message.slice(0, 500) : 'send failed' });
    throw e;
  }
}

/** The daily digest: one mail per user with every `daily` notification not yet carried. */
export async function sendDigests(ctx: ServiceContext): Promise<number> {
  const pending = await q.pendingDigest(ctx.db, ctx.now());
  const byUser = new Map<string, q.NotificationRow[]>();
  for (const n of pending) byUser.set(n.userId, [...(byUser.get(n.userId) ?? []), n]);
  const users = await q.getUsers(ctx.db, [...byUser.keys()]);
  for (const u of users) {
    const notes = byUser.get(u.id)!;
    if (u.email) {
      const text = notes
        .map((n) => `• ${n.subject}\n  ${n.body.replace(/\n/g, '\n  ')}${n.requestId ? `\n  ${requestLink(n.requestId)}` : ''}`)
        .join('\n\n');
      await queueMail(ctx, {
        to: u.email,
        userId: u.id,
        subject: `Daily digest: ${notes.length} update${notes.length > 1 ? 's' : ''} on access requests`,
        text,
      });
    }
    await q.markDigested(
      ctx.db,
      notes.map((n) => n.id),
      ctx.now(),
    );
  }
  return users.length;
}
