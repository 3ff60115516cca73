/**
 * Seeds a database with the demo catalogue: real collections (IDC, EuCanImage) mapped through the
 * same import code as any upload, demo providers, networks, contacts and users.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureUser, addMember } from '../server/auth/queries.js';
import { userActor } from '../server/auth/actor.js';
import { importCollections } from '../server/catalogue/import.js';
import * as q from '../server/catalogue/queries.js';
import type { Db } from '../server/db/client.js';
import type { NetworkInput, ProviderInput } from '../schemas/provider.js';
import { ContactInput, NetworkInput as NetworkSchema, ProviderInput as ProviderSchema } from '../schemas/provider.js';
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

export async function seedDatabase(db: Db, opts: { onProgress?: (done: number, total: number) => void } = {}): Promise<SeedSummary> {
  const docs = seedDocuments();
  const networks: NetworkInput[] = [
    EUCANIMAGE_NETWORK,
    ...Object.entries(PROGRAMMES).map(([code, name]) => ({ id: programmeNetworkId(code), kind: 'programme' as const, name, acronym: code, countries: ['US'], status: 'Active' as const })),
  ];
  for (const n of networks) {
    const doc = NetworkSchema.parse(n);
    if (!(await q.getNetworkRow(db, doc.id))) await q.insertNetwork(db, { id: doc.id, kind: doc.kind, name: doc.name, doc });
  }
  const providers: ProviderInput[] = [IDC_PROVIDER_DOC, ...docs.eucanimageProviders];
  for (const p of providers) {
    const doc = ProviderSchema.parse(p);
    if (!(await q.getProviderRow(db, doc.id))) await q.insertProvider(db, { id: doc.id, name: doc.name, doc });
  }
  const contact = ContactInput.parse(IDC_CONTACT);
  await q.upsertContact(db, { id: contact.id, providerId: contact.providerId, doc: contact });
  for (const u of DEMO_USERS) {
    await ensureUser(db, u);
    for (const p of u.providerIds) await addMember(db, p, u.id, u.memberRole ?? 'data_manager');
  }
  const all = [...docs.idc, ...docs.eucanimage];
  const admin = DEMO_USERS.find((u) => u.isAdmin)!;
  const report = await importCollections(
    { db, actor: userActor({ id: admin.id, name: admin.name, isAdmin: true }) },
    all,
    { publish: true, dryRun: false, onProgress: opts.onProgress },
  );
  return {
    collections: report.created + report.updated + report.unchanged,
    rejected: report.rejected,
    providers: providers.length,
    networks: networks.length,
    users: DEMO_USERS.length,
  };
}
