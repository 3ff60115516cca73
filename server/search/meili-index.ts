/**
 * The live index and its bookkeeping: creating an index with our settings, the stored settings
 * version (a small `<index>-meta` index, so it survives app restarts and travels with the data),
 * writes that wait for their Meilisearch task, and which errors mean "search is unavailable".
 */
import {
  type EnqueuedTaskPromise,
  type Meilisearch,
  type SearchForFacetValuesParams,
  type SearchForFacetValuesResponse,
  type SearchParams,
  type SearchResponse,
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
} from 'meilisearch';
import { serviceUnavailable } from '../http/errors.js';
import type { SearchDocument } from './document.js';
import { MeiliHttp, MeiliHttpError, MeiliUnavailable } from './http.js';
import { INDEX_SETTINGS, SETTINGS_VERSION } from './index-settings.js';

export const PRIMARY_KEY = 'key';

export class SearchIndex {
  private readonly http: MeiliHttp;

  constructor(
    readonly client: Meilisearch,
    /** The live index uid (MEILI_INDEX); reindexing builds `<name>_<timestamp>` and swaps it in. */
    readonly name: string,
  ) {
    this.http = new MeiliHttp(client.config.host, client.config.apiKey, 10_000);
  }

  /** Search the live index (the request hot path). */
  search(params: SearchParams & { q: string }): Promise<SearchResponse<Record<string, unknown>>> {
    return this.http.post(`indexes/${encodeURIComponent(this.name)}/search`, params);
  }

  /** Several queries on the live index in one request (not federated: one answer per query, in order). */
  multiSearch(queries: (SearchParams & { q: string })[]): Promise<{ results: SearchResponse<Record<string, unknown>>[] }> {
    return this.http.post('multi-search', { queries: queries.map((q) => ({ indexUid: this.name, ...q })) });
  }

  facetSearch(params: SearchForFacetValuesParams): Promise<SearchForFacetValuesResponse> {
    return this.http.post(`indexes/${encodeURIComponent(this.name)}/facet-search`, params);
  }

  close() {
    this.http.close();
  }

  get metaName() {
    return `${this.name}-meta`;
  }

  index(uid = this.name) {
    return this.client.index<SearchDocument>(uid);
  }

  async exists(uid = this.name): Promise<boolean> {
    try {
      await this.client.getRawIndex(uid);
      return true;
    } catch (e) {
      if (apiCode(e) === 'index_not_found') return false;
      throw e;
    }
  }

  async createWithSettings(uid: string): Promise<void> {
    // meilisearch-js waits on createIndex with its 5 s default, not the client's wait options; a
    // Meilisearch that has just started (npm start creates the index right away) can take longer.
    const timeout = this.client.config.defaultWaitOptions?.timeout;
    await waitOk(this.client.createIndex(uid, { primaryKey: PRIMARY_KEY }), `create index ${uid}`, timeout);
    await waitOk(this.index(uid).updateSettings(INDEX_SETTINGS), `settings of ${uid}`);
  }

  async storedVersion(): Promise<number | undefined> {
    try {
      const doc = await this.client.index(this.metaName).getDocument(this.name);
      return typeof doc.settingsVersion === 'number' ? doc.settingsVersion : undefined;
    } catch (e) {
      const code = apiCode(e);
      if (code === 'index_not_found' || code === 'document_not_found') return undefined;
      throw e;
    }
  }

  async setStoredVersion(version = SETTINGS_VERSION): Promise<void> {
    const doc = { id: this.name, settingsVersion: version, updatedAt: new Date().toISOString() };
    await waitOk(this.client.index(this.metaName).addDocuments([doc], { primaryKey: 'id' }), 'store settings version');
  }

  /**
   * Make sure the live index exists. Returns what the caller must do: nothing, or a full reindex
   * (index just created while the database may hold collections, or settings version changed).
   */
  async ensureLive(): Promise<{ created: boolean; stale: boolean }> {
    if (!(await this.exists())) {
      await this.createWithSettings(this.name);
      return { created: true, stale: true };
    }
    return { created: false, stale: (await this.storedVersion()) !== SETTINGS_VERSION };
  }

  async upsert(docs: SearchDocument[], uid = this.name): Promise<void> {
    if (docs.length) await waitOk(this.index(uid).addDocuments(docs, { primaryKey: PRIMARY_KEY }), 'add documents');
  }

  async remove(keys: string[], uid = this.name): Promise<void> {
    if (keys.length) await waitOk(this.index(uid).deleteDocuments(keys), 'delete documents');
  }

  /** Other `<name>_<timestamp>` indexes, left by reindexes that were interrupted or replaced. */
  async buildIndexes(): Promise<string[]> {
    const re = new RegExp(`^${this.name.replace(/[-]/g, '\\-')}_\\d+$`);
    const { results } = await this.client.getRawIndexes({ limit: 1000 });
    return results.map((r) => r.uid).filter((uid) => re.test(uid));
  }
}

/** Meilisearch processed the task and refused it (bad document, settings…): retrying will not help. */
export class TaskFailed extends Error {
  override name = 'TaskFailed';
}

/** Wait for a task and fail loudly if Meilisearch did not apply it. */
export async function waitOk(p: EnqueuedTaskPromise, what: string, timeout?: number): Promise<void> {
  const task = await p.waitTask(timeout !== undefined ? { timeout } : undefined);
  if (task.status !== 'succeeded') {
    throw new TaskFailed(`Meilisearch task ${task.uid} (${what}) ${task.status}: ${task.error?.message ?? 'no reason given'}`);
  }
}

/** Meilisearch is up and said no: a failed task or a 4xx answer. */
export function isRejection(e: unknown): boolean {
  return e instanceof TaskFailed || (apiCode(e) !== undefined && !isUnavailable(e));
}

export function apiCode(e: unknown): string | undefined {
  if (e instanceof MeiliHttpError) return e.code;
  return e instanceof MeilisearchApiError ? e.cause?.code : undefined;
}

/** Connection refused, timeouts, 5xx, or the index not there (yet): a 503, not a 500. */
export function isUnavailable(e: unknown): boolean {
  if (
    e instanceof MeiliUnavailable ||
    e instanceof MeilisearchRequestError ||
    e instanceof MeilisearchRequestTimeOutError ||
    e instanceof MeilisearchTaskTimeOutError
  )
    return true;
  if (e instanceof MeiliHttpError) return e.status >= 500 || e.code === 'index_not_found';
  if (e instanceof MeilisearchApiError) return e.response.status >= 500 || apiCode(e) === 'index_not_found';
  return false;
}

/** Run a Meilisearch call for a request: unavailability becomes 503 search_unavailable. */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isUnavailable(e)) throw serviceUnavailable('search_unavailable', 'Search is temporarily unavailable; try again shortly.');
    throw e;
  }
}
