/** Human labels for facet values (codes and ids): coded ones from the vocabularies, providers and networks from the search answer itself. */
import type { FacetName, SearchResponse } from '$schemas/search';
import { vocabulary } from '$schemas/vocab/index';

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

export function facetLabels(result: Pick<SearchResponse, 'facets' | 'labels'>, selected: Partial<Record<FacetName, string[]>>) {
  const { facets } = result;
  const values = (f: FacetName) => [...new Set([...Object.keys(facets[f] ?? {}), ...(selected[f] ?? [])])];
  const out: Partial<Record<FacetName, Record<string, string>>> = {};
  for (const f of Object.keys(facets) as FacetName[]) {
    const labels: Record<string, string> = {};
    for (const v of values(f)) {
      let label: string | undefined;
      const vocab = VOCAB[f];
      if (vocab) label = termLabels(vocab).get(v.toUpperCase());
      else if (f === 'provider') label = result.labels.provider[v];
      else if (f === 'network') label = result.labels.network[v];
      else if (f === 'country' && /^[A-Z]{2}$/.test(v)) label = regions.of(v);
      else if (f === 'hasSegmentation') label = v === 'true' ? 'With segmentations' : 'Without segmentations';
      if (label && label !== v) labels[v] = label;
    }
    out[f] = labels;
  }
  return out;
}
