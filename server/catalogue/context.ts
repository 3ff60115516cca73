import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';

/** What every verb receives: the database and who is acting. */
export interface Ctx {
  db: Db;
  actor: Actor;
}
