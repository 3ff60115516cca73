/** What a page of payloads needs besides the collection rows: providers, networks, contacts (one query each). */
import type { CollectionFields } from '../../schemas/collection.js';
import type { DbOrTx } from '../db/client.js';
import { contactsByIds, networkNames, providersByIds, type ContactDoc, type ProviderDoc, type RecordRow } from './queries.js';
import type { Repository } from './records.js';

export interface PayloadContext {
  repo: Repository;
  providers: Map<string, ProviderDoc>;
  networks: Map<string, { name: string; url?: string }>;
  contacts: Map<string, ContactDoc>;
}

export async function loadPayloadContext(db: DbOrTx, repo: Repository, rows: RecordRow[]): Promise<PayloadContext> {
  const docs = rows.map((r) => r.doc as CollectionFields);
  const [providers, networks, contacts] = await Promise.all([
    providersByIds(db, rows.map((r) => r.providerId)),
    networkNames(db, docs.flatMap((d) => d.networkIds ?? [])),
    contactsByIds(db, docs.flatMap((d) => (d.contacts ?? []).map((c) => c.contactId))),
  ]);
  return { repo, providers, networks, contacts };
}
