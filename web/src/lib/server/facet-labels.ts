/** Human labels for facet values (codes and ids), from the vocabularies and the provider/network lists. */
import type { FacetName } from '$schemas/search';
import type { Network, Provider } from '$schemas/provider';
import { vocabulary } from '$schemas/vocab/index';
import { getJson, type Fetch } from '$lib/api';

const VOCAB: Partial<Record<FacetName, string>> = {
  modality: 'modality',
  bodyPart: 'bodyPart',
  cancerSite: 'cancerSiteGroup',
  icd10: 'icd10',
  sex: 'sex',
  accessRights: 'accessRights',
  imageDatasetType: 'imageDatasetType',
  duo: 'duo',
  license: 'licence',
  status: 'status',
  species: 'species',
  manufacturer: 'manufacturer',
  fileFormat: 'fileFormat',
};

const cache = new Map<string, Map<string, string>>();
function termLabels(id: string): Map<string, string> {
  let m = cache.get(id);
  if (!m) {
    m = new Map((vocabulary(id)?.terms ?? []).map((t) => [t.code.toUpperCase(), t.label] as const));
    cache.set(id, m);
  }
  return m;
}

const regions = new Intl.DisplayNames(['en'], { type: 'region' });

export async function facetLabels(fetch: Fetch, facets: Partial<Record<FacetName, Record<string, number>>>, selected: Partial<Record<FacetName, string[]>>) {
  const values = (f: FacetName) => [...new Set([...Object.keys(facets[f] ?? {}), ...(selected[f] ?? [])])];
  const needProviders = values('provider').length > 0;
  const needNetworks = values('network').length > 0;
  const [providers, networks] = await Promise.all([
    needProviders ? getJson<{ items: Provider[] }>(fetch, '/api/v1/providers').catch(() => ({ items: [] })) : { items: [] },
    needNetworks ? getJson<{ items: Network[] }>(fetch, '/api/v1/networks').catch(() => ({ items: [] })) : { items: [] },
  ]);
  const out: Partial<Record<FacetName, Record<string, string>>> = {};
  for (const f of Object.keys(facets) as FacetName[]) {
    const labels: Record<string, string> = {};
    for (const v of values(f)) {
      let label: string | undefined;
      const vocab = VOCAB[f];
      if (vocab) label = termLabels(vocab).get(v.toUpperCase());
      else if (f === 'provider') label = providers.items.find((p) => p.id === v)?.name;
      else if (f === 'network') label = networks.items.find((n) => n.id === v)?.name;
      else if (f === 'country' && /^[A-Z]{2}$/.test(v)) label = regions.of(v);
      else if (f === 'hasSegmentation') label = v === 'true' ? 'With segmentations' : 'Without segmentations';
      if (label && label !== v) labels[v] = label;
    }
    out[f] = labels;
  }
  return out;
}
