/**
 * Synthetic catalogue for the search benchmark, following the value distributions of the real IDC
 * collections (seed/data/idc_collections.json): each synthetic collection takes its imaging content
 * (modalities, body parts, conditions, species, subject count) from one real collection, so the
 * correlations stay realistic, and its description from another. Rows go in with multi-row INSERTs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { CollectionInput, type CollectionFields } from '../../schemas/collection.js';
import { deriveFacets } from '../../server/catalogue/derive.js';
import type { Db } from '../../server/db/client.js';
import { collection, network, provider } from '../../server/db/schema.js';

interface IdcRecord {
  collection_id: string;
  cancer_type_list: string[];
  location_list: string[];
  species: string;
  subject_count: number | null;
  image_types_list: string[];
  supporting_data_list: string[];
  description: string;
}

export function loadIdc(): IdcRecord[] {
  const candidates = [new URL('../../seed/data/idc_collections.json', import.meta.url), '/work/shared/data/idc_collections.json'];
  for (const c of candidates) if (existsSync(c)) return JSON.parse(readFileSync(c, 'utf8')) as IdcRecord[];
  throw new Error('idc_collections.json not found (seed/data or /work/shared/data)');
}

/** Deterministic PRNG (mulberry32) so two runs generate the same catalogue. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  /** Zipf-like: low indexes much more often (few big providers, a long tail). */
  const skewed = <T>(xs: readonly T[]): T => xs[Math.min(xs.length - 1, Math.floor(xs.length * next() ** 2.5))]!;
  const weighted = <T>(pairs: readonly (readonly [T, number])[]): T => {
    let r = next() * pairs.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of pairs) if ((r -= w) < 0) return v;
    return pairs[pairs.length - 1]![0];
  };
  return { next, int, pick, skewed, weighted };
}

interface Template {
  fields: CollectionFields;
  description: string;
  subjects: number;
  words: string[];
}

/** The real collections, normalised once through the same zod schema the API uses. */
function templates(idc: IdcRecord[]): Template[] {
  const out: Template[] = [];
  for (const r of idc) {
    const parsed = CollectionInput.safeParse({
      providerId: 'x',
      title: r.collection_id,
      description: r.description || r.collection_id,
      modalities: [...new Set(r.image_types_list)],
      bodyParts: r.location_list,
      conditions: r.cancer_type_list,
      species: r.species ? [r.species] : [],
      supportingData: r.supporting_data_list,
      xnat: { instance: 'https://xnat.example.org', projectId: 'X', visibility: 'public' },
    });
    if (!parsed.success) continue;
    const words = [...r.cancer_type_list, ...r.location_list]
      .join(' ')
      .split(/[^A-Za-z]+/)
      .filter((w) => w.length > 3);
    out.push({ fields: parsed.data, description: r.description || '', subjects: r.subject_count ?? 50, words });
  }
  return out;
}

const COUNTRIES = ['US', 'NL', 'DE', 'FR', 'ES', 'IT', 'GB', 'SE', 'PT', 'BE', 'AT', 'PL', 'GR', 'CZ', 'FI', 'NO', 'DK', 'IE', 'CH', 'HU'];
const MANUFACTURERS = ['SIEMENS', 'GE', 'PHILIPS', 'CANON', 'FUJIFILM', 'HOLOGIC', 'AGFA', 'CARESTREAM', 'HITACHI', 'UIH'];
const cod = (system: string, code: string, label = code) => ({ system, code, label });

export interface GeneratedCatalogue {
  providers: number;
  networks: number;
  collections: number;
  published: number;
}

