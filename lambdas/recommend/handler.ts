import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { InvalidInputError } from '../../src/errors.ts';
import type { Recommendations, Recommender } from '../../src/recommender/types.ts';
import {
  type CorsPolicy,
  parseJsonBody,
  parsePopularQuery,
  parseRankingsBody,
  parseRecommendationsQuery,
  parseSimilarItemsQuery,
  renameRankingFields,
} from '../../src/serving/http/index.ts';
import type { LocalEngine } from '../../src/serving/local-engine.ts';
import { type ApiAnswer, createApiHandler, type ProxyHandler } from '../shared/api-handler.ts';

export interface RecommendDependencies {
  /** Answers recommendations, similar items and rankings (in the cloud: the fallback chain). */
  readonly recommender: Recommender;
  /** Answers `GET /popular` (the local model). */
  readonly popular: Pick<LocalEngine, 'getPopular'>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly cors?: CorsPolicy;
}

const ok = (result: Recommendations): ApiAnswer => ({ status: 200, body: { ...result } });

async function rank(recommender: Recommender, body: string | null): Promise<ApiAnswer> {
  try {
    return ok(await recommender.getPersonalizedRanking(parseRankingsBody(parseJsonBody(body))));
  } catch (error) {
    throw error instanceof InvalidInputError ? renameRankingFields(error) : error;
  }
}

/**
 * The recommend API: `GET /recommendations`, `GET /items/{itemId}/similar`, `POST /rankings`, `GET /popular`.
 * Parses, calls the contract, formats; everything else is the engines' business.
 */
export function createRecommendHandler(deps: RecommendDependencies): ProxyHandler {
  const { recommender, popular } = deps;
  return createApiHandler({
    logger: deps.logger,
    metrics: deps.metrics,
    ...(deps.cors && { cors: deps.cors }),
    routes: [
      {
        path: '/recommendations',
        methods: {
          GET: async ({ query }) =>
            ok(await recommender.getRecommendations(parseRecommendationsQuery(query))),
        },
      },
      {
        path: '/items/{itemId}/similar',
        methods: {
          GET: async ({ params, query }) =>
            ok(await recommender.getSimilarItems(parseSimilarItemsQuery(params.itemId ?? '', query))),
        },
      },
      { path: '/rankings', methods: { POST: ({ body }) => rank(recommender, body) } },
      {
        path: '/popular',
        methods: { GET: async ({ query }) => ok(await popular.getPopular(parsePopularQuery(query))) },
      },
    ],
  });
}
