/**
 * Messages on a request (to all owners, or privately to one provider's owners), attachments (PDF
 * and images, type sniffed from the bytes), the inbox's notifications and preferences.
 */
import { randomBytes } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { ServiceContext } from '../core/context.js';
import { withTransaction } from '../core/context.js';
import { DomainError } from '../core/errors.js';
import { loadRequest, notFound, requestEvent, requireUser, type RequestView } from './load.js';
import { EVENT_CLASSES, notify, preferences, type EventClass, type Mode } from './notify.js';
import * as q from './queries.js';

export const ATTACHMENT_LIMIT_BYTES = 5 * 1024 * 1024;
const ALLOWED_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/tiff'];

const newId = (p: string) => `${p}-${randomBytes(6).toString('hex')}`;

/** May this viewer read something addressed to `audience`? */
const canRead = (v: RequestView, audience: string) => v.relation !== 'owner' || audience === 'all' || v.providerIds.includes(audience);

export async function listMessages(ctx: ServiceContext, requestId: string) {
  const v = await loadRequest(ctx, requestId);
  const rows = (await q.messagesOf(ctx.db, requestId)).filter((m) => canRead(v, m.audience));
  const files = await q.attachmentMeta(ctx.db, requestId);
  const names = new Map((await q.getUsers(ctx.db, [...new Set(rows.map((r) => r.authorId))])).map((u) => [u.id, u.name]));
  return {
    items: rows.map((m) => ({
      id: m.id,
      authorId: m.authorId,
      authorName: names.get(m.authorId),
      audience: m.audience,
      body: m.body,
      at: m.at.toISOString(),
      attachments: files
        .filter((f) => f.messageId === m.id)
        .map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, size: f.size })),
    })),
  };
}

export async function postMessage(
  ctx: ServiceContext,
  requestId: string,
  input: { body: string; audience: string; attachmentIds: string[] },
) {
  const me = requireUser(ctx);
  return withTransaction(ctx, async (tx) => {
    const v = await loadRequest(tx, requestId);
    const providers = [...new Set(v.items.filter((i) => i.item.status !== 'draft').map((i) => i.item.providerId))];
    const audience = input.audience;
    if (audience !== 'all' && !(v.relation === 'owner' ? v.providerIds : providers).includes(audience)) {
      throw new DomainError('validation_failed', 'The audience must be "all" or a provider of this request.', [
        { path: 'audience', message: 'unknown provider for this request' },
      ]);
    }
    const files = await q.attachmentMeta(tx.db, requestId);
    for (const id of input.attachmentIds) {
      const f = files.find((x) => x.id === id && x.uploaderId === me.id && !x.messageId);
      if (!f)
        throw new DomainError('validation_failed', 'Unknown attachment.', [
          { path: 'attachmentIds', message: `no unsent attachment ${id} of yours on this request` },
        ]);
    }
    const id = newId('msg');
    await q.insertMessage(tx.db, { id, requestId, authorId: me.id, audience, body: input.body, at: tx.now() });
    await q.linkAttachments(tx.db, requestId, input.attachmentIds, id, audience);
    await requestEvent(tx, requestId, 'message.posted', { messageId: id, audience, attachments: input.attachmentIds.length });
    const ownerIds = (await Promise.all((audience === 'all' ? providers : [audience]).map((p) => q.managersOf(tx.db, p)))).flat();
    const recipients = v.relation === 'researcher' ? ownerIds : [v.req.ownerId, ...ownerIds];
    await notify(tx, {
      userIds: recipients,
      eventClass: 'message',
      requestId,
      subject: `New message on access request ${requestId}`,
      body: `${me.name} wrote${audience === 'all' ? '' : ' (private to one provider)'}:\n\n${input.body}`,
    });
    return (await listMessages(tx, requestId)).items.find((m) => m.id === id)!;
  });
}

