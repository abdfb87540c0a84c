/**
 * The Recommender contract: Personalize Runtime and Personalize Events, one method per operation, in
 * TypeScript terms. Every engine (Amazon Personalize, the local hybrid, the fallback chain) implements it,
 * and `test/contract/recommender.contract.ts` holds the cases every implementation must pass.
 */

/** Which engine produced an answer. */
export type EngineSource = 'personalize' | 'local' | 'popularity';

/** Values of a metadata column or an event property, as the datasets hold them. */
export type PropertyValue = string | number | boolean | null;

/** One recommended or ranked item (Personalize's PredictedItem). */
export interface PredictedItem {
  readonly itemId: string;
  /**
   * Relevance score, higher is better. Absent where Personalize omits it: ranking inputs the model does not
   * know, filler popular items, and recipes that do not score.
   */
  readonly score?: number;
  /** Values of the columns asked for in `metadataColumns`, as strings (Personalize returns strings). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The answer of every read operation. */
export interface Recommendations {
  /** Items, best first; ids are unique. */
  readonly items: readonly PredictedItem[];
  /** Opaque id (at most 40 characters) to send back with events for attribution. */
  readonly recommendationId: string;
  readonly source: EngineSource;
}

/** Filter selection shared by every read operation. */
export interface FilterSelection {
  /** A filter's name or ARN; each implementation resolves it from its own configuration. */
  readonly filter?: string;
  /** Placeholder values, e.g. `{ GENRES: '"comedy","drama"' }` (Personalize's encoding). */
  readonly filterValues?: Readonly<Record<string, string>>;
}

/** GetRecommendations on a User-Personalization campaign. */
export interface GetRecommendationsRequest extends FilterSelection {
  readonly userId: string;
  /** 1..500, default 25; at most 50 when `metadataColumns` is set. */
  readonly numResults?: number;
  /** Contextual metadata, e.g. `{ DEVICE: 'mobile' }`. */
  readonly context?: Readonly<Record<string, string>>;
  /** Items dataset columns to return with each item (at most 10). */
  readonly metadataColumns?: readonly string[];
}

/** GetRecommendations on a related-items (SIMS) campaign. */
export interface GetSimilarItemsRequest extends FilterSelection {
  readonly itemId: string;
  /** Needed only when the filter refers to the current user or their interactions. */
  readonly userId?: string;
  readonly numResults?: number;
  readonly context?: Readonly<Record<string, string>>;
  readonly metadataColumns?: readonly string[];
}

/** GetPersonalizedRanking: reorder `inputList` for a user. */
export interface GetPersonalizedRankingRequest extends FilterSelection {
  readonly userId: string;
  /** 1..500 item ids (at most 50 when `metadataColumns` is set). */
  readonly inputList: readonly string[];
  readonly context?: Readonly<Record<string, string>>;
  readonly metadataColumns?: readonly string[];
}

/** One interaction event (Personalize Events' Event). */
export interface InteractionEvent {
  /** Unique id; a repeated id is stored once. Generated when absent. */
  readonly eventId?: string;
  readonly eventType: string;
  readonly eventValue?: number;
  readonly itemId?: string;
  /** Extra interaction columns in camelCase (`{ device: 'mobile' }` ↔ `DEVICE`). */
  readonly properties?: Readonly<Record<string, PropertyValue>>;
  /** When the event happened. */
  readonly sentAt: Date;
  /** The `recommendationId` of the list the user acted on. */
  readonly recommendationId?: string;
  /** Item ids the user was shown (at most 25). */
  readonly impression?: readonly string[];
}

/** PutEvents: events of one session, optionally tied to a known user. */
export interface PutEventsRequest {
  readonly sessionId: string;
  /** Omit for anonymous sessions; sending it later joins the session to the user. */
  readonly userId?: string;
  /** 1..10 events. */
  readonly eventList: readonly InteractionEvent[];
}

/** One Items dataset record for PutItems. Property keys are camelCase column names. */
export interface ItemRecord {
  readonly itemId: string;
  readonly properties?: Readonly<Record<string, PropertyValue>>;
}

/** One Users dataset record for PutUsers. */
export interface UserRecord {
  readonly userId: string;
  readonly properties?: Readonly<Record<string, PropertyValue>>;
}

export interface PutItemsRequest {
  /** 1..10 records; an existing id is replaced (upsert). */
  readonly items: readonly ItemRecord[];
}

export interface PutUsersRequest {
  /** 1..10 records; an existing id is replaced (upsert). */
  readonly users: readonly UserRecord[];
}

/**
 * A recommender with Personalize's runtime and events operations. Implementations validate every request
 * with `src/recommender/validate.ts` and throw only the errors of `src/errors.ts`.
 */
export interface Recommender {
  /** User-Personalization: items for a user (cold users get popular items, not an error). */
  getRecommendations(request: GetRecommendationsRequest): Promise<Recommendations>;
  /** SIMS: items similar to an item. */
  getSimilarItems(request: GetSimilarItemsRequest): Promise<Recommendations>;
  /** Personalized-Ranking: the input list reordered for the user; unknown items last, without score. */
  getPersonalizedRanking(request: GetPersonalizedRankingRequest): Promise<Recommendations>;
  /** Record interactions; they shape the user's (or session's) next answers at once. */
  putEvents(request: PutEventsRequest): Promise<void>;
  /** Add or replace items in the catalogue. */
  putItems(request: PutItemsRequest): Promise<void>;
  /** Add or replace users. */
  putUsers(request: PutUsersRequest): Promise<void>;
}
