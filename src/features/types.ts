import type { EventLogRecord } from '../event-log/schema.ts';

/**
 * Online features of users and items, computed from the live event stream. Window counts are per event
 * type (`{ click: 3, purchase: 1 }`) or per item category; windows are the last hour, day and week, aligned
 * to whole buckets (see `windows.ts`).
 */
export const USER_FEATURES = [
  /** Item ids of the last N events that have an item, most recent first. */
  'recent_items',
  /** Event types of the last N events, most recent first. */
  'recent_event_types',
  'event_counts_1h',
  'event_counts_24h',
  'event_counts_7d',
  'category_counts_1h',
  'category_counts_24h',
  'category_counts_7d',
  /** The session of the user's latest event. */
  'session_id',
  /** Distinct items of the current session among the last N events, most recent first. */
  'session_items',
  /** Events of the current session. */
  'session_length',
  /** Time of the current session's earliest event, epoch seconds. */
  'session_start',
  /** Time of the user's latest event, epoch seconds. */
  'last_seen',
] as const;

export const ITEM_FEATURES = [
  'event_counts_1h',
  'event_counts_24h',
  'event_counts_7d',
  /** Weighted event count decaying by half every `halfLifeSeconds`, as of now. */
  'popularity',
  /** Time of the item's latest event, epoch seconds. */
  'last_interaction',
] as const;

export type UserFeatureName = (typeof USER_FEATURES)[number];
export type ItemFeatureName = (typeof ITEM_FEATURES)[number];

export type FeatureValue = number | string | null | readonly string[] | Readonly<Record<string, number>>;

/** One entity's features, or NOT_FOUND for an entity without a live event (like Feast's online read). */
export type FeatureRow<Name extends string> =
  | {
      readonly id: string;
      readonly status: 'FOUND';
      readonly features: Readonly<Partial<Record<Name, FeatureValue>>>;
    }
  | { readonly id: string; readonly status: 'NOT_FOUND' };

export interface BatchReadRequest {
  readonly users?: readonly string[];
  readonly items?: readonly string[];
  /** Features per entity type. @default - every feature */
  readonly features?: {
    readonly user?: readonly UserFeatureName[];
    readonly item?: readonly ItemFeatureName[];
  };
}

export interface BatchReadResult {
  /** One row per requested user, in request order. */
  readonly users: readonly FeatureRow<UserFeatureName>[];
  readonly items: readonly FeatureRow<ItemFeatureName>[];
}

export interface ApplyResult {
  /** Events counted now. */
  readonly applied: number;
  /** Events whose id was already applied: skipped, so a redelivered batch never counts twice. */
  readonly duplicates: number;
}

/**
 * The online feature store. `apply` is idempotent per event id; reads see every applied event at once.
 *
 * Anonymous events (no userId) feed item features at once, and their session remembers its newest
 * `recentEvents` of them (until the TTL). The session's next event with a userId (its login, as Personalize
 * is told: the same sessionId, now with the userId) first applies them to that user, oldest first and each
 * once, then forgets them: the user's features then read as if those events had carried the userId. Joins
 * follow arrival order: anonymous events arriving after the login wait for the session's next event with a
 * userId; a session that never logs in changes no user. Item features count every event once, joined or not.
 */
export interface FeatureStore {
  apply(records: readonly EventLogRecord[]): Promise<ApplyResult>;
  /** Which of these event ids were applied (and are still remembered): what a replay must skip. */
  appliedEventIds(eventIds: readonly string[]): Promise<Set<string>>;
  readUser(userId: string, features?: readonly UserFeatureName[]): Promise<FeatureRow<UserFeatureName>>;
  readItem(itemId: string, features?: readonly ItemFeatureName[]): Promise<FeatureRow<ItemFeatureName>>;
  readBatch(request: BatchReadRequest): Promise<BatchReadResult>;
}

/** Settings both implementations share. */
export interface FeatureStoreOptions {
  /**
   * Category of an item (the engine's item attributes know it), for the per-category counts.
   * @default - no category counts
   */
  readonly categoryOf?: (itemId: string) => string | undefined;
  /**
   * Events kept per user for `recent_*` and `session_items`.
   * @default 20
   */
  readonly recentEvents?: number;
  /**
   * Half-life of the item popularity decay, in seconds.
   * @default 86_400 (one day)
   */
  readonly halfLifeSeconds?: number;
  /**
   * Weight of each event type in item popularity (a purchase may count more than a view).
   * @default - 1 for every type
   */
  readonly eventWeights?: Readonly<Record<string, number>>;
  /**
   * An entity without an event for this long reads as NOT_FOUND (DynamoDB's TTL in the cloud).
   * @default 30 days
   */
  readonly ttlSeconds?: number;
  /** Current time in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}