export async function generateCatalogue(db: Db, n: number, onProgress?: (done: number) => void): Promise<GeneratedCatalogue> {
  const r = rng(20260119);
  const pool = templates(loadIdc());
  const nProviders = Math.max(5, Math.round(n / 500));
  const providerIds = Array.from({ length: nProviders }, (_, i) => `bench-p${String(i).padStart(4, '0')}`);
  await db.insert(provider).values(
    providerIds.map((id, i) => ({
      id,
      name: `${r.pick(['University', 'Hospital', 'Institute', 'Centre'])} ${i} ${r.pick(COUNTRIES)}`,
      doc: { id, name: id, description: 'Benchmark provider', country: 'NL', networkIds: [] },
    })),
  );
  const networkIds = Array.from({ length: 20 }, (_, i) => `bench-net${i}`);
  await db.insert(network).values(
    networkIds.map((id, i) => ({
      id,
      kind: 'project',
      name: `Network ${i}`,
      doc: { id, kind: 'project', name: `Network ${i}`, countries: [], status: 'Active' },
    })),
  );

  let published = 0;
  const chunk = 1000;
  for (let start = 0; start < n; start += chunk) {
    const rows: (typeof collection.$inferInsert)[] = [];
    for (let i = start; i < Math.min(n, start + chunk); i++) {
      const t = r.pick(pool);
      const d = r.pick(pool);
      const providerId = r.skewed(providerIds);
      const subjects = Math.max(1, Math.round(t.subjects * Math.exp((r.next() - 0.5) * 1.5)));
      const sites = t.fields.bodyParts.map((b) => b.label).join(' ');
      const base = t.words.length ? `${r.pick(t.words)} ${r.pick(t.fields.modalities)?.label ?? 'imaging'}` : sites || 'imaging';
      const title = `${base} ${r.pick(['cohort', 'archive', 'study', 'collection', 'trial', 'registry'])} ${i}`;
      const hasSeg = t.fields.modalities.some((m) => m.code === 'SEG' || m.code === 'RTSTRUCT');
      const cancers = t.fields.conditions.map((c) => (c.text ?? c.label).toLowerCase()).join(' ');
      const fields: CollectionFields = {
        ...t.fields,
        providerId,
        title,
        description: d.description.slice(0, 4000) || title,
        keywords: t.words.slice(0, 5),
        sex: /prostat/.test(cancers)
          ? [cod('sex', 'male', 'Male')]
          : /breast|ovar|cervi|uter/.test(cancers)
            ? [cod('sex', 'female', 'Female')]
            : [cod('sex', 'male', 'Male'), cod('sex', 'female', 'Female')],
        countries: [r.skewed(COUNTRIES), ...(r.next() < 0.2 ? [r.pick(COUNTRIES)] : [])].filter((c, k, a) => a.indexOf(c) === k),
        networkIds: r.next() < 0.4 ? [r.skewed(networkIds)] : [],
        subjectsCount: subjects,
        studiesCount: subjects * (1 + r.int(3)),
        age: r.next() < 0.7 ? { low: 18 + r.int(30), high: 60 + r.int(31), unit: 'years' } : undefined,
        accessRights: r.weighted([
          [cod('eu-access-right', 'PUBLIC', 'Public'), 70],
          [cod('eu-access-right', 'RESTRICTED', 'Restricted'), 25],
          [cod('eu-access-right', 'NON_PUBLIC', 'Non-public'), 5],
        ] as const),
        status: r.weighted([
          [cod('miabis-status', 'Active', 'Active'), 80],
          [cod('miabis-status', 'Ended', 'Ended'), 20],
        ] as const),
        manufacturers: [cod('manufacturer', r.skewed(MANUFACTURERS))],
        fileFormats: [cod('file-format', 'DICOM', 'DICOM'), ...(r.next() < 0.2 ? [cod('file-format', 'NIfTI', 'NIfTI')] : [])],
        imageDatasetTypes: hasSeg
          ? [cod('image-dataset-type', 'original', 'Original'), cod('image-dataset-type', 'segmentation', 'Segmentation')]
          : [cod('image-dataset-type', 'original', 'Original')],
        dataUse: [
          {
            term: cod(
              'DUO',
              r.weighted([
                ['DUO:0000042', 60],
                ['DUO:0000006', 25],
                ['DUO:0000007', 15],
              ] as const),
            ),
          },
        ],
        license: r.weighted([
          [{ spdxId: 'CC-BY-4.0', title: 'CC BY 4.0' }, 80],
          [{ spdxId: 'CC-BY-NC-4.0', title: 'CC BY-NC 4.0' }, 20],
        ] as const),
        xnat: {
          instance: 'https://xnat.example.org',
          projectId: `B${i}`,
          visibility: r.weighted([
            ['public', 75],
            ['protected', 15],
            ['private', 10],
          ] as const),
        },
      };
      const state = r.weighted([
        ['published', 95],
        ['draft', 4],
        ['withdrawn', 1],
      ] as const);
      if (state === 'published') published++;
      rows.push({
        id: `${providerId}:collection:b${i}`,
        providerId,
        xnatInstance: fields.xnat.instance,
        xnatProjectId: fields.xnat.projectId,
        visibility: fields.xnat.visibility,
        publicationState: state,
        title,
        doc: fields,
        derived: deriveFacets(fields),
        modifiedAt: new Date(Date.UTC(2020, 0, 1) + r.int(6 * 365) * 86_400_000),
      });
    }
    await db.insert(collection).values(rows);
    onProgress?.(Math.min(n, start + chunk));
  }
  return { providers: nProviders, networks: networkIds.length, collections: n, published };
}
