/**
 * The XNAT verbs refuse callers themselves, not only through their routes (the routes check first,
 * so the API matrix cannot tell whether the verb does too; jobs, the CLI and future routes call the
 * verbs directly): instances are admins' only, a user's XNAT accounts are theirs (or an admin's).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userActor, type Actor } from '../../server/auth/actor.js';
import { ensureUser } from '../../server/auth/queries.js';
import type { ServiceContext } from '../../server/core/context.js';
import { configureXnat } from '../../server/xnat/index.js';
import * as instances from '../../server/xnat/instances.js';
import * as q from '../../server/xnat/queries.js';
import { recordingQueue, systemCtx } from '../helpers/access.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let instanceId: string;
const as = (actor: Actor): ServiceContext => ({ ...systemCtx(tdb.database, recordingQueue(tdb.database)), actor });
const admin = userActor({ id: 'verbs-admin', name: 'a', isAdmin: true });
const researcher = userActor({ id: 'verbs-researcher', name: 'r' });
const owner = 'verbs-owner';

beforeAll(async () => {
  tdb = await createTestDatabase();
  configureXnat({ key: randomBytes(32), timeoutMs: 1500 });
  for (const id of [admin.id, researcher.id, owner]) await ensureUser(tdb.database.db, { id, name: id });
  const inst = await instances.createInstance(as(admin), {
    name: 'Verbs XNAT',
    url: 'http://127.0.0.1:9/xnat',
    credentials: { kind: 'password', username: 'u', password: 'p' },
  });
  instanceId = inst.id;
  await q.upsertAccount(tdb.database.db, { userId: owner, instanceId, username: 'owner-in-xnat', verifiedAt: new Date() });
});
afterAll(async () => tdb?.drop());

const refused = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: { code?: string; message?: string }) => err,
  );
  return e && { code: e.code, message: e.message };
};

describe('XNAT verbs called directly', () => {
  it('refuse instance management to non-admins, and to anonymous callers', async () => {
    const input = {
      name: 'Rogue',
      url: 'http://127.0.0.1:9/rogue',
      credentials: { kind: 'password' as const, username: 'u', password: 'p' },
    };
    expect(await refused(instances.createInstance(as(researcher), input))).toMatchObject({ code: 'forbidden' });
    expect(await refused(instances.updateInstance(as(researcher), instanceId, { name: 'Renamed' }))).toMatchObject({ code: 'forbidden' });
    expect(await refused(instances.createInstance(as({ kind: 'anonymous' }), input))).toMatchObject({ code: 'unauthenticated' });
    expect((await q.getInstance(tdb.database.db, instanceId))?.name).toBe('Verbs XNAT');
  });

  it("keep another user's XNAT accounts from a non-admin: as if the user did not exist", async () => {
    const noSuchUser = { code: 'not_found', message: 'No such user.' };
    expect(await refused(instances.listAccounts(as(researcher), owner))).toEqual(noSuchUser);
    expect(await refused(instances.setAccount(as(researcher), owner, instanceId, 'hijack'))).toEqual(noSuchUser);
    expect(await refused(instances.removeAccount(as(researcher), owner, instanceId))).toEqual(noSuchUser);
    expect((await instances.listAccounts(as(admin), owner)).items).toEqual([expect.objectContaining({ username: 'owner-in-xnat' })]);
  });
});
