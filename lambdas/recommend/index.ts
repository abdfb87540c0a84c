/**
 * The recommend Lambda as deployed: Personalize first, the local model (loaded once per container from
 * MODEL_ARTIFACT_URI) when Personalize throttles, fails, times out or has no campaign, popular items last.
 * Environment: `LAMBDA_ENV.recommend` in `src/config/lambda-env.ts`.
 */
import { LocalRecommender } from '../../src/local/index.ts';
import { FallbackRecommender } from '../../src/serving/fallback-recommender.ts';
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

const env = process.env;
const { logger, metrics } = telemetry('recommend');
const filters = filterDefinitionsFromEnv(env);
const local = localEngineFromEnv(env, (path) => LocalRecommender.load(path, { filters }));

export const handler = createRecommendHandler({
  recommender: new FallbackRecommender({
    primary: personalizeFromEnv(env),
    local,
    breaker: breakerFromEnv(env),
    onlineStore: onlineStoreFromEnv(env),
    logger,
    metrics,
  }),
  popular: {
    getPopular: async (request) => (await local()).getPopular(request),
    listUsers: async (request) => (await local()).listUsers(request),
    getUserHistory: async (request) => (await local()).getUserHistory(request),
  },
  features: featureStoreFromEnv(env),
  logger,
  metrics,
  cors: corsFromEnv(env),
});
