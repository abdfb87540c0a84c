import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  AccessDeniedError,
  InvalidInputError,
  isTransient,
  ResourceNotFoundError,
  ThrottledError,
  UnavailableError,
} from '../errors.ts';
import { placeholdersByName } from '../local/filters/placeholders.ts';
import { PersonalizeResourceNotFoundError, PersonalizeTimeoutError } from '../personalize/errors.ts';
import { assertFilterValuesUsed } from '../recommender/filter-values-rule.ts';
import { LIMITS } from '../recommender/limits.ts';
import {
  validateGetPersonalizedRanking,
  validateGetRecommendations,
  validateGetSimilarItems,
} from '../recommender/request-validation.ts';
import type {
  GetPersonalizedRankingRequest,
  GetRecommendationsRequest,
  GetSimilarItemsRequest,
  PutEventsRequest,
  PutItemsRequest,
  PutUsersRequest,
  Recommendations,
  Recommender,
} from '../recommender/types.ts';
import { CircuitBreaker, CircuitOpenError } from './circuit-breaker.ts';
import type { LocalEngine } from './local-engine.ts';
import { type OnlineStore, toInteractionEvents } from './online-store.ts';
import { popularBesides, popularForUser, rankByPopularity } from './popularity-fallback.ts';

export type FallbackReason =
  | 'throttled'
  | 'timeout'
  | 'unavailable'
  | 'circuit_open'
  | 'campaign_not_found'
  | 'local_failed';

export interface FallbackRecommenderOptions {
  /** Amazon Personalize; absent where it is not deployed (the local server answers from the local model). */
  readonly primary?: Recommender;
  /** The local model, loaded once and shared (see `refreshingShared`); called only when needed. */
  readonly local: () => Promise<LocalEngine>;
  /** @default - a breaker with CircuitBreaker's defaults, counting the failures that fall through */
  readonly breaker?: CircuitBreaker;
  /** Users' recent events, replayed into the local model before it answers for them. */
  readonly onlineStore?: OnlineStore;
  /**
   * Recent events read from the online store per answer.
   * @default 50
   */
  readonly recentEvents?: number;
  /**
   * The filters' expressions by name (FILTER_EXPRESSIONS), so `filterValues` the named filter does not use are
   * refused before Personalize is asked, as the local model refuses them.
   * @default - none (Personalize alone judges the values of its filters)
   */
  readonly filters?: readonly { readonly name: string; readonly expression: string }[];
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * Failures of Personalize after which another engine should answer: not the caller's fault. Access denied is
 * the function's role, a deployment fault the `Fallback` metric (reason `unavailable`) makes visible.
 */
export function fallsThrough(error: unknown): boolean {
  if (isTransient(error) || error instanceof AccessDeniedError) return true;
  return error instanceof PersonalizeResourceNotFoundError && error.resource === 'campaign';
}

function reasonOf(error: unknown): FallbackReason {
  if (error instanceof CircuitOpenError) return 'circuit_open';
  if (error instanceof PersonalizeTimeoutError) return 'timeout';
  if (error instanceof ThrottledError) return 'throttled';
  if (error instanceof PersonalizeResourceNotFoundError) return 'campaign_not_found';
  return 'unavailable';
}

/** Local failures that are the caller's, answered as they are rather than with popular items. */
const isCallersFault = (error: unknown) =>
  error instanceof InvalidInputError || error instanceof ResourceNotFoundError;

/**
 * Personalize → local model → popularity. Each answer's `source` names the engine that produced it. Bad input
 * fails at once; throttling, outages, timeouts and a missing campaign fall through to the local model, which
 * first gets the user's recent events from the online store. A circuit breaker stops calling Personalize
 * while it keeps failing. Every fallback is logged and counted (metric `Fallback`, dimension `reason`).
 * Writes go to Personalize when it is configured, else to the local model.
 */
export class FallbackRecommender implements Recommender {
  private readonly primary: Recommender | undefined;
  private readonly local: () => Promise<LocalEngine>;
  private readonly breaker: CircuitBreaker;
  private readonly onlineStore: OnlineStore | undefined;
  private readonly recentEvents: number;
  private readonly placeholdersOf: (filter: string) => ReadonlySet<string> | undefined;
  private readonly logger: Logger;
  private readonly metrics: Metrics;

  constructor(options: FallbackRecommenderOptions) {
    this.primary = options.primary;
    this.local = options.local;
    this.breaker = options.breaker ?? new CircuitBreaker({ isFailure: fallsThrough });
    this.onlineStore = options.onlineStore;
    this.recentEvents = options.recentEvents ?? 50;
    this.placeholdersOf = placeholdersByName(options.filters ?? []);
    this.logger = options.logger;
    this.metrics = options.metrics;
  }

