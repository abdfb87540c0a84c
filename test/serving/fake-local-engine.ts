import { NotFittedError } from '../../src/errors.ts';
import type {
  GetPersonalizedRankingRequest,
  GetRecommendationsRequest,
  GetSimilarItemsRequest,
  PutEventsRequest,
  Recommendations,
} from '../../src/recommender/types.ts';
import type {
  HistoryRequest,
  LocalEngine,
  PopularRequest,
  UsersRequest,
} from '../../src/serving/local-engine.ts';

/**
 * A local engine with fixed answers that records what it was asked, for tests of the serving path's wiring
 * (which engine answered, what history it was given). `broken` makes its personalised answers fail.
 */
export class FakeLocalEngine implements LocalEngine {
  readonly events: PutEventsRequest[] = [];
  readonly asked: string[] = [];
  broken = false;

  constructor(private readonly popular: readonly string[] = ['p1', 'p2', 'p3', 'p4']) {}

  private answer(operation: string, itemIds: readonly string[]): Recommendations {
    this.asked.push(operation);
    if (this.broken) throw new NotFittedError();
    return {
      items: itemIds.map((itemId, i) => ({ itemId, score: 1 - i / 10 })),
      recommendationId: 'RID-local',
      source: 'local',
    };
  }

  async getRecommendations(request: GetRecommendationsRequest) {
    return this.answer('getRecommendations', [`for-${request.userId}`]);
  }

  async getSimilarItems(request: GetSimilarItemsRequest) {
    return this.answer('getSimilarItems', [`like-${request.itemId}`]);
  }

  async getPersonalizedRanking(request: GetPersonalizedRankingRequest) {
    return this.answer('getPersonalizedRanking', [...request.inputList].reverse());
  }

  async getPopular(request: PopularRequest): Promise<Recommendations> {
    this.asked.push('getPopular');
    const items = this.popular
      .filter((id) => request.category === undefined || id.startsWith(request.category))
      .slice(0, request.numResults ?? 25)
      .map((itemId, i) => ({ itemId, score: 100 - i }));
    return { items, recommendationId: 'RID-popular', source: 'popularity' };
  }

  async listUsers(request: UsersRequest) {
    this.asked.push('listUsers');
    const ids = ['u1', 'u2', 'v1'].filter((id) => id.startsWith(request.prefix ?? ''));
    return { userIds: ids.slice(0, request.numResults ?? 25) };
  }

  async getUserHistory(request: HistoryRequest) {
    this.asked.push('getUserHistory');
    return { items: [{ itemId: `seen-by-${request.userId}`, eventType: 'click', timestamp: 1700000000 }] };
  }

  async putEvents(request: PutEventsRequest) {
    this.events.push(request);
  }

  async putItems() {}

  async putUsers() {}
}
