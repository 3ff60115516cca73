/**
 * Access mail through the real job engine (pg-boss on the test database) to a real SMTP server:
 * the job is enqueued in the command's transaction and the worker delivers it; a refused command
 * enqueues nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accessModule, configureAccess, jobs as accessJobs } from '../../server/access/index.js';
import type { JobEngine } from '../../server/jobs/index.js';
import { person, startSmtp } from '../helpers/access.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestJobs, waitFor } from '../helpers/jobs.js';

let tdb: TestDatabase;
let t: TestApp;
let engine: JobEngine;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  smtp = await startSmtp();
  configureAccess({ mail: { smtpUrl: smtp.url } });
  engine = await startTestJobs(tdb, accessJobs);
  t = await buildTestApp(tdb.database, { modules: [accessModule()], jobs: engine });
});
afterAll(async () => {
  await engine?.stop();
  await smtp?.stop();
  await tdb.drop();
});

it('mails the owners on submit and the researcher on the decision, through pg-boss', async () => {
  const prov = await t.provider();
  const owner = await person(tdb.database, 'jobs-owner');
  await t.user({ id: owner, providerIds: [prov] });
  const researcher = await person(tdb.database, 'jobs-researcher');
  const col = await t.collection(prov, { title: 'Jobs collection', accessRights: 'RESTRICTED' });
  const r = await t.call('POST', '/api/v1/requests', { as: researcher, body: { collectionIds: [col.id] } });
  await t.call('PUT', `/api/v1/requests/${r.body.id}`, {
    as: researcher,
    body: {
      title: 'Jobs study',
      laySummary: 'A study of the job engine.',
      abstract: 'Mail goes through pg-boss.',
      purposes: [{ code: 'GRU' }],
      commercialUse: false,
    },
  });
  expect((await t.call('POST', `/api/v1/requests/${r.body.id}/submit`, { as: researcher })).status).toBe(200);
  await waitFor('mail to the owner', () => smtp.mail.some((m) => m.to.includes('jobs-owner@example.org')));
  // A refused command (409) rolls back with its job: no mail.
  const before = smtp.mail.length;
  expect((await t.call('POST', `/api/v1/requests/${r.body.id}/submit`, { as: researcher })).status).toBe(409);
  expect(
    (
      await t.call('POST', `/api/v1/requests/${r.body.id}/items/${r.body.items[0].id}/decision`, {
        as: owner,
        body: { outcome: 'approve' },
      })
    ).status,
  ).toBe(200);
  await waitFor('decision mail to the researcher', () => smtp.mail.some((m) => m.to.includes('jobs-researcher@example.org')));
  await new Promise((res) => setTimeout(res, 1500));
  expect(smtp.mail.length).toBe(before + 1);
  const mail = await t.call('GET', '/api/v1/dev/mail', { as: researcher });
  expect(mail.status).toBe(404); // mail goes to SMTP here, nothing is captured
});