export async function uploadAttachment(ctx: ServiceContext, requestId: string, filename: string, bytes: Buffer) {
  const me = requireUser(ctx);
  if (bytes.length === 0) throw new DomainError('validation_failed', 'The file is empty.', [{ path: 'body', message: 'empty' }]);
  if (bytes.length > ATTACHMENT_LIMIT_BYTES)
    throw new DomainError('payload_too_large', `Attachments are limited to ${ATTACHMENT_LIMIT_BYTES / 1024 / 1024} MB.`);
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !ALLOWED_TYPES.includes(type.mime)) {
    throw new DomainError(
      'attachment_refused',
      'Only PDF documents and images (PNG, JPEG, GIF, WebP, TIFF) are accepted; the type is read from the file content, not its name.',
    );
  }
  return withTransaction(ctx, async (tx) => {
    await loadRequest(tx, requestId);
    const id = newId('att');
    const safeName = filename.replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 200) || `attachment.${type.ext}`;
    await q.insertAttachment(tx.db, {
      id,
      requestId,
      uploaderId: me.id,
      filename: safeName,
      contentType: type.mime,
      size: bytes.length,
      bytes,
      createdAt: tx.now(),
    });
    await requestEvent(tx, requestId, 'attachment.uploaded', { attachmentId: id, contentType: type.mime, size: bytes.length });
    return { id, filename: safeName, contentType: type.mime, size: bytes.length };
  });
}

/** Reading an attachment is logged too (ethics approvals are sensitive). */
export async function readAttachment(ctx: ServiceContext, requestId: string, id: string) {
  return withTransaction(ctx, async (tx) => {
    const v = await loadRequest(tx, requestId);
    const row = await q.getAttachment(tx.db, requestId, id);
    const me = requireUser(tx);
    if (!row) throw notFound('attachment');
    const mayRead = row.messageId
      ? canRead(v, row.audience)
      : row.uploaderId === me.id || v.relation !== 'owner' || isFormAttachment(await q.getVersions(tx.db, requestId), id);
    if (!mayRead) throw notFound('attachment');
    await requestEvent(tx, requestId, 'attachment.read', { attachmentId: id, audience: row.audience });
    return row;
  });
}

const isFormAttachment = (versions: { form: unknown; submittedAt: Date | null }[], id: string) =>
  versions.some((x) => x.submittedAt && (x.form as { ethics?: { attachmentId?: string } }).ethics?.attachmentId === id);

// --- notifications ---

export async function listNotifications(ctx: ServiceContext) {
  const me = requireUser(ctx);
  const rows = await q.notificationsOf(ctx.db, me.id);
  return {
    items: rows.map((n) => ({
      id: String(n.id),
      at: n.at.toISOString(),
      eventClass: n.eventClass as EventClass,
      subject: n.subject,
      body: n.body,
      requestId: n.requestId ?? undefined,
      readAt: n.readAt?.toISOString(),
    })),
  };
}

export async function markNotificationsRead(ctx: ServiceContext) {
  const me = requireUser(ctx);
  await q.markRead(ctx.db, me.id, ctx.now());
}

export async function getPreferences(ctx: ServiceContext) {
  const me = requireUser(ctx);
  return preferences(ctx, me.id);
}

export async function setPreferences(ctx: ServiceContext, input: Partial<Record<EventClass, Mode>>) {
  const me = requireUser(ctx);
  await withTransaction(ctx, async (tx) => {
    for (const c of EVENT_CLASSES) if (input[c]) await q.setPreference(tx.db, me.id, c, input[c]);
  });
  return preferences(ctx, me.id);
}

export async function capturedMail(ctx: ServiceContext) {
  const rows = await q.listMail(ctx.db);
  return {
    items: rows.map((m) => ({
      id: m.id,
      to: m.toAddress,
      subject: m.subject,
      text: m.text,
      messageId: m.messageId,
      inReplyTo: m.inReplyTo ?? undefined,
      status: m.status,
      createdAt: m.createdAt.toISOString(),
    })),
  };
}
