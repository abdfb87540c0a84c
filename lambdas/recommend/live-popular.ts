import type { RefreshingLivePopularity } from '../../src/features/live-popularity.ts';
import type { LocalEngine } from '../../src/serving/local-engine.ts';

/**
 * `GET /popular`, `GET /users` and the histories from the local engine, with live popularity brought up to
 * date first: the engine (given `live.source` when it was loaded) blends the feature table's ranking into the
 * trained one, so a burst of events on an item lifts it within one refresh period (LIVE_POPULARITY_MAX_AGE_MS).
 */
export function livePopularRoutes(
  engine: () => Promise<LocalEngine>,
  live: RefreshingLivePopularity,
): Pick<LocalEngine, 'getPopular' | 'listUsers' | 'getUserHistory'> {
  return {
    getPopular: async (request) => {
      const [local] = await Promise.all([engine(), live.refresh()]);
      return local.getPopular(request);
    },
    listUsers: async (request) => (await engine()).listUsers(request),
    getUserHistory: async (request) => (await engine()).getUserHistory(request),
  };
}

/**
 * The engine for the fallback chain: its cold-start answers blend live popularity too, from the ranking
 * already held; a stale one is refreshed in the background (a recommendation never waits on the table).
 */
export function liveRefreshingEngine(
  engine: () => Promise<LocalEngine>,
  live: RefreshingLivePopularity,
): () => Promise<LocalEngine> {
  return () => {
    void live.refresh();
    return engine();
  };
}
