/**
 * From a stored collection to what a harvester sees: its OAI identifier, its datestamp, whether it is
 * deleted, and its sets. Pure; the set rules here and the SQL in queries.ts (`setCondition`) agree.
 */
import { Id } from '../../schemas/common.js';
import { cancerSiteGroup } from '../../schemas/vocab/cancer-sites.js';
import { modalityByCode } from '../../schemas/vocab/modalities.js';
import { setSegment, type SetKind } from './protocol.js';
import type { HeaderRow } from './queries.js';

export interface Repository {
  /** Public origin, no trailing slash (PUBLIC_URL, or the request's origin when it is not set). */
  origin: string;
  /** Domain used in `oai:<domain>:<id>`. */
  repositoryId: string;
  name: string;
  adminEmail: string;
}

export const baseUrl = (r: Repository) => `${r.origin}/oai`;
export const oaiIdentifier = (r: Repository, id: string) => `oai:${r.repositoryId}:${id}`;

/** The collection id of `oai:<domain>:<id>`, or null when it is not one of ours. */
export function collectionIdOf(r: Repository, identifier: string): string | null {
  const prefix = `oai:${r.repositoryId}:`;
  if (!identifier.startsWith(prefix)) return null;
  const id = identifier.slice(prefix.length);
  return Id.safeParse(id).success ? id : null;
}

export const landingPage = (r: Repository, id: string) => `${r.origin}/collections/${encodeURIComponent(id)}`;
export const datasetUrl = (r: Repository, id: string) => `${r.origin}/api/v1/catalog/datasets/${encodeURIComponent(id)}`;

/** Live = published and not private; every other harvestable record is a deleted record. */
export const isDeleted = (h: Pick<HeaderRow, 'publicationState' | 'visibility'>) =>
  h.publicationState !== 'published' || h.visibility === 'private';

/** Header datestamp at seconds granularity (floor of the stored microseconds). */
export const headerDatestamp = (ds: string) => `${ds.slice(0, 19)}Z`;

/**
 * Minimal setSpecs of a record. A collection that turned private keeps only its provider set: its
 * current (private) content must not leak through set membership.
 */
export function setSpecsOf(h: HeaderRow): string[] {
  const specs = [spec('provider', h.providerId)];
  if (h.visibility === 'private') return specs;
  for (const n of h.networkIds ?? []) specs.push(spec('network', n));
  for (const m of h.modalities ?? []) if (m.system === 'DCM' && m.code) specs.push(spec('modality', m.code));
  for (const s of h.cancerSiteGroups ?? []) specs.push(spec('cancer-site', s));
  return [...new Set(specs)];
}

export const spec = (kind: SetKind, value: string) => `${kind}:${setSegment(value)}`;

export const SET_ROOT_NAMES: Record<SetKind, string> = {
  provider: 'Collections by provider',
  network: 'Collections by network or project',
  'cancer-site': 'Collections by cancer-site group',
  modality: 'Collections by imaging modality (DICOM)',
};

export function setName(kind: SetKind, value: string, name: string | null): string {
  switch (kind) {
    case 'provider':
      return `Provider: ${name ?? value}`;
    case 'network':
      return `Network: ${name ?? value}`;
    case 'modality':
      return `Modality: ${value}${modalityByCode(value) ? ` (${modalityByCode(value)!.label})` : ''}`;
    case 'cancer-site':
      return `Cancer site: ${cancerSiteGroup(value)?.label ?? value}`;
  }
}
