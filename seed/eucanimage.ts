/** Maps the real EuCanImage catalogue rows (seed/data) to our model; one provider per use case. */
import type { CollectionInput } from '../schemas/collection.js';
import type { ProviderInput } from '../schemas/provider.js';
import { EUCANIMAGE_NETWORK, EUCANIMAGE_PROVIDERS, XNAT_DEMO } from './demo.js';

export interface EuCanImageRecord {
  biobank_id: string;
  biobank_name: string;
  biobank_url?: string;
  biobank_description?: string;
  collection_id: string;
  collection_name: string;
  collection_description?: string;
  body_parts: string[];
  imaging_modalities: string[];
  subjects: number | null;
  collection_url?: string;
}

/**
 * The source has no cancer type; the use-case names state it. Taken from those names verbatim
 * (and, for WORC, from the collection names), then normalised like any other input.
 */
function conditionsOf(r: EuCanImageRecord): string[] {
  const name = `${r.biobank_name} ${r.collection_name}`.toLowerCase();
  const description = `${r.biobank_description ?? ''}`.toLowerCase();
  if (name.includes('worc')) {
    if (name.includes('colorectal liver metastases')) return ['Colorectal liver metastases'];
    if (name.includes('lung metastases')) return ['Lung metastases'];
    if (name.includes('liposarcoma')) return ['Liposarcoma'];
    if (name.includes('fibromatosis')) return ['Desmoid-type fibromatosis', 'Soft-tissue Sarcoma'];
    if (name.includes('gastrointestinal stromal')) return ['Gastrointestinal stromal tumour'];
    if (name.includes('primary liver tumor')) return ['Primary liver tumour'];
  }
  if (name.includes('glioma')) return ['Glioma'];
  if (name.includes('hepatocellular carcinoma')) return ['Hepatocellular carcinoma'];
  if (name.includes('liver metastases')) return ['Liver metastases'];
  if (name.includes('rectal cancer')) return ['Rectal cancer'];
  if (name.includes('breast cancer') || name.includes('pcr') || name.includes('nst')) return ['Breast cancer'];
  if (name.includes('liver cancer') || description.includes('liver cancer')) return ['Liver cancer'];
  return [];
}

export function euCanImageProviders(rows: EuCanImageRecord[]): ProviderInput[] {
  const seen = new Map<string, ProviderInput>();
  for (const r of rows) {
    const p = EUCANIMAGE_PROVIDERS[r.biobank_id];
    if (!p || seen.has(p.id)) continue;
    seen.set(p.id, {
      id: p.id,
      name: r.biobank_name,
      ...(p.acronym ? { acronym: p.acronym } : {}),
      description: r.biobank_description?.trim() || r.biobank_name,
      ...(r.biobank_url ? { url: r.biobank_url } : {}),
      networkIds: [EUCANIMAGE_NETWORK.id],
    });
  }
  return [...seen.values()];
}

export function mapEuCanImageRecord(r: EuCanImageRecord): CollectionInput | undefined {
  const provider = EUCANIMAGE_PROVIDERS[r.biobank_id];
  if (!provider) return undefined;
  const projectId = `ECI_${r.collection_id.slice(0, 40)}`;
  const isPilot = provider.id === 'eucanimage-pilot';
  return {
    id: `${provider.id}:collection:${r.collection_id.toLowerCase()}`,
    providerId: provider.id,
    title: r.collection_name,
    description: r.collection_description?.trim() || r.biobank_description?.trim() || r.collection_name,
    keywords: ['EuCanImage'],
    ...(r.collection_url ? { landingPage: r.collection_url } : {}),
    otherIdentifiers: [{ scheme: 'eucanimage-catalogue', value: r.collection_id, ...(r.collection_url ? { url: r.collection_url } : {}) }],
    networkIds: [EUCANIMAGE_NETWORK.id],
    collectionTypes: ['IMAGE'],
    dataCategories: ['IMAGING_DATA'],
    imageDatasetTypes: ['original', ...(r.imaging_modalities.some((m) => /rtstruct|seg/i.test(m)) ? ['segmentation'] : [])],
    species: ['Human'],
    conditions: conditionsOf(r),
    modalities: r.imaging_modalities,
    bodyParts: r.body_parts,
    ...(r.subjects !== null && r.subjects !== undefined ? { subjectsCount: r.subjects } : {}),
    accessRights: 'RESTRICTED',
    accessConditions: ['DOWNLOAD'],
    accessDescription: 'Access is granted per request by the data owners of the EuCanImage use case.',
    provenance: 'Metadata from the EuCanImage imaging catalogue.',
    xnat: { instance: XNAT_DEMO, projectId, visibility: isPilot ? 'private' : 'protected' },
  };
}
