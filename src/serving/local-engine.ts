import type { Recommendations, Recommender } from '../recommender/types.ts';

export interface PopularRequest {
  /** 1..500, default 25. */
  readonly numResults?: number;
  /** A category value (Items' categorical column) to restrict to. */
  readonly category?: string;
}

/** What the serving path needs from the local model (LocalRecommender): the contract plus popular items. */
export interface LocalEngine extends Recommender {
  getPopular(request: PopularRequest): Promise<Recommendations>;
}
