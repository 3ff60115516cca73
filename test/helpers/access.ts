/**
 * Access-request test helpers: the app with the access module mounted, a minimal job queue that
 * records what is sent (until the pg-boss engine lands) and runs it on demand through the module's
 * own job handlers, and a real SMTP server (smtp-server) that collects mail.
 */
import { SMTPServer } from 'smtp-server';
import { ANONYMOUS } from '../../server/auth/actor.js';
import { ensureUser } from '../../server/auth/queries.js';
import { accessModule, configureAccess, jobs, type AccessHooks } from '../../server/access/index.js';
import type { ServiceContext } from '../../server/core/context.js';
import type { Database } from '../../server/db/client.js';
import type { JobQueue } from '../../server/jobs/types.js';
import { buildTestApp, type TestApp } from './app.js';
import { createTestDatabase } from './db.js';

export interface RecordingQueue extends JobQueue {
  sent: { name: string; payload: unknown }[];
  /** Run every recorded job (and those they send) through the module's handlers. */
  drain(): Promise<number>;
}

export function recordingQueue(database: Database): RecordingQueue {
  const sent: { name: string; payload: unknown }[] = [];
  let next = 0;
  const q: RecordingQueue = {
    sent,
    async send(_db, name, payload) {
      sent.push({ name, payload });
      return String(sent.length);
    },
    async drain() {
      let ran = 0;
      while (next < sent.length) {
        const job = sent[next++]!;
        const def = jobs.find((j) => j.name === job.name);
        if (!def) throw new Error(`no handler for ${job.name}`);
        await def.handler(systemCtx(database, q), job.payload as never, { id: String(next), retryCount: 0 });
        ran++;
      }
      return ran;
    },
  };
  return q;
}

export const systemCtx = (database: Database, jobsQ: JobQueue, now = () => new Date()): ServiceContext => ({
  db: database.db,
  actor: ANONYMOUS,
  now,
  requestId: 'test-job',
  log: { debug() {}, info() {}, warn() {}, error() {} },
  jobs: jobsQ,
});

export async function buildAccessApp(database: Database): Promise<{ t: TestApp; queue: RecordingQueue }> {
  const queue = recordingQueue(database);
  const t = await buildTestApp(database, { modules: [accessModule()], jobs: queue });
  return { t, queue };
}

export async function person(database: Database, id: string, opts: { admin?: boolean } = {}) {
  await ensureUser(database.db, { id, name: `Name of ${id}`, email: `${id}@example.org`, isAdmin: opts.admin ?? false });
  return id;
}

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
}

/** Enough of RFC 5322 for tests: unfolded headers, and a quoted-printable or plain text body. */
function parseMail(raw: string): Omit<ReceivedMail, 'to'> {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  let body = rest.join('\n\n');
  if (/quoted-printable/i.test(headers.get('content-transfer-encoding') ?? '')) {
    body = Buffer.from(
      body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  }
  const subject = (headers.get('subject') ?? '')
    .replace(/=\?utf-8\?Q\?(.*?)\?=/gi, (_m, t: string) =>
      Buffer.from(
        t.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8'),
    )
    .replace(/\?=\s+=\?/g, '');
  return {
    subject,
    text: body,
    messageId: headers.get('message-id'),
    inReplyTo: headers.get('in-reply-to'),
    references: headers.get('references'),
  };
}

/** A real SMTP server on a free port, collecting parsed mail. */
export async function startSmtp(): Promise<{ url: string; mail: ReceivedMail[]; stop: () => Promise<void> }> {
  const mail: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mail.push({ to: session.envelope.rcptTo.map((r) => r.address), ...parseMail(Buffer.concat(chunks).toString('utf8')) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, mail, stop: () => new Promise((r) => server.close(() => r())) };
}

/** A complete, valid request form. */
export const REQUEST_FORM = {
  title: 'Radiomics of lung nodules',
  laySummary: 'We want to learn which lung nodules turn into cancer.',
  abstract: 'Retrospective radiomics study of low-dose CT with segmentations.',
  purposes: [{ code: 'HMB' }],
  commercialUse: false,
  ethics: { reference: 'METC-2026-001', expiry: '2030-01-01' },
  team: [{ name: 'Sam Student', email: 'sam@example.org' }],
};

/**
 * The access flow tests' world: a fresh database, the access app, a real SMTP server, XNAT hooks that
 * record grants and revocations, two providers (A with two owners, B with one), a researcher, an
 * admin, and four collections: restricted A (with an access policy), restricted B, open, private B.
 */
export async function accessWorld() {
  const tdb = await createTestDatabase();
  const { t, queue } = await buildAccessApp(tdb.database);
  const smtp = await startSmtp();
  const grants: unknown[] = [];
  const revokes: unknown[] = [];
  const hooks: AccessHooks = {
    requestGrant: async (_c, g) => void grants.push(g),
    requestRevoke: async (_c, r) => (revokes.push(r), { pending: false }),
  };
  configureAccess({ hooks, mail: { smtpUrl: smtp.url, baseUrl: 'http://catalogue.test', mailDomain: 'catalogue.test' } });
  const provA = await t.provider();
  const provB = await t.provider();
  const ownerA = await person(tdb.database, 'owner-a');
  const ownerA2 = await person(tdb.database, 'owner-a2');
  const ownerB = await person(tdb.database, 'owner-b');
  const researcher = await person(tdb.database, 'rosa');
  const admin = await person(tdb.database, 'ada', { admin: true });
  await t.user({ id: ownerA, providerIds: [provA] });
  await t.user({ id: ownerA2, providerIds: [provA] });
  await t.user({ id: ownerB, providerIds: [provB] });
  const restricted = { accessRights: 'RESTRICTED', dataUse: [{ term: 'HMB' }, { term: 'IRB' }] } as const;
  const colA = await t.collection(provA, {
    title: 'Lung CT A',
    ...restricted,
    accessPolicy: { allowedRoles: ['collaborator', 'member'], maxDurationMonths: 24 },
  } as never);
  const colB = await t.collection(provB, {
    title: 'Breast MR B',
    accessRights: 'RESTRICTED',
    dataUse: [{ term: 'DS', disease: { system: 'ICD-10', code: 'C50', label: 'Breast' } }],
  } as never);
  const colOpen = await t.collection(provA, { title: 'Open data', accessRights: 'PUBLIC' });
  const colPrivate = await t.collection(provB, {
    title: 'Private B',
    accessRights: 'RESTRICTED',
    xnat: { instance: 'https://xnat.test.org', projectId: 'PRIV_B', visibility: 'private' },
  });
  return {
    tdb,
    t,
    queue,
    smtp,
    hooks,
    grants,
    revokes,
    provA,
    provB,
    ownerA,
    ownerA2,
    ownerB,
    researcher,
    admin,
    colA,
    colB,
    colOpen,
    colPrivate,
    /** Run the queued jobs (mail) and let the SMTP server take what they sent. */
    async drain() {
      await queue.drain();
      await new Promise((r) => setTimeout(r, 50));
    },
    async close() {
      configureAccess({ mail: { smtpUrl: undefined } });
      await smtp.stop();
      await tdb.drop();
    },
  };
}
export type AccessWorld = Awaited<ReturnType<typeof accessWorld>>;
