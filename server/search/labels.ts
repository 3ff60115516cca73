/**
 * Names of provider and network facet values for the search answer, from an in-process copy of
 * both tables (a few hundred rows) instead of a database query per search. The copy is dropped when
 * something may have renamed one: the end of any transaction in this process, an outbox NOTIFY (a
 * rename re-indexes the provider's collections) and, for what neither catches (another process
 * renaming a provider without collections), after `maxAgeMs`.
 */
import type { DbOrTx } from '../db/client.js';
import type { SearchResponse } from '../../schemas/search.js';
import { allFacetNames } from './source.js';

type Names = Awaited<ReturnType<typeof allFacetNames>>;

export class FacetNames {
  private copy?: { names: Promise<Names>; at: number };

  constructor(
    private readonly db: DbOrTx,
    private readonly maxAgeMs = 10_000,
  ) {}

  readonly changed = () => {
    this.copy = undefined;
  };

  /** Names of these providers and networks (unknown ids are left out). */
  async lookup(ids: { provider: string[]; network: string[] }): Promise<SearchResponse['labels']> {
    if (!this.copy || Date.now() - this.copy.at > this.maxAgeMs) {
      const copy = { names: allFacetNames(this.db), at: Date.now() };
      this.copy = copy;
      // A failed read is not kept: the next search tries again.
      copy.names.catch(() => {
        if (this.copy === copy) this.copy = undefined;
      });
    }
    const names = await this.copy.names;
    const pick = (map: Map<string, string>, list: string[]) => {
      const out: Record<string, string> = {};
      for (const id of list) {
        const name = map.get(id);
        if (name !== undefined) out[id] = name;
      }
      return out;
    };
    return { provider: pick(names.provider, ids.provider), network: pick(names.network, ids.network) };
  }
}
