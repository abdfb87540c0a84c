import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { InvalidInputError } from '../../src/errors.ts';
import {
  readFeatureBatch,
  readItemFeatures,
  readUserFeatures,
  validateFeatureBatchRequest,
  validateItemFeaturesRequest,
  validateUserFeaturesRequest,
} from '../../src/features/read-api.ts';
import type { FeatureStore } from '../../src/features/types.ts';
import type { Recommendations, Recommender } from '../../src/recommender/types.ts';
import {
  type CorsPolicy,
  parseFeaturesQuery,
  parseHistoryQuery,
  parsePopularQuery,
  parseRankingsBody,
  parseRecommendationsQuery,
  parseSimilarItemsQuery,
  parseUsersQuery,
  renameRankingFields,
} from '../../src/serving/http/index.ts';
import type { LocalEngine } from '../../src/serving/local-engine.ts';
import { type ApiAnswer, type ApiProxyHandler, createApiHandler } from '../shared/api-handler.ts';

export interface RecommendDependencies {
  /** Answers recommendations, similar items and rankings (in the cloud: the fallback chain). */
  readonly recommender: Recommender;
  /** Answers `GET /popular`, `GET /users` and `GET /users/{userId}/history` (the local model). */
  readonly popular: Pick<LocalEngine, 'getPopular' | 'listUsers' | 'getUserHistory'>;
  /** Answers the FeatureRead routes (memory locally, DynamoDB in the cloud). */
  readonly features: Pick<FeatureStore, 'readUser' | 'readItem' | 'readBatch'>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly cors?: CorsPolicy;
}

const ok = (result: Recommendations): ApiAnswer => ({ status: 200, body: { ...result } });
const found = (body: object): ApiAnswer => ({ status: 200, body: { ...body } });

async function rank(recommender: Recommender, body: unknown): Promise<ApiAnswer> {
  try {
    return ok(await recommender.getPersonalizedRanking(parseRankingsBody(body)));
  } catch (error) {
    throw error instanceof InvalidInputError ? renameRankingFields(error) : error;
  }
}

/**
 * The recommend Lambda's routes (src/api/routes.ts): recommendations, similar items, rankings, popular, and
 * the local model's users and histories, and the FeatureRead API over the online feature store.
 * Parses, calls the contract, formats; everything else is the engines' business.
 */
export function createRecommendHandler(deps: RecommendDependencies): ApiProxyHandler {
  const { recommender, popular, features } = deps;
  return createApiHandler({
    lambda: 'recommend',
    logger: deps.logger,
    metrics: deps.metrics,
    ...(deps.cors && { cors: deps.cors }),
    implementations: {
      getRecommendations: async ({ query }) =>
        ok(await recommender.getRecommendations(parseRecommendationsQuery(query))),
      getSimilarItems: async ({ params, query }) =>
        ok(await recommender.getSimilarItems(parseSimilarItemsQuery(params.itemId ?? '', query))),
      getPopular: async ({ query }) => ok(await popular.getPopular(parsePopularQuery(query))),
      rankItems: ({ body }) => rank(recommender, body),
      listUsers: async ({ query }) => ({
        status: 200,
        body: { ...(await popular.listUsers(parseUsersQuery(query))) },
      }),
      getUserHistory: async ({ params, query }) => ({
        status: 200,
        body: { ...(await popular.getUserHistory(parseHistoryQuery(params.userId ?? '', query))) },
      }),
      getUserFeatures: async ({ params, query }) =>
        found(
          await readUserFeatures(
            features,
            validateUserFeaturesRequest({ ...parseFeaturesQuery(query), userId: params.userId }),
          ),
        ),
      getItemFeatures: async ({ params, query }) =>
        found(
          await readItemFeatures(
            features,
            validateItemFeaturesRequest({ ...parseFeaturesQuery(query), itemId: params.itemId }),
          ),
        ),
      readFeatureBatch: async ({ body }) =>
        found(await readFeatureBatch(features, validateFeatureBatchRequest(body))),
    },
  });
}
