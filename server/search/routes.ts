/** Search HTTP routes: faceted search, facet-value search, suggestions, admin reindex. */
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import {
  FACETS,
  FacetName,
  FacetSearchQuery,
  FacetSearchResponse,
  RANGES,
  ReindexStatus,
  SearchQuery,
  SearchResponse,
  SuggestQuery,
  SuggestResponse,
} from '../../schemas/search.js';
import { isAdmin } from '../policy/index.js';
import { badRequest, conflict, forbidden, unauthenticated } from '../http/errors.js';
import type { Db } from '../db/client.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import { readQuery } from '../http/validate.js';
import { FACET_ATTRIBUTE } from './index-settings.js';
import { apiCode, guard, type SearchIndex } from './meili-index.js';
import { buildFilter, facetValues, HIGHLIGHT, highlightHtml, planSearch, toSearchResponse } from './query.js';
import type { Reindexer } from './reindex.js';
import { exclusionClause, withClause, type PendingOutbox } from './tightening.js';

export interface SearchRouteDeps {
  index: SearchIndex;
  /** Names of provider and network facet values (the search answer labels them). */
  facetNames: (ids: { provider: string[]; network: string[] }) => Promise<SearchResponse['labels']>;
  reindexer: Reindexer;
  db: Db;
  /** Pending outbox rows, read only when there may be some (tightening.ts). */
  pending: PendingOutbox;
}

/**
 * Unknown parameters are named precisely (`query.filter[colour]`) before zod sees the query,
 * whose own message for unknown keys would not say which.
 */
function readStrict<S extends z.ZodObject>(c: Context, schema: S): z.output<S> {
  const known = new Set(Object.keys(schema.shape));
  const unknown = [...new Set(new URL(c.req.url).searchParams.keys())].filter((k) => !known.has(k));
  if (unknown.length) {
    throw badRequest(
      'Invalid query parameters.',
      unknown.map((k) => ({
        path: `query.${k}`,
        code: 'unrecognized_keys',
        message: k.startsWith('filter[')
          ? `unknown facet; facets are ${FACETS.join(', ')}`
          : k.startsWith('range[')
            ? `unknown range; ranges are ${RANGES.join(', ')}`
            : 'unknown parameter',
      })),
    );
  }
  return readQuery(c, schema);
}

