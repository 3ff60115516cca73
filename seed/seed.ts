/**
 * Seeds a database with the demo catalogue: real collections (IDC, EuCanImage) mapped through the
 * same import code as any upload, demo providers, networks, contacts and users. Every write goes
 * through the catalogue's verbs (and so into the audit log), acting as the seed's admin actor.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureUser } from '../server/auth/queries.js';
import { importCollections } from '../server/catalogue/import.js';
import { addMembership } from '../server/catalogue/memberships.js';
import { createNetwork, getNetwork } from '../server/catalogue/networks.js';
import { createProvider, getProvider, putContact } from '../server/catalogue/providers.js';
import { systemContext, withTransaction, type ServiceContext } from '../server/core/context.js';
import type { Db } from '../server/db/client.js';
import type { NetworkInput, ProviderInput } from '../schemas/provider.js';
import { DEMO_USERS, EUCANIMAGE_NETWORK, IDC_CONTACT, IDC_PROVIDER_DOC, PROGRAMMES, programmeNetworkId } from './demo.js';
import { euCanImageProviders, mapEuCanImageRecord, type EuCanImageRecord } from './eucanimage.js';
import { mapIdcRecord, type EtlRecord, type IdcRecord, type TciaRecord } from './idc.js';

const data = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`./data/${name}`, import.meta.url)), 'utf8'));

export function seedDocuments() {
  const idc = data('idc_collections.json') as IdcRecord[];
  const etl = new Map((data('idc_only_collections_etl_flow.json') as EtlRecord[]).map((e) => [e.collection_id, e]));
  const tciaTitles = new Map((data('tcia_collections.json') as TciaRecord[]).flatMap((t) => (t.doi ? [[t.doi.toLowerCase(), t.collection] as const] : [])));
  const eci = data('eucanimage_collections.json') as EuCanImageRecord[];
  return {
    idc: idc.map((r) => mapIdcRecord(r, etl.get(r.collection_id), tciaTitles)),
    eucanimage: eci.map(mapEuCanImageRecord).filter((d) => d !== undefined),
    eucanimageProviders: euCanImageProviders(eci),
  };
}

export interface SeedSummary {
  collections: number;
  rejected: number;
  providers: number;
  networks: number;
  users: number;
}

/** The actor the seed writes as (an admin that is not a person; named in the audit log). */
export const SEED_ACTOR = { kind: 'user' as const, id: 'seed', name: 'Demo catalogue seed', isAdmin: true, memberships: [] };

export async function seedDatabase(
  db: Db,
  opts: { onProgress?: (done: number, total: number) => void; ctx?: Partial<ServiceContext> } = {},
): Promise<SeedSummary> {
  const docs = seedDocuments();
  // One transaction for the whole seed (one commit instead of hundreds: the embedded database's
  // first start is mostly this); each record still goes through the verbs, in a savepoint of its own.
  return withTransaction(systemContext(db, SEED_ACTOR, opts.ctx), (ctx) => seedInTransaction(ctx, docs, opts));
}

async function seedInTransaction(
  ctx: ServiceContext,
  docs: ReturnType<typeof seedDocuments>,
  opts: { onProgress?: (done: number, total: number) => void },
): Promise<SeedSummary> {
  const db = ctx.db;
  const networks: NetworkInput[] = [
    EUCANIMAGE_NETWORK,
    ...Object.entries(PROGRAMMES).map(([code, name]) => ({ id: programmeNetworkId(code), kind: 'programme' as const, name, acronym: code, countries: ['US'], status: 'Active' as const })),
  ];
  const exists = (read: Promise<unknown>) => read.then(() => true, () => false);
  for (const n of networks) if (!(await exists(getNetwork(ctx, n.id)))) await createNetwork(ctx, n);
  const providers: ProviderInput[] = [IDC_PROVIDER_DOC, ...docs.eucanimageProviders];
  for (const p of providers) if (!(await exists(getProvider(ctx, p.id)))) await createProvider(ctx, p);
  await putContact(ctx, IDC_CONTACT, '*'); // the seed's version wins on every start
  for (const u of DEMO_USERS) {
    await ensureUser(db, u);
    // Idempotent: an unchanged membership writes nothing (and no audit entry).
    for (const p of u.providerIds) await addMembership(ctx, p, u.id, u.memberRole ?? 'data_manager');
  }
  const all = [...docs.idc, ...docs.eucanimage];
  const report = await importCollections(ctx, all, { publish: true, dryRun: false, onProgress: opts.onProgress });
  return {
    collections: report.created + report.updated + report.unchanged,
    rejected: report.rejected,
    providers: providers.length,
    networks: networks.length,
    users: DEMO_USERS.length,
  };
}
