import type { LivePopularitySource } from '../local/recommender/live-popularity.ts';
import type { ScoredItem } from './memory-feature-store.ts';

export interface LivePopularityAdapterOptions {
  /**
   * How long a computed ranking is reused: ranking scans every live item, and `GET /popular` may be called
   * far more often than the ranking changes meaningfully.
   * @default 1000
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
  store: { topItems(k: number): ScoredItem[] },
  options: LivePopularityAdapterOptions = {},
): LivePopularitySource {
  const cacheMs = options.cacheMs ?? 1000;
  const now = options.now ?? Date.now;
  let cached: { at: number; k: number; items: ScoredItem[] } | undefined;
  return {
    topItems(k) {
      const at = now();
      if (!cached || at - cached.at >= cacheMs || cached.k < k) cached = { at, k, items: store.topItems(k) };
      return cached.items.length > k ? cached.items.slice(0, k) : cached.items;
    },
  };
}
