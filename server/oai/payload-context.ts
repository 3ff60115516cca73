/** What a page of payloads needs besides the collection rows: providers, networks, contacts (read in the same query). */
import type { RecordRow } from './queries.js';
import type { Repository } from './records.js';

export type ProviderDoc = { id: string; name: string; doc: Record<string, unknown> };
export type ContactDoc = { id: string; doc: Record<string, unknown> };

export interface PayloadContext {
  repo: Repository;
  providers: Map<string, ProviderDoc>;
  networks: Map<string, { name: string; url?: string }>;
  contacts: Map<string, ContactDoc>;
}

export function payloadContext(repo: Repository, rows: RecordRow[]): PayloadContext {
  const ctx: PayloadContext = { repo, providers: new Map(), networks: new Map(), contacts: new Map() };
  for (const r of rows) {
    ctx.providers.set(r.providerId, { id: r.providerId, name: r.providerName, doc: (r.providerDoc ?? {}) as Record<string, unknown> });
    for (const [id, n] of Object.entries(r.networks ?? {}))
      ctx.networks.set(id, { name: n.name, ...(typeof n.url === 'string' ? { url: n.url } : {}) });
    for (const [id, doc] of Object.entries(r.contacts ?? {})) ctx.contacts.set(id, { id, doc });
  }
  return ctx;
}
