import type { Recommendations, Recommender } from '../recommender/types.ts';

export type {
  HistoryEntry,
  HistoryRequest,
  UserHistoryList,
  UserList,
  UsersRequest,
} from '../local/recommender/user-listing.ts';

import type {
  HistoryRequest,
  UserHistoryList,
  UserList,
  UsersRequest,
} from '../local/recommender/user-listing.ts';

export interface PopularRequest {
  /** 1..500, default 25. */
  readonly numResults?: number;
  /** A category value (Items' categorical column) to restrict to. */
  readonly category?: string;
}

/**
 * What the serving path needs from the local model (LocalRecommender): the contract plus popular items, and
 * the users and histories it knows (Personalize has no read API for either).
 */
export interface LocalEngine extends Recommender {
  getPopular(request: PopularRequest): Promise<Recommendations>;
  listUsers(request: UsersRequest): Promise<UserList>;
  getUserHistory(request: HistoryRequest): Promise<UserHistoryList>;
}
