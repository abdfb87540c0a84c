/**
 * The recommend Lambda as deployed: Personalize first, the local model (loaded once per container from
 * MODEL_ARTIFACT_URI) when Personalize throttles, fails, times out or has no campaign, popular items last.
 * `GET /popular` and the local model's cold-start answers blend the feature table's live popularity
 * (FEATURE_TABLE_NAME, filled by the stream consumer) into the trained ranking. Environment: `LAMBDA_ENV.recommend` in `src/config/lambda-env.ts`.
 */
import { SERVING_ENV } from '../../src/config/lambda-env.ts';
import { refreshingLivePopularity } from '../../src/features/live-popularity.ts';
import { LocalRecommender } from '../../src/local/index.ts';
import { FallbackRecommender } from '../../src/serving/fallback-recommender.ts';
import { positiveInteger } from '../shared/env.ts';
import {
  breakerFromEnv,
  corsFromEnv,
  featureStoreFromEnv,
  filterDefinitionsFromEnv,
  localEngineFromEnv,
  onlineStoreFromEnv,
  personalizeFromEnv,
  telemetry,
} from '../shared/wiring.ts';
import { createRecommendHandler } from './handler.ts';
import { livePopularRoutes, liveRefreshingEngine } from './live-popular.ts';

const env = process.env;
const { logger, metrics } = telemetry('recommend');
const filters = filterDefinitionsFromEnv(env);
const features = featureStoreFromEnv(env);
const live = refreshingLivePopularity(features, {
  maxAgeMs: positiveInteger(env, SERVING_ENV.livePopularityMaxAgeMs, 5000),
  onError: (error) => logger.warn('live popularity not refreshed; the last ranking stays', { error }),
});
const local = localEngineFromEnv(env, (path) =>
  LocalRecommender.load(path, { filters, livePopularity: { source: live.source } }),
);

export const handler = createRecommendHandler({
  recommender: new FallbackRecommender({
    primary: personalizeFromEnv(env),
    local: liveRefreshingEngine(local, live),
    breaker: breakerFromEnv(env),
    onlineStore: onlineStoreFromEnv(env),
    filters,
    logger,
    metrics,
  }),
  popular: livePopularRoutes(local, live),
  features,
  logger,
  metrics,
  cors: corsFromEnv(env),
});
