/**
 * The access-request flow over HTTP against real PostgreSQL and a real SMTP server: cart, draft,
 * submit, independent per-provider decisions, return and resubmit with a diff, withdraw, revoke,
 * renew, grant confirmation from the XNAT seam, concurrency, messages, mail threads, history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureAccess, grantStateChanged, sendReminders, expireDue, sendDigests, type AccessHooks } from '../../server/access/index.js';
import { verifyAudit } from '../../server/core/audit.js';
import { buildAccessApp, person, startSmtp, systemCtx, type RecordingQueue } from '../helpers/access.js';
import type { TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let t: TestApp;
let queue: RecordingQueue;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const grants: unknown[] = [];
const revokes: unknown[] = [];
const hooks: AccessHooks = { requestGrant: async (_c, g) => void grants.push(g), requestRevoke: async (_c, r) => (revokes.push(r), { pending: false }) };
let provA: string, provB: string, ownerA: string, ownerA2: string, ownerB: string, researcher: string, admin: string;
let colA: any, colB: any, colOpen: any, colPrivate: any;

export const FORM = {
  title: 'Radiomics of lung nodules',
  laySummary: 'We want to learn which lung nodules turn into cancer.',
  abstract: 'Retrospective radiomics study of low-dose CT with segmentations.',
  purposes: [{ code: 'HMB' }],
  commercialUse: false,
  ethics: { reference: 'METC-2026-001', expiry: '2030-01-01' },
  team: [{ name: 'Sam Student', email: 'sam@example.org' }],
};

beforeAll(async () => {
  tdb = await createTestDatabase();
  ({ t, queue } = await buildAccessApp(tdb.database));
  smtp = await startSmtp();
  configureAccess({ hooks, mail: { smtpUrl: smtp.url, baseUrl: 'http://catalogue.test', mailDomain: 'catalogue.test' } });
  provA = await t.provider();
  provB = await t.provider();
  ownerA = await person(tdb.database, 'owner-a');
  ownerA2 = await person(tdb.database, 'owner-a2');
  ownerB = await person(tdb.database, 'owner-b');
  researcher = await person(tdb.database, 'rosa');
  admin = await person(tdb.database, 'ada', { admin: true });
  await t.user({ id: ownerA, providerIds: [provA] });
  await t.user({ id: ownerA2, providerIds: [provA] });
  await t.user({ id: ownerB, providerIds: [provB] });
  const restricted = { accessRights: 'RESTRICTED', dataUse: [{ term: 'HMB' }, { term: 'IRB' }] } as const;
  colA = await t.collection(provA, { title: 'Lung CT A', ...restricted, accessPolicy: { allowedRoles: ['collaborator', 'member'], maxDurationMonths: 24 } } as never);
  colB = await t.collection(provB, { title: 'Breast MR B', accessRights: 'RESTRICTED', dataUse: [{ term: 'DS', disease: { system: 'ICD-10', code: 'C50', label: 'Breast' } }] } as never);
  colOpen = await t.collection(provA, { title: 'Open data', accessRights: 'PUBLIC' });
  colPrivate = await t.collection(provB, { title: 'Private B', accessRights: 'RESTRICTED', xnat: { instance: 'https://xnat.test.org', projectId: 'PRIV_B', visibility: 'private' } });
});
afterAll(async () => {
  configureAccess({ mail: { smtpUrl: undefined } });
  await smtp?.stop();
  await tdb.drop();
});

async function drain() {
  await queue.drain();
  await new Promise((r) => setTimeout(r, 50));
}

describe('cart', () => {
  it('holds requestable collections across calls, refuses open and unknown ones', async () => {
    expect((await t.call('POST', '/api/v1/cart/items', { as: researcher, body: { collectionId: colA.id } })).status).toBe(201);
    const added = await t.call('POST', '/api/v1/cart/items', { as: researcher, body: { collectionId: colB.id } });
    expect(added.body.items.map((i: any) => i.collectionId).sort()).toEqual([colA.id, colB.id].sort());
    const open = await t.call('POST', '/api/v1/cart/items', { as: researcher, body: { collectionId: colOpen.id } });
    expect(open.status).toBe(409);
    expect(open.body.code).toBe('not_requestable');
    expect((await t.call('POST', '/api/v1/cart/items', { as: researcher, body: { collectionId: colPrivate.id } })).status).toBe(404);
    expect((await t.call('POST', '/api/v1/cart/items', { as: researcher, body: { collectionId: 'nope' } })).status).toBe(404);
    expect((await t.call('GET', '/api/v1/cart', { as: researcher })).body.items).toHaveLength(2);
  });
});

describe('the whole flow', () => {
  let id: string;
  let itemA: string;
  let itemB: string;

  it('creates a draft from the cart and empties the cart', async () => {
    const res = await t.call('POST', '/api/v1/requests', { as: researcher, body: {} });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('draft');
    expect(res.body.items.map((i: any) => [i.collectionId, i.providerId, i.status]).sort()).toEqual([[colA.id, provA, 'draft'], [colB.id, provB, 'draft']].sort());
    id = res.body.id;
    itemA = res.body.items.find((i: any) => i.collectionId === colA.id).id;
    itemB = res.body.items.find((i: any) => i.collectionId === colB.id).id;
    expect((await t.call('GET', '/api/v1/cart', { as: researcher })).body.items).toEqual([]);
  });

  it('saves a partial draft, refuses to submit it naming the missing fields', async () => {
    expect((await t.call('PUT', `/api/v1/requests/${id}`, { as: researcher, body: { title: 'Rad' } })).status).toBe(200);
    const res = await t.call('POST', `/api/v1/requests/${id}/submit`, { as: researcher });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('form_incomplete');
    expect(res.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['laySummary', 'abstract', 'purposes', 'commercialUse']));
    // Drafts are invisible to owners.
    expect((await t.call('GET', `/api/v1/requests/${id}`, { as: ownerA })).status).toBe(404);
  });

  it('shows policy conflicts before submit and submits anyway; owners see the conflicts', async () => {
    await t.call('PUT', `/api/v1/requests/${id}`, { as: researcher, body: FORM });
    const check = await t.call('GET', `/api/v1/requests/${id}/policy-check`, { as: researcher });
    expect(check.body.conflicts).toEqual([expect.objectContaining({ collectionId: colB.id, code: 'duo_purpose' })]);
    const res = await t.call('POST', `/api/v1/requests/${id}/submit`, { as: researcher });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('open');
    expect(res.body.items.every((i: any) => i.status === 'submitted')).toBe(true);
    const asB = await t.call('GET', `/api/v1/requests/${id}`, { as: ownerB });
    expect(asB.body.items).toHaveLength(1);
    expect(asB.body.items[0].conflicts[0].code).toBe('duo_purpose');
  });

  it('routes each item to its own provider: inboxes and owners see only their part', async () => {
    const a = await t.call('GET', '/api/v1/inbox', { as: ownerA });
    expect(a.body.items.map((i: any) => i.itemId)).toEqual([itemA]);
    const b = await t.call('GET', '/api/v1/inbox', { as: ownerB });
    expect(b.body.items.map((i: any) => i.itemId)).toEqual([itemB]);
    const asA = await t.call('GET', `/api/v1/requests/${id}`, { as: ownerA });
    expect(JSON.stringify(asA.body)).not.toContain(colB.id);
    expect((await t.call('POST', `/api/v1/requests/${id}/items/${itemB}/decision`, { as: ownerA, body: { outcome: 'approve' } })).status).toBe(404);
    expect((await t.call('GET', `/api/v1/inbox?collectionId=${colA.id}&status=submitted&minAgeDays=0`, { as: ownerA })).body.items).toHaveLength(1);
    expect((await t.call('GET', '/api/v1/inbox?minAgeDays=3', { as: ownerA })).body.items).toHaveLength(0);
  });

  it('locks the form while under review', async () => {
    const res = await t.call('PUT', `/api/v1/requests/${id}`, { as: researcher, body: { ...FORM, title: 'Changed' } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('illegal_transition');
  });

  it('two owners deciding at once: one wins, the other gets 409, one decision recorded', async () => {
    const [r1, r2] = await Promise.all([
      t.call('POST', `/api/v1/requests/${id}/items/${itemA}/decision`, { as: ownerA, body: { outcome: 'approve', role: 'member' } }),
      t.call('POST', `/api/v1/requests/${id}/items/${itemA}/decision`, { as: ownerA2, body: { outcome: 'approve', role: 'member', conditions: 'cite us' } }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
    const loser = r1.status === 409 ? r1 : r2;
    expect(loser.headers.get('content-type')).toContain('application/problem+json');
    expect(loser.body.code).toBe('illegal_transition');
    const hist = await t.call('GET', `/api/v1/requests/${id}/history`, { as: researcher });
    const decided = hist.body.events.filter((e: any) => e.itemId === itemA && ['item.approved', 'item.rejected'].includes(e.type));
    expect(decided).toHaveLength(1);
    // The winner's decision is the one on record.
    const winner = r1.status === 200 ? ownerA : ownerA2;
    expect(decided[0].actor).toBe(winner);
    const item = (await t.call('GET', `/api/v1/requests/${id}`, { as: researcher })).body.items.find((i: any) => i.id === itemA);
    expect(item.decision.by).toBe(winner);
  });

  it('returns B for changes; resubmission makes a new version and owners see the difference', async () => {
    const ret = await t.call('POST', `/api/v1/requests/${id}/items/${itemB}/decision`, { as: ownerB, body: { outcome: 'return', reason: 'Name the breast-cancer ICD-10 code.' } });
    expect(ret.status).toBe(200);
    expect(ret.body.items[0].status).toBe('returned');
    const edited = await t.call('PUT', `/api/v1/requests/${id}`, { as: researcher, body: { ...FORM, purposes: [{ code: 'DS', disease: 'C50.9' }] } });
    expect(edited.status).toBe(200);
    expect(edited.body.formVersion).toBe(2);
    const sub = await t.call('POST', `/api/v1/requests/${id}/submit`, { as: researcher });
    expect(sub.status).toBe(200);
    expect(sub.body.conflicts).toEqual([]);
    const asB = await t.call('GET', `/api/v1/requests/${id}`, { as: ownerB });
    expect(asB.body.items[0].status).toBe('submitted');
    expect(asB.body.changes).toEqual([expect.objectContaining({ path: 'purposes' })]);
    // Approved A is untouched by the resubmission.
    expect((await t.call('GET', `/api/v1/requests/${id}`, { as: ownerA })).body.items[0].status).toBe('approved');
  });

  it('rejects B with a reason the researcher sees; approved A becomes active only when XNAT confirms', async () => {
    const rej = await t.call('POST', `/api/v1/requests/${id}/items/${itemB}/decision`, { as: ownerB, body: { outcome: 'reject', reason: 'Outside our consent.' } });
    expect(rej.status).toBe(200);
    const mine = await t.call('GET', `/api/v1/requests/${id}`, { as: researcher });
    const b = mine.body.items.find((i: any) => i.id === itemB);
    expect(b.status).toBe('rejected');
    expect(b.decision).toMatchObject({ outcome: 'reject', reason: 'Outside our consent.', by: ownerB });
    const a = mine.body.items.find((i: any) => i.id === itemA);
    expect(a.status).toBe('approved');
    expect(a.role).toBe('member');
    expect(grants).toEqual([expect.objectContaining({ itemId: itemA, userId: researcher, projectId: colA.xnat.projectId, role: 'member', until: a.until })]);
    expect(mine.body.status).toBe('open');
    await grantStateChanged(systemCtx(tdb.database, queue), { itemId: itemA, state: 'active' });
    const after = await t.call('GET', `/api/v1/requests/${id}`, { as: researcher });
    expect(after.body.items.find((i: any) => i.id === itemA).status).toBe('active');
    expect(after.body.status).toBe('concluded');
  });

  it('refuses illegal commands with 409 problem+json', async () => {
    const again = await t.call('POST', `/api/v1/requests/${id}/items/${itemB}/decision`, { as: ownerB, body: { outcome: 'approve' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('illegal_transition');
    expect((await t.call('POST', `/api/v1/requests/${id}/withdraw`, { as: researcher })).status).toBe(409);
    expect((await t.call('POST', `/api/v1/requests/${id}/submit`, { as: researcher })).status).toBe(409);
  });

  it('renews into a prefilled draft linked to the old request; the owner revokes the old access', async () => {
    const ren = await t.call('POST', `/api/v1/requests/${id}/renew`, { as: researcher });
    expect(ren.status).toBe(201);
    expect(ren.body).toMatchObject({ status: 'draft', renewalOf: id });
    expect(ren.body.items.map((i: any) => i.collectionId)).toEqual([colA.id]);
    expect(ren.body.form.title).toBe(FORM.title);
    const rev = await t.call('POST', `/api/v1/requests/${id}/items/${itemA}/revoke`, { as: ownerA, body: { reason: 'Project ended early' } });
    expect(rev.status).toBe(200);
    expect(rev.body.items[0].status).toBe('revoked');
    expect(revokes).toEqual([{ itemId: itemA, reason: 'revoked' }]);
  });

  it('records every step in the history, in order, with actor and time', async () => {
    const hist = await t.call('GET', `/api/v1/requests/${id}/history`, { as: researcher });
    const steps = hist.body.events.filter((e: any) => e.itemId === itemB).map((e: any) => e.type);
    expect(steps).toEqual(['item.submitted', 'item.review_started', 'item.returned', 'item.submitted', 'item.review_started', 'item.rejected']);
    const aSteps = hist.body.events.filter((e: any) => e.itemId === itemA).map((e: any) => e.type);
    expect(aSteps).toEqual(['item.submitted', 'item.review_started', 'item.approved', 'item.activated', 'item.revoked']);
    expect(hist.body.events[0]).toMatchObject({ type: 'request.created', actor: researcher });
    expect(hist.body.events.find((e: any) => e.type === 'item.activated').actor).toBe('system');
    for (const e of hist.body.events) expect(Date.parse(e.at)).not.toBeNaN();
    expect((await t.call('GET', '/api/v1/requests', { as: admin })).body.items.some((r: any) => r.id === id)).toBe(true);
    // The access events are links of the hash-chained audit log, and the chain verifies.
    const verified = await verifyAudit({ db: tdb.database.db });
    expect(verified.ok).toBe(true);
    expect(verified.events).toBeGreaterThanOrEqual(hist.body.events.length);
    // Owner A does not see B's steps.
    const asA = await t.call('GET', `/api/v1/requests/${id}/history`, { as: ownerA });
    expect(asA.body.events.some((e: any) => e.itemId === itemB)).toBe(false);
  });

  it('sends threaded mail through SMTP to each party', async () => {
    await drain();
    const toResearcher = smtp.mail.filter((m) => m.to.includes('rosa@example.org'));
    expect(toResearcher.map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringContaining('approved'), expect.stringContaining('rejected'), expect.stringContaining('returned for changes')]));
    expect(toResearcher.some((m) => m.text.includes('Outside our consent.'))).toBe(true);
    // One thread per request: the first mail is the root, later ones reply to it.
    const root = toResearcher[0]!.messageId;
    expect(toResearcher.slice(1).every((m) => m.inReplyTo === root && (m.references ?? '').includes(root!))).toBe(true);
    const toB = smtp.mail.filter((m) => m.to.includes('owner-b@example.org'));
    expect(toB.some((m) => m.subject.includes('[Data owner]'))).toBe(true);
    // Owner B never hears of provider A's collection.
    expect(toB.some((m) => m.text.includes('Lung CT A'))).toBe(false);
  });
});

describe('messages and attachments', () => {
  let id: string;
  beforeAll(async () => {
    const r = await t.call('POST', '/api/v1/requests', { as: researcher, body: { collectionIds: [colA.id, colB.id] } });
    id = r.body.id;
    await t.call('PUT', `/api/v1/requests/${id}`, { as: researcher, body: FORM });
    await t.call('POST', `/api/v1/requests/${id}/submit`, { as: researcher });
  });

  it('keeps a private message to one provider from the other', async () => {
    const priv = await t.call('POST', `/api/v1/requests/${id}/messages`, { as: researcher, body: { body: 'Only for B: our budget', audience: provB } });
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
    const up = await t.app.request(`/api/v1/requests/${id}/attachments?filename=ethics.pdf`, { method: 'POST', body: pdf, headers: { authorization: `Bearer ${await t.issuer.sign({ sub: researcher, name: researcher })}`, 'content-type': 'application/octet-stream' } });
    expect(up.status).toBe(201);
    const att = (await up.json()) as any;
    expect(att.contentType).toBe('application/pdf');
    const fake = await t.app.request(`/api/v1/requests/${id}/attachments?filename=evil.pdf`, { method: 'POST', body: '#!/bin/sh\nrm -rf /\n', headers: { authorization: `Bearer ${await t.issuer.sign({ sub: researcher, name: researcher })}`, 'content-type': 'application/pdf' } });
    expect(fake.status).toBe(415);
    expect(((await fake.json()) as any).code).toBe('attachment_refused');
    const msg = await t.call('POST', `/api/v1/requests/${id}/messages`, { as: researcher, body: { body: 'Ethics letter attached', audience: provA, attachmentIds: [att.id] } });
    expect(msg.body.attachments).toEqual([expect.objectContaining({ id: att.id, contentType: 'application/pdf' })]);
    const okA = await t.app.request(`/api/v1/requests/${id}/attachments/${att.id}`, { headers: { authorization: `Bearer ${await t.issuer.sign({ sub: ownerA, name: ownerA })}` } });
    expect(okA.status).toBe(200);
    expect(Buffer.from(await okA.arrayBuffer()).equals(pdf)).toBe(true);
    const noB = await t.app.request(`/api/v1/requests/${id}/attachments/${att.id}`, { headers: { authorization: `Bearer ${await t.issuer.sign({ sub: ownerB, name: ownerB })}` } });
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
    await t.call('POST', `/api/v1/requests/${r.body.id}/items/${r.body.items[0].id}/decision`, { as: ownerA, body: { outcome: 'reject', reason: 'x' } });
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
    await t.call('POST', `/api/v1/requests/${r.body.id}/items/${r.body.items[0].id}/decision`, { as: ownerA, body: { outcome: 'approve', until } });
    await sendReminders(systemCtx(tdb.database, queue), { ownerDays: 5 });
    const notesR = await t.call('GET', '/api/v1/notifications', { as: researcher });
    expect(notesR.body.items.some((x: any) => /ends in 2\d days/.test(x.subject))).toBe(true);
    const expired = await expireDue(systemCtx(tdb.database, queue, () => new Date(Date.now() + 40 * 86_400_000)), hooks);
    expect(expired).toBeGreaterThanOrEqual(1);
    expect((await t.call('GET', `/api/v1/requests/${r.body.id}`, { as: researcher })).body.items[0].status).toBe('expired');
  });

  it('refuses an end date beyond the collection policy', async () => {
    const r = await t.call('POST', '/api/v1/requests', { as: researcher, body: { collectionIds: [colB.id] } });
    await t.call('PUT', `/api/v1/requests/${r.body.id}`, { as: researcher, body: FORM });
    await t.call('POST', `/api/v1/requests/${r.body.id}/submit`, { as: researcher });
    const res = await t.call('POST', `/api/v1/requests/${r.body.id}/items/${r.body.items[0].id}/decision`, { as: ownerB, body: { outcome: 'approve', role: 'member' } });
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
      await t.call('POST', `/api/v1/requests/${r.body.id}/items/${r.body.items[0].id}/decision`, { as: ownerA, body: i % 2 ? { outcome: 'approve' } : { outcome: 'reject', reason: 'no' } });
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
    const res = await t.call('POST', `/api/v1/requests/${id}/items/${created.body.items[0].id}/decision`, { as: ownerA, body: { outcome: 'approve', until } });
    expect(res.status).toBe(200);
    expect(res.body.items[0].until).toBe(until) // a date-time is kept exact (access ends then); a date means the end of that day;
    const bad = await t.call('POST', `/api/v1/requests/${id}/withdraw`, { as: researcher, body: '{nope', headers: { 'content-type': 'application/json' } });
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
        t.call('POST', `/api/v1/requests/${r.body.id}/items/${item}/decision`, { as: i % 2 ? ownerA : ownerA2, body: i % 3 ? { outcome: 'approve' } : { outcome: 'reject', reason: `r${i}` } }),
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
