/**
 * Maps the real IDC collection records (seed/data) to our collection model. Raw strings go in as
 * they are: the same normalisation as every import maps them to codes or keeps them as free text.
 */
import type { CollectionInput } from '../schemas/collection.js';
import { IDC_CONTACT, IDC_PROVIDER, PROGRAMMES, XNAT_DEMO, programmeNetworkId } from './demo.js';

export interface IdcRecord {
  collection_id: string;
  cancer_type: string;
  location: string;
  species: string;
  subject_count: number | string;
  date_updated: string;
  doi: string;
  image_types: string;
  supporting_data: string;
  description: string;
}

export interface EtlRecord {
  collection_id: string;
  title?: string;
  idc_only?: boolean;
  Status?: string;
  program?: string;
  license_url?: string;
  license_short_name?: string;
  license_long_name?: string;
  source_doi?: string;
}

export interface TciaRecord {
  collection: string;
  doi: string | null;
}

/** Split a comma-joined source field, re-joining qualifiers such as "…, Not Otherwise Specified". */
export function splitList(raw: string): string[] {
  const parts = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (const p of parts) {
    if (out.length && /^(not otherwise specified|nos)$/i.test(p)) out[out.length - 1] += `, ${p}`;
    else out.push(p);
  }
  return [...new Set(out)];
}

const SPDX: Record<string, string> = {
  'CC BY 4.0': 'CC-BY-4.0',
  'CC BY 3.0': 'CC-BY-3.0',
  'CC BY-NC 4.0': 'CC-BY-NC-4.0',
  'CC BY-NC 3.0': 'CC-BY-NC-3.0',
};

export function mapIdcRecord(r: IdcRecord, etl: EtlRecord | undefined, tciaTitleByDoi: Map<string, string>): CollectionInput {
  const dois = r.doi.split(/\s+/).filter(Boolean);
  const acronym = r.collection_id.toUpperCase().replace(/_/g, '-');
  // The etl_flow title names only the part IDC hosts itself (e.g. the converted slides), so it is the
  // collection's title only when IDC hosts all of it; otherwise TCIA's title (matched by DOI) is.
  const title = dois.map((d) => tciaTitleByDoi.get(d.toLowerCase())).find(Boolean) ?? (etl?.idc_only ? etl.title : undefined) ?? acronym;
  const programme = etl?.program?.toUpperCase() ?? r.collection_id.split('_')[0]!.toUpperCase();
  const modalities = splitList(r.image_types);
  const hasSeg = modalities.some((m) => /^(SEG|RTSTRUCT)$/i.test(m));
  const hasAnn = modalities.some((m) => /^(ANN|SR)$/i.test(m));
  const supporting = splitList(r.supporting_data);
  const cancerTypes = splitList(r.cancer_type);
  return {
    id: `${IDC_PROVIDER}:collection:${r.collection_id}`,
    providerId: IDC_PROVIDER,
    title: title.length > 3 ? title : acronym,
    acronym,
    description: r.description?.trim() || `Imaging collection ${acronym} hosted by the NCI Imaging Data Commons.`,
    keywords: [...new Set([...cancerTypes, ...splitList(r.location)])].slice(0, 20),
    landingPage: `https://portal.imaging.datacommons.cancer.gov/explore/filters/?collection_id=${encodeURIComponent(r.collection_id)}`,
    pid: etl?.source_doi ? `https://doi.org/${etl.source_doi}` : dois[0] ? `https://doi.org/${dois[0]}` : undefined,
    otherIdentifiers: [
      {
        scheme: 'idc',
        value: r.collection_id,
        url: `https://portal.imaging.datacommons.cancer.gov/explore/filters/?collection_id=${encodeURIComponent(r.collection_id)}`,
      },
      ...dois.map((d) => ({ scheme: 'doi', value: d, url: `https://doi.org/${d}` })),
    ],
    ...(etl?.Status ? { status: etl.Status } : {}),
    contacts: [{ contactId: IDC_CONTACT.id, role: 'contact' as const }],
    networkIds: PROGRAMMES[programme] ? [programmeNetworkId(programme)] : [],
    collectionTypes: ['IMAGE'],
    dataCategories: ['IMAGING_DATA', ...(supporting.some((s) => /clinical/i.test(s)) ? ['MEDICAL_RECORDS'] : [])],
    imageDatasetTypes: ['original', ...(hasSeg ? ['segmentation'] : []), ...(hasAnn ? ['annotated'] : [])],
    species: r.species ? [r.species] : [],
    conditions: cancerTypes,
    modalities,
    bodyParts: splitList(r.location),
    subjectsCount: Number(r.subject_count),
    countsAsOf: r.date_updated,
    fileFormats: ['DICOM'],
    supportingData: supporting,
    accessRights: 'PUBLIC',
    accessConditions: ['DOWNLOAD'],
    accessUrl: 'https://portal.imaging.datacommons.cancer.gov/',
    ...(etl?.license_short_name
      ? {
          license: {
            title: etl.license_long_name ?? etl.license_short_name,
            ...(SPDX[etl.license_short_name] ? { spdxId: SPDX[etl.license_short_name] } : {}),
            ...(etl.license_url ? { url: etl.license_url } : {}),
          },
        }
      : {}),
    provenance: 'Metadata from the NCI Imaging Data Commons (captured January 2026), enriched with IDC and TCIA collection metadata.',
    xnat: { instance: XNAT_DEMO, projectId: r.collection_id, visibility: 'public' },
  };
}