export function searchRoutes(app: Hono<AppEnv>, api: ApiRegistry, deps: SearchRouteDeps) {
  const { index } = deps;
  const T = ['Search'];
  const scopeOf = (c: Context<AppEnv>) => c.get('actor');
  // What just became hidden from this actor and is not yet out of the index (tightening.ts).
  const hiddenNow = async (c: Context<AppEnv>) => exclusionClause(await deps.pending.hiddenKeys(deps.db, scopeOf(c)));

  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/search',
      summary: 'Faceted search over the collections you may see',
      description:
        'Full-text `q`; `filter[<facet>]=value` (repeat: OR within a facet, AND across facets); `range[subjects|studies|age]=min..max` (either end open; age matches collections whose age range overlaps); `sort`; `page`/`hitsPerPage`. `total`, the hits and `facetStats` come from the fully filtered set. Facet counts are disjunctive: a facet with a selection is counted with every other filter but not its own (ticking CT still shows MR with the number of collections it would add); a facet without one is counted over the fully filtered set. All of it after the visibility rule. 503 `search_unavailable` while the search engine is down.',
      tags: T,
      auth: 'optional',
      query: SearchQuery,
      responses: {
        200: { description: 'A page of hits with facet counts', schema: SearchResponse },
        503: { description: 'Search unavailable' },
      },
    },
    async (c) => {
      const query = readStrict(c, SearchQuery);
      const plan = planSearch(scopeOf(c), query);
      const hidden = await hiddenNow(c);
      const { results } = await guard(() => index.multiSearch(plan.queries.map((q) => withClause(q, hidden))));
      const answer = toSearchResponse(results, plan, query);
      // Counted values and selected ones (a selection may count zero), each at most a facet page long.
      const ids = (f: 'provider' | 'network') =>
        [...new Set([...Object.keys(answer.facets[f] ?? {}), ...(query[`filter[${f}]`] ?? [])])].slice(0, 1000);
      const labels = await deps.facetNames({ provider: ids('provider'), network: ids('network') });
      c.header('Cache-Control', 'private, no-store');
      return c.json({ ...answer, labels } satisfies SearchResponse);
    },
  );

  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/search/facets/:facet',
      summary: 'Search the values of one facet (e.g. for a long list like ICD-10)',
      description:
        "`q` matches facet values by prefix; the same `filter[…]`/`range[…]` parameters as search narrow the counted set, except this facet's own `filter[…]` (counts are disjunctive, as in search).",
      tags: T,
      auth: 'optional',
      query: FacetSearchQuery,
      responses: {
        200: { description: 'Matching values with counts', schema: FacetSearchResponse },
        503: { description: 'Search unavailable' },
      },
    },
    async (c) => {
      const facet = FacetName.safeParse(c.req.param('facet'));
      if (!facet.success) {
        throw badRequest('Unknown facet.', [{ path: 'path.facet', message: `facets are ${FACETS.join(', ')}` }]);
      }
      const query = readStrict(c, FacetSearchQuery);
      const filter = buildFilter(scopeOf(c), query, facet.data);
      const facetQuery = facet.data === 'icd10' ? (facetValues('icd10', [query.q])[0] ?? '') : query.q;
      const hidden = await hiddenNow(c);
      const res = await guard(() =>
        index.facetSearch(
          withClause(
            {
              facetName: FACET_ATTRIBUTE[facet.data],
              facetQuery,
              ...(filter.length ? { filter } : {}),
              exhaustiveFacetCount: true,
            },
            hidden,
          ),
        ),
      );
      const values = res.facetHits.map((h) => ({ value: h.value, count: h.count }));
      // Stable tie order, as in search (sortFacetCounts).
      values.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
      return c.json({ facet: facet.data, values });
    },
  );

  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/search/suggest',
      summary: 'Title suggestions while typing',
      tags: T,
      auth: 'optional',
      query: SuggestQuery,
      responses: { 200: { description: 'Suggestions', schema: SuggestResponse }, 503: { description: 'Search unavailable' } },
    },
    async (c) => {
      const query = readStrict(c, SuggestQuery);
      const filter = buildFilter(scopeOf(c), {});
      const hidden = await hiddenNow(c);
      const res = await guard(() =>
        index.search(
          withClause(
            {
              q: query.q,
              limit: query.limit,
              // Every typed word must match ("tcga-b" is not TCGA-PRAD); the last one as a prefix.
              matchingStrategy: 'all',
              attributesToSearchOn: ['title', 'acronym'],
              attributesToRetrieve: ['id', 'title', 'acronym'],
              attributesToHighlight: ['title'],
              highlightPreTag: HIGHLIGHT.pre,
              highlightPostTag: HIGHLIGHT.post,
              ...(filter.length ? { filter } : {}),
              locales: ['eng'],
            },
            hidden,
          ),
        ),
      ).catch((e: unknown) => {
        // An index without documents has no searchable fields yet: nothing to suggest.
        if (apiCode(e) === 'invalid_search_attributes_to_search_on') return { hits: [] };
        throw e;
      });
      return c.json({
        suggestions: res.hits.map((h) => ({
          id: h.id,
          title: h.title,
          ...(h.acronym ? { acronym: h.acronym } : {}),
          highlight: highlightHtml(String((h._formatted as { title?: string } | undefined)?.title ?? h.title)),
        })),
      });
    },
  );

  const requireAdmin = (c: Context<AppEnv>) => {
    const actor = c.get('actor');
    if (actor.kind !== 'user') throw unauthenticated();
    if (!isAdmin(actor)) throw forbidden('Only catalogue admins can rebuild the search index.');
  };

  api.route(
    app,
    {
      method: 'post',
      path: '/api/v1/admin/reindex',
      summary: 'Rebuild the search index from the database (admins)',
      description:
        'Builds a new index in the background and swaps it in atomically; search keeps answering meanwhile. Follow progress at `GET /api/v1/admin/reindex/status`.',
      tags: ['Admin'],
      auth: 'required',
      responses: { 202: { description: 'Started', schema: ReindexStatus }, 409: { description: 'A reindex is already running' } },
    },
    async (c) => {
      requireAdmin(c);
      if (!deps.reindexer.start()) throw conflict('A reindex is already running; follow it at /api/v1/admin/reindex/status.');
      c.header('Location', '/api/v1/admin/reindex/status');
      return c.json(deps.reindexer.status, 202);
    },
  );

  api.route(
    app,
    {
      method: 'get',
      path: '/api/v1/admin/reindex/status',
      summary: 'Progress of the last reindex (admins)',
      tags: ['Admin'],
      auth: 'required',
      responses: { 200: { description: 'Status', schema: ReindexStatus } },
    },
    (c) => {
      requireAdmin(c);
      c.header('Cache-Control', 'no-store');
      return c.json(deps.reindexer.status);
    },
  );
}
