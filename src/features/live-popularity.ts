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

/** A store that ranks items by live popularity, at once (memory) or with a read (DynamoDB). */
export interface LiveItemRanking {
  topItems(k: number): readonly ScoredItem[] | Promise<readonly ScoredItem[]>;
}

export interface RefreshingLivePopularityOptions {
  /**
   * Age after which `refresh` ranks again: a DynamoDB ranking reads every live item, so a container ranks at
   * most once per period however many `GET /popular` it answers. 0 ranks on every refresh.
   * @default 5000
   */
  readonly maxAgeMs?: number;
  /** Items ranked per refresh (the engine's `livePopularity.depth` reads at most as many). @default 200 */
  readonly depth?: number;
  /** Told a failed ranking; the previous one (or none) stays in use, so `GET /popular` still answers. */
  readonly onError?: (error: unknown) => void;
  /** Current time in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

export interface RefreshingLivePopularity {
  /** The engine's live source: the ranking of the last `refresh`. */
  readonly source: LivePopularitySource;
  /** Ranks again when the ranking is older than `maxAgeMs` (one ranking in flight at a time); never throws. */
  refresh(): Promise<void>;
}

/**
 * Live popularity for a store whose ranking is a read (the DynamoDB feature table the stream consumer fills):
 * the engine's source is synchronous, so the caller awaits `refresh()` before asking the engine (the recommend
 * Lambda does before `GET /popular`), and the engine blends the ranking then held.
 */
export function refreshingLivePopularity(
  store: LiveItemRanking,
  options: RefreshingLivePopularityOptions = {},
): RefreshingLivePopularity {
  const maxAgeMs = options.maxAgeMs ?? 5000;
  const depth = options.depth ?? 200;
  const now = options.now ?? Date.now;
  let ranking: readonly ScoredItem[] = [];
  let rankedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  return {
    source: {
      topItems: (k) => (ranking.length > k ? ranking.slice(0, k) : ranking),
    },
    refresh() {
      if (now() - rankedAt < maxAgeMs) return Promise.resolve();
      inFlight ??= (async () => {
        const startedAt = now();
        try {
          ranking = await store.topItems(depth);
          rankedAt = startedAt;
        } catch (error) {
          options.onError?.(error);
        } finally {
          inFlight = undefined;
        }
      })();
      return inFlight;
    },
  };
}