  async getRecommendations(request: GetRecommendationsRequest): Promise<Recommendations> {
    const valid = this.checkFilterValues(validateGetRecommendations(request));
    return this.answer('getRecommendations', valid.userId, {
      primary: (r) => r.getRecommendations(valid),
      local: (engine) => engine.getRecommendations(valid),
      popularity:
        valid.filter === undefined ? (engine) => popularForUser(engine, valid.numResults) : undefined,
    });
  }

  async getSimilarItems(request: GetSimilarItemsRequest): Promise<Recommendations> {
    const valid = this.checkFilterValues(validateGetSimilarItems(request));
    return this.answer('getSimilarItems', valid.userId, {
      primary: (r) => r.getSimilarItems(valid),
      local: (engine) => engine.getSimilarItems(valid),
      popularity:
        valid.filter === undefined
          ? (engine) => popularBesides(engine, valid.itemId, valid.numResults)
          : undefined,
    });
  }

  async getPersonalizedRanking(request: GetPersonalizedRankingRequest): Promise<Recommendations> {
    const valid = this.checkFilterValues(validateGetPersonalizedRanking(request));
    return this.answer('getPersonalizedRanking', valid.userId, {
      primary: (r) => r.getPersonalizedRanking(valid),
      local: (engine) => engine.getPersonalizedRanking(valid),
      popularity:
        valid.filter === undefined ? (engine) => rankByPopularity(engine, valid.inputList) : undefined,
    });
  }

  /** Values for no placeholder of a filter whose expression is known are bad input, whichever engine answers. */
  private checkFilterValues<T extends { filter?: string; filterValues?: Record<string, string> }>(
    valid: T,
  ): T {
    if (valid.filter === undefined) return valid;
    const placeholders = this.placeholdersOf(valid.filter);
    if (placeholders !== undefined) assertFilterValuesUsed(placeholders, valid.filterValues);
    return valid;
  }

  async putEvents(request: PutEventsRequest): Promise<void> {
    await (this.primary ?? (await this.loadLocal())).putEvents(request);
  }

  async putItems(request: PutItemsRequest): Promise<void> {
    await (this.primary ?? (await this.loadLocal())).putItems(request);
  }

  async putUsers(request: PutUsersRequest): Promise<void> {
    await (this.primary ?? (await this.loadLocal())).putUsers(request);
  }

  private async answer(
    operation: string,
    userId: string | undefined,
    tiers: {
      primary: (recommender: Recommender) => Promise<Recommendations>;
      local: (engine: LocalEngine) => Promise<Recommendations>;
      popularity: ((engine: LocalEngine) => Promise<Recommendations>) | undefined;
    },
  ): Promise<Recommendations> {
    const { primary } = this;
    if (primary) {
      try {
        return await this.breaker.run(() => tiers.primary(primary));
      } catch (error) {
        if (!fallsThrough(error)) throw error;
        this.noteFallback(operation, 'local', reasonOf(error), error);
      }
    }
    const engine = await this.loadLocal();
    try {
      if (userId !== undefined) await this.replayRecentEvents(engine, userId);
      return await tiers.local(engine);
    } catch (error) {
      if (isCallersFault(error) || tiers.popularity === undefined) throw error;
      this.noteFallback(operation, 'popularity', 'local_failed', error);
      return tiers.popularity(engine);
    }
  }

  private async loadLocal(): Promise<LocalEngine> {
    try {
      return await this.local();
    } catch (error) {
      // Whatever the loader threw (a missing file, a corrupt artifact), callers see the engine as unavailable.
      if (error instanceof UnavailableError) throw error;
      throw new UnavailableError('the local model could not be loaded', { cause: error });
    }
  }

  /** The local model learns the user's latest events (it stores an event id once, so replays are harmless). */
  private async replayRecentEvents(engine: LocalEngine, userId: string): Promise<void> {
    if (!this.onlineStore) return;
    let recent: Awaited<ReturnType<OnlineStore['recent']>>;
    try {
      recent = await this.onlineStore.recent(userId, this.recentEvents);
    } catch (error) {
      // Stale history beats no answer: the model still knows the user's training history.
      this.logger.warn('online store read failed; answering without recent events', { userId, error });
      return;
    }
    const events = toInteractionEvents(recent);
    for (let start = 0; start < events.length; start += LIMITS.eventList.max) {
      await engine.putEvents({
        sessionId: userId,
        userId,
        eventList: events.slice(start, start + LIMITS.eventList.max),
      });
    }
  }

  private noteFallback(
    operation: string,
    to: 'local' | 'popularity',
    reason: FallbackReason,
    error: unknown,
  ) {
    this.logger.warn('fallback', { operation, to, reason, error });
    const metric = this.metrics.singleMetric();
    metric.addDimension('reason', reason);
    metric.addMetric('Fallback', MetricUnit.Count, 1);
  }
}
