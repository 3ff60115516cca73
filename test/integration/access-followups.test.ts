/**
 * The access-request flow's surroundings over HTTP against real PostgreSQL and a real SMTP server:
 * messages and attachments, withdrawal, notification preferences, reminders, expiry, digests,
 * time-to-decision statistics, lenient edges of the contract, many deciders at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendReminders, expireDue, sendDigests } from '../../server/access/index.js';
import { accessWorld, person, REQUEST_FORM as FORM, systemCtx, type AccessWorld } from '../helpers/access.js';

let w: AccessWorld;
let tdb: AccessWorld['tdb'];
let t: AccessWorld['t'];
let queue: AccessWorld['queue'];
let smtp: AccessWorld['smtp'];
let hooks: AccessWorld['hooks'];
let provA: string, provB: string, ownerA: string, ownerA2: string, ownerB: string, researcher: string;
let colA: any, colB: any, colPrivate: any;

beforeAll(async () => {
  w = await accessWorld();
  ({ tdb, t, queue, smtp, hooks, provA, provB, ownerA, ownerA2, ownerB, researcher, colA, colB, colPrivate } = w);
});
afterAll(async () => {
  await w?.close();
});

const drain = () => w.drain();

describe('messages and attachments', () => {
  let id: string;
  beforeAll(async () => {
    const r = await t.call('POST', '/api/v1/requests', { as: researcher, body: { collectionIds: [colA.id, colB.id] } });
    id = r.body.id;
    await t.call('PUT', `/api/v1/requests/${id}`, { as: researcher, body: FORM });
    await t.call('POST', `/api/v1/requests/${id}/submit`, { as: researcher });
  });

  it('keeps a private message to one provider from the other', async () => {
    const priv = await t.call('POST', `/api/v1/requests/${id}/messages`, {
      as: researcher,
      body: { body: 'Only for B: our budget', audience: provB },
    });
    expect(priv.status).toBe(201);
    await t.call('POST', `/api/v1/requests/${id}/messages`, { as: researcher, body: { body: 'Hello all owners' } });
    const a = await t.call('GET', `/api/v1/requests/${id}/messages`, { as: ownerA });
    expect(a.body.items.map((m: any) => m.body)).toEqual(['Hello all owners']);
    const b = await t.call('GET', `/api/v1/requests/${id}/messages`, { as: ownerB });
    expect(b.body.items.map((m: any) => m.body)).toEqual(['Only for B: our budget', 'Hello all owners']);
    const hist = await t.call('GET', `/api/v1/requests/${id}/history`, { as: ownerA });
    expect(hist.body.events.filter((e: any) => e.type === 'message.posted')).toHaveLength(1);
  });

  it('accepts PDFs sniffed from content, refuses other content whatever its name', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const up = await t.app.request(`/api/v1/requests/${id}/attachments?filename=ethics.pdf`, {
      method: 'POST',
      body: pdf,
      headers: {
        authorization: `Bearer ${await t.issuer.sign({ sub: researcher, name: researcher })}`,
        'content-type': 'application/octet-stream',
      },
    });
    expect(up.status).toBe(201);
    const att = (await up.json()) as any;
    expect(att.contentType).toBe('application/pdf');
    const fake = await t.app.request(`/api/v1/requests/${id}/attachments?filename=evil.pdf`, {
      method: 'POST',
      body: '#!/bin/sh\nrm -rf /\n',
      headers: { authorization: `Bearer ${await t.issuer.sign({ sub: researcher, name: researcher })}`, 'content-type': 'application/pdf' },
    });
    expect(fake.status).toBe(415);
    expect(((await fake.json()) as any).code).toBe('attachment_refused');
    const msg = await t.call('POST', `/api/v1/requests/${id}/messages`, {
      as: researcher,
      body: { body: 'Ethics letter attached', audience: provA, attachmentIds: [att.id] },
    });
    expect(msg.body.attachments).toEqual([expect.objectContaining({ id: att.id, contentType: 'application/pdf' })]);
    const okA = await t.app.request(`/api/v1/requests/${id}/attachments/${att.id}`, {
      headers: { authorization: `Bearer ${await t.issuer.sign({ sub: ownerA, name: ownerA })}` },
    });
    expect(okA.status).toBe(200);
    expect(Buffer.from(await okA.arrayBuffer()).equals(pdf)).toBe(true);
    const noB = await t.app.request(`/api/v1/requests/${id}/attachments/${att.id}`, {
      headers: { authorization: `Bearer ${await t.issuer.sign({ sub: ownerB, name: ownerB })}` },
    });
    expect(noB.status).toBe(404);
  });

  it('withdraws every undecided item and tells the owners', async () => {
    const res = await t.call('POST', `/api/v1/requests/${id}/withdraw`, { as: researcher, body: { reason: 'Funding stopped' } });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => i.status)).toEqual(['withdrawn', 'withdrawn']);
    expect(res.body.status).toBe('concluded');
    expect((await t.call('GET', '/api/v1/inbox', { as: ownerA })).body.items.some((i: any) => i.requestId === id)).toBe(false);
  });
});

describe('notifications, reminders, expiry, statistics', () => {
  it('honours preferences: off keeps the inbox only, daily goes into one digest', async () => {
    const u = await person(tdb.database, 'quiet');
    const prefs = await t.call('PUT', '/api/v1/me/notification-preferences', { as: u, body: { decision: 'off', request: 'daily' } });
    expect(prefs.body).toEqual({ request: 'daily', decision: 'off', message: 'immediately', reminder: 'immediately' });
    const r = await t.call('POST', '/api/v1/requests', { as: u, body: { collectionIds: [colA.id] } });
    await t.call('PUT', `/api/v1/requests/${r.body.id}`, { as: u, body: FORM });
    await t.call('POST', `/api/v1/requests/${r.body.id}/submit`, { as: u });
    await t.call('POST', `/api/v1/requests/${r.body.id}/items/${r.body.items[0].id}/decision`, {
      as: ownerA,
      body: { outcome: 'reject', reason: 'x' },
    });
    await drain();
    expect(smtp.mail.filter((m) => m.to.includes('quiet@example.org'))).toHaveLength(0);
    const notes = await t.call('GET', '/api/v1/notifications', { as: u });
    expect(notes.body.items.map((n: any) => n.eventClass)).toContain('decision');
    expect((await t.call('GET', '/api/v1/inbox', { as: u })).body.unreadNotifications).toBeGreaterThan(0);
  });

  it('reminds owners after N days and researchers before access ends; expires past end dates', async () => {
    const r = await t.call('POST', '/api/v1/requests', { as: researcher, body: { collectionIds: [colA.id] } });
    await t.call('PUT', `/api/v1/requests/${r.body.id}`, { as: researcher, body: FORM });
    await t.call('POST', `/api/v1/requests/${r.body.id}/submit`, { as: researcher });
    const later = () => new Date(Date.now() + 6 * 86_400_000);
    const n = await sendReminders(systemCtx(tdb.database, queue, later), { ownerDays: 5 });
    expect(n).toBeGreaterThanOrEqual(1);
    const again = await sendReminders(systemCtx(tdb.database, queue, later), { ownerDays: 5 });
    expect(again).toBe(0);
    const notesA = await t.call('GET', '/api/v1/notifications', { as: ownerA });
    expect(notesA.body.items.some((x: any) => x.subject.includes('Reminder'))).toBe(true);

    const until = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    await t.call('POST', `/api/v1/requests/${r.body.id}/items/${r.body.items[0].id}/decision`, {
      as: ownerA,
      body: { outcome: 'approve', until },
    });
    await sendReminders(systemCtx(tdb.database, queue), { ownerDays: 5 });
    const notesR = await t.call('GET', '/api/v1/notifications', { as: researcher });
    expect(notesR.body.items.some((x: any) => /ends in 2\d days/.test(x.subject))).toBe(true);
    const expired = await expireDue(
      systemCtx(tdb.database, queue, () => new Date(Date.now() + 40 * 86_400_000)),
      hooks,
    );
    expect(expired).toBeGreaterThanOrEqual(1);
    expect((await t.call('GET', `/api/v1/requests/${r.body.id}`, { as: researcher })).body.items[0].status).toBe('expired');
  });

  it('refuses an end date beyond the collection policy', async () => {
    const r = await t.call('POST', '/api/v1/requests', { as: researcher, body: { collectionIds: [colB.id] } });
    await t.call('PUT', `/api/v1/requests/${r.body.id}`, { as: researcher, body: FORM });
    await t.call('POST', `/api/v1/requests/${r.body.id}/submit`, { as: researcher });
    const res = await t.call('POST', `/api/v1/requests/${r.body.id}/items/${r.body.items[0].id}/decision`, {
      as: ownerB,
      body: { outcome: 'approve', role: 'member' },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('role');
  });

  it('publishes time to decision once a collection has five decisions', async () => {
    const stats = await t.call('GET', `/api/v1/collections/${colA.id}/access-stats`);
    expect(stats.status).toBe(200);
    expect(stats.body.decisions).toBeLessThan(5);
    expect(stats.body.medianDaysToDecision).toBeUndefined();
    for (let i = 0; i < 4; i++) {
      const r = await t.call('POST', '/api/v1/requests', { as: researcher, body: { collectionIds: [colA.id] } });
      await t.call('PUT', `/api/v1/requests/${r.body.id}`, { as: researcher, body: FORM });
      await t.call('POST', `/api/v1/requests/${r.body.id}/submit`, { as: researcher });
      await t.call('POST', `/api/v1/requests/${r.body.id}/items/${r.body.items[0].id}/decision`, {
        as: ownerA,
        body: i % 2 ? { outcome: 'approve' } : { outcome: 'reject', reason: 'no' },
      });
    }
    const after = await t.call('GET', `/api/v1/collections/${colA.id}/access-stats`);
    expect(after.body.decisions).toBeGreaterThanOrEqual(5);
    expect(after.body.medianDaysToDecision).toBe(0);
    expect(after.body.approvalRate).toBeGreaterThan(0);
    expect(after.body.approvalRate).toBeLessThan(1);
    expect((await t.call('GET', `/api/v1/collections/${colPrivate.id}/access-stats`)).status).toBe(404);
  });

  it('gathers daily notifications into one digest mail per user', async () => {
    await t.call('PUT', '/api/v1/me/notification-preferences', { as: ownerB, body: { request: 'daily', message: 'daily' } });
    await drain();
    const before = smtp.mail.filter((m) => m.to.includes('owner-b@example.org')).length;
    const r = await t.call('POST', '/api/v1/requests', { as: researcher, body: { collectionIds: [colB.id] } });
    await t.call('PUT', `/api/v1/requests/${r.body.id}`, { as: researcher, body: FORM });
    await t.call('POST', `/api/v1/requests/${r.body.id}/submit`, { as: researcher });
    await t.call('POST', `/api/v1/requests/${r.body.id}/messages`, { as: researcher, body: { body: 'Digest me' } });
    await drain();
    expect(smtp.mail.filter((m) => m.to.includes('owner-b@example.org'))).toHaveLength(before);
    const tomorrow = () => new Date(Date.now() + 86_400_000);
    expect(await sendDigests(systemCtx(tdb.database, queue, tomorrow))).toBe(1);
    await drain();
    const digests = smtp.mail.filter((m) => m.to.includes('owner-b@example.org')).slice(before);
    expect(digests).toHaveLength(1);
    expect(digests[0]!.subject).toContain('Daily digest: 2 updates');
    expect(digests[0]!.text).toContain('Digest me');
    // Carried once: the next digest has nothing for this user.
    expect(await sendDigests(systemCtx(tdb.database, queue, tomorrow))).toBe(0);
  });
});

describe('lenient edges of the contract', () => {
  it('takes an empty body as {} on commands, and a date-time as the exact end of access', async () => {
    await t.call('POST', '/api/v1/cart/items', { as: researcher, body: { collectionId: colA.id } });
    const created = await t.call('POST', '/api/v1/requests', { as: researcher, body: '', headers: { 'content-type': 'application/json' } });
    expect(created.status).toBe(201);
    expect(created.body.items.map((i: any) => i.collectionId)).toEqual([colA.id]);
    const id = created.body.id;
    await t.call('PUT', `/api/v1/requests/${id}`, { as: researcher, body: FORM });
    expect((await t.call('POST', `/api/v1/requests/${id}/submit`, { as: researcher, body: {} })).status).toBe(200);
    const until = new Date(Date.now() + 90 * 86_400_000).toISOString();
    const res = await t.call('POST', `/api/v1/requests/${id}/items/${created.body.items[0].id}/decision`, {
      as: ownerA,
      body: { outcome: 'approve', until },
    });
    expect(res.status).toBe(200);
    expect(res.body.items[0].until).toBe(until); // a date-time is kept exact (access ends then); a date means the end of that day;
    const bad = await t.call('POST', `/api/v1/requests/${id}/withdraw`, {
      as: researcher,
      body: '{nope',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('malformed_json');
  });
});

describe('many deciders at once', () => {
  it('eight simultaneous decisions on one item: exactly one wins, seven get 409, one decision row', async () => {
    const r = await t.call('POST', '/api/v1/requests', { as: researcher, body: { collectionIds: [colA.id] } });
    await t.call('PUT', `/api/v1/requests/${r.body.id}`, { as: researcher, body: FORM });
    await t.call('POST', `/api/v1/requests/${r.body.id}/submit`, { as: researcher });
    const item = r.body.items[0].id;
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.call('POST', `/api/v1/requests/${r.body.id}/items/${item}/decision`, {
          as: i % 2 ? ownerA : ownerA2,
          body: i % 3 ? { outcome: 'approve' } : { outcome: 'reject', reason: `r${i}` },
        }),
      ),
    );
    const ms = performance.now() - started;
    expect(results.map((x) => x.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const hist = await t.call('GET', `/api/v1/requests/${r.body.id}/history`, { as: researcher });
    expect(hist.body.events.filter((e: any) => ['item.approved', 'item.rejected'].includes(e.type))).toHaveLength(1);
    expect(ms).toBeLessThan(10_000);
    console.info(`8 concurrent decisions settled in ${Math.round(ms)} ms`);
  });
});
