import type { LivePopularitySource } from '../local/recommender/live-popularity.ts';
import type { ScoredItem } from './memory-feature-store.ts';

export interface LivePopularityAdapterOptions {
  /**
   * Shortest time between two rankings while events keep arriving: ranking scans every live item, and
   * `GET /popular` may be called far more often than the ranking changes meaningfully. Without new events
   * a ranking is reused for good (decay scales every score alike, so it never reorders them). The default 0
   * keeps the engine's promise that events change the next answer at once; raise it when popular reads
   * and event bursts both run hot (a ranking costs ~3 ms over 5k live items).
   * @default 0
   */
  readonly cacheMs?: number;
  /** Current time in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

/**
 * The engine's live-popularity source over a store that ranks items by decayed popularity (the memory
 * feature store): give it to `LocalRecommender` as `livePopularity: { source }` and `GET /popular` ranks by
 * trained popularity plus the live events, decayed by the store's half-life.
 */
export function livePopularity(
  store: { topItems(k: number): ScoredItem[]; readonly version: number },
  options: LivePopularityAdapterOptions = {},
): LivePopularitySource {
  const cacheMs = options.cacheMs ?? 0;
  const now = options.now ?? Date.now;
  let cached: { at: number; k: number; version: number; items: ScoredItem[] } | undefined;
  return {
    topItems(k) {
      const at = now();
      const stale = cached && cached.version !== store.version && at - cached.at >= cacheMs;
      if (!cached || stale || cached.k < k) {
        cached = { at, k, version: store.version, items: store.topItems(k) };
      }
      return cached.items.length > k ? cached.items.slice(0, k) : cached.items;
    },
  };
}
