/** Home = faceted search. The whole state is in the URL; the first page is rendered here. */
import type { SearchResponse } from '$schemas/search';
import { ApiError, getJson } from '$lib/api';
import { activeCount, apiQuery, parseState } from '$lib/search';
import { facetLabels } from '$lib/server/facet-labels';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
  const state = parseState(url.searchParams);
  // Before any search the page says what the catalogue holds, including the subjects over everything visible.
  const overview = !state.q && activeCount(state) === 0 && state.page === 1;
  try {
    const result = await getJson<SearchResponse>(fetch, `/api/v1/search${apiQuery(state)}${overview ? '&sum=subjects' : ''}`);
    const labels = facetLabels(result, state.filters);
    return { state, result, labels, problem: undefined, overview };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const kind = e.status === 400 || e.status === 422 ? ('invalid' as const) : ('unavailable' as const);
    const detail = e.errors.map((x) => `${x.path.replace(/^query\./, '')}: ${x.message}`).join('; ') || e.detail || e.title;
    return {
      state,
      result: undefined,
      labels: {} as ReturnType<typeof facetLabels>,
      problem: { kind, status: e.status, detail },
      overview: false,
    };
  }
};
