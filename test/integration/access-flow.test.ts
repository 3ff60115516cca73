/**
 * The access-request flow over HTTP against real PostgreSQL and a real SMTP server: cart, draft,
 * submit, independent per-provider decisions, return and resubmit with a diff, withdraw, revoke,
 * renew, grant confirmation from the XNAT seam, concurrency, mail threads, history. Messages,
 * attachments, notifications and the scheduled jobs: access-followups.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantStateChanged } from '../../server/access/index.js';
import { verifyAudit } from '../../server/core/audit.js';
import { accessWorld, REQUEST_FORM as FORM, systemCtx, type AccessWorld } from '../helpers/access.js';

let w: AccessWorld;
let tdb: AccessWorld['tdb'];
let t: AccessWorld['t'];
let queue: AccessWorld['queue'];
let smtp: AccessWorld['smtp'];
let grants: unknown[], revokes: unknown[];
let provA: string, provB: string, ownerA: string, ownerA2: string, ownerB: string, researcher: string, admin: string;
let colA: any, colB: any, colOpen: any, colPrivate: any;

beforeAll(async () => {
  w = await accessWorld();
  ({ tdb, t, queue, smtp, provA, provB, ownerA, ownerA2, ownerB, researcher, admin, grants, revokes, colA, colB, colOpen, colPrivate } = w);
});
afterAll(async () => {
  await w?.close();
});

const drain = () => w.drain();

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

  it('refuses a request naming a collection the researcher may not see exactly as one naming an unknown id', async () => {
    const ask = (collectionIds: string[]) => t.call('POST', '/api/v1/requests', { as: researcher, body: { collectionIds } });
    const unknown = await ask([colA.id, 'nope']);
    expect(unknown.status).toBe(404);
    for (const ids of [[colPrivate.id], [colA.id, colPrivate.id]]) {
      const hidden = await ask(ids);
      expect(hidden.status).toBe(404);
      expect([hidden.body.code, hidden.body.detail]).toEqual([unknown.body.code, unknown.body.detail]);
    }
    expect((await t.call('GET', '/api/v1/requests', { as: researcher })).body.items).toEqual([]);
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
    expect(res.body.items.map((i: any) => [i.collectionId, i.providerId, i.status]).sort()).toEqual(
      [
        [colA.id, provA, 'draft'],
        [colB.id, provB, 'draft'],
      ].sort(),
    );
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
    expect(res.body.errors.map((e: any) => e.path)).toEqual(
      expect.arrayContaining(['laySummary', 'abstract', 'purposes', 'commercialUse']),
    );
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
    expect(
      (await t.call('POST', `/api/v1/requests/${id}/items/${itemB}/decision`, { as: ownerA, body: { outcome: 'approve' } })).status,
    ).toBe(404);
    expect(
      (await t.call('GET', `/api/v1/inbox?collectionId=${colA.id}&status=submitted&minAgeDays=0`, { as: ownerA })).body.items,
    ).toHaveLength(1);
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
      t.call('POST', `/api/v1/requests/${id}/items/${itemA}/decision`, {
        as: ownerA2,
        body: { outcome: 'approve', role: 'member', conditions: 'cite us' },
      }),
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
    const ret = await t.call('POST', `/api/v1/requests/${id}/items/${itemB}/decision`, {
      as: ownerB,
      body: { outcome: 'return', reason: 'Name the breast-cancer ICD-10 code.' },
    });
    expect(ret.status).toBe(200);
    expect(ret.body.items[0].status).toBe('returned');
    const edited = await t.call('PUT', `/api/v1/requests/${id}`, {
      as: researcher,
      body: { ...FORM, purposes: [{ code: 'DS', disease: 'C50.9' }] },
    });
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
    const rej = await t.call('POST', `/api/v1/requests/${id}/items/${itemB}/decision`, {
      as: ownerB,
      body: { outcome: 'reject', reason: 'Outside our consent.' },
    });
    expect(rej.status).toBe(200);
    const mine = await t.call('GET', `/api/v1/requests/${id}`, { as: researcher });
    const b = mine.body.items.find((i: any) => i.id === itemB);
    expect(b.status).toBe('rejected');
    expect(b.decision).toMatchObject({ outcome: 'reject', reason: 'Outside our consent.', by: ownerB });
    const a = mine.body.items.find((i: any) => i.id === itemA);
    expect(a.status).toBe('approved');
    expect(a.role).toBe('member');
    expect(grants).toEqual([
      expect.objectContaining({ itemId: itemA, userId: researcher, projectId: colA.xnat.projectId, role: 'member', until: a.until }),
    ]);
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
    const rev = await t.call('POST', `/api/v1/requests/${id}/items/${itemA}/revoke`, {
      as: ownerA,
      body: { reason: 'Project ended early' },
    });
    expect(rev.status).toBe(200);
    expect(rev.body.items[0].status).toBe('revoked');
    expect(revokes).toEqual([{ itemId: itemA, reason: 'revoked' }]);
  });

  it('records every step in the history, in order, with actor and time', async () => {
    const hist = await t.call('GET', `/api/v1/requests/${id}/history`, { as: researcher });
    const steps = hist.body.events.filter((e: any) => e.itemId === itemB).map((e: any) => e.type);
    expect(steps).toEqual([
      'item.submitted',
      'item.review_started',
      'item.returned',
      'item.submitted',
      'item.review_started',
      'item.rejected',
    ]);
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
    expect(toResearcher.map((m) => m.subject)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('approved'),
        expect.stringContaining('rejected'),
        expect.stringContaining('returned for changes'),
      ]),
    );
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
