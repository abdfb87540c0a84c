import { readFile } from 'node:fs/promises';
import { fileReadError } from '../../core/file-errors.ts';
import { probability, type Softmax, softmaxOf } from '../../core/softmax.ts';
import { topK } from '../../core/top-k.ts';
import { InvalidInputError } from '../../errors.ts';
import { LIMITS } from '../../recommender/limits.ts';
import { newRecommendationId } from '../../recommender/recommendation-id.ts';
import {
  validateGetPersonalizedRanking,
  validateGetRecommendations,
  validateGetSimilarItems,
  validatePutEvents,
  validatePutItems,
  validatePutUsers,
} from '../../recommender/request-validation.ts';
import type {
  EngineSource,
  FilterSelection,
  GetPersonalizedRankingRequest,
  GetRecommendationsRequest,
  GetSimilarItemsRequest,
  PredictedItem,
  PropertyValue,
  PutEventsRequest,
  PutItemsRequest,
  PutUsersRequest,
  Recommendations,
  Recommender,
} from '../../recommender/types.ts';
import type { AlgorithmRegistry } from '../algorithms/plugin.ts';
import { AttributeStore } from '../filters/attribute-store.ts';
import { loadModel } from '../model/load.ts';
import type { ExclusionMask, HybridModel, ScoreQuery, TopK } from '../model/types.ts';
import { UserRecentSets } from '../no-repeat/user-recent-sets.ts';
import { toColumnName } from './column-name.ts';
import { type FilterDefinition, FilterRegistry } from './filter-registry.ts';
import { LiveHistories } from './live-histories.ts';
import { addLiveActivity, blendLivePopularity, type LivePopularityOptions } from './live-popularity.ts';
import { type PopularRequest, validatePopular } from './popular-request.ts';
import { type UserHistory, userHistory } from './user-history.ts';
import {
  type HistoryEntry,
  type HistoryRequest,
  type UserHistoryList,
  type UserList,
  type UsersRequest,
  validateHistory,
  validateUsers,
} from './user-listing.ts';

export interface NoRepeatOptions {
  /** Suppress items already recommended to the same user recently (getRecommendations only). */
  readonly enabled: boolean;
  /** Recommended items remembered per user: at least this many, at most twice (two generations). @default 100 */
  readonly windowSize?: number;
  /** Users remembered at once (LRU). @default 10_000 */
  readonly maxUsers?: number;
}

export interface LocalRecommenderOptions {
  /** Filters available by name (or ARN) in requests; more can be added with `createFilter`. @default [] */
  readonly filters?: readonly FilterDefinition[];
  /** @default - off */
  readonly noRepeat?: NoRepeatOptions;
  /** The `source` label of every answer. @default 'local' */
  readonly source?: EngineSource;
  /** Items column that `getPopular({ category })` matches. @default - CATEGORY if present, else the first categorical column */
  readonly categoryColumn?: string;
  /** Real-time events kept per user or session. @default 200 */
  readonly maxEventsPerUser?: number;
  /** Users plus anonymous sessions whose real-time events are kept (LRU). @default 100_000 */
  readonly maxTrackedUsers?: number;
  /** Live activity blended into `getPopular`, so it ranks by what is popular now. @default - trained popularity only */
  readonly livePopularity?: LivePopularityOptions;
}

export interface LoadLocalOptions extends LocalRecommenderOptions {
  /** The algorithms the model may name: the registry it was trained with. @default BUILTIN_ALGORITHMS */
  readonly algorithms?: AlgorithmRegistry;
}

type Values = Readonly<Record<string, PropertyValue>>;

/**
 * The local hybrid model behind the Recommender contract, with Personalize's behaviour (reference §9):
 * filters, real-time events that change the next answer, PutItems/PutUsers, popular items for unknown users
 * and unknown items, and an optional no-repeat mode. Build it with `fromModel`, `load` or
 * `trainLocalRecommender` (train-local.ts, kept apart so that serving code does not bundle training).
 *
 * @example
 * const recommender = LocalRecommender.fromModel(model, { filters: [{ name: 'unseen', expression:
 *   'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")' }] });
 * await recommender.getRecommendations({ userId: 'u1', filter: 'unseen' });
 */
export class LocalRecommender implements Recommender {
  private readonly items: AttributeStore;
  private readonly users: AttributeStore;
  private readonly filters: FilterRegistry;
  private readonly live: LiveHistories;
  private readonly recentlyShown: UserRecentSets | undefined;
  private readonly source: EngineSource;
  private readonly categoryColumn: string | undefined;
  private livePopularity: LivePopularityOptions | undefined;
  private coldScores = new Float32Array(0);

  private constructor(
    private readonly model: HybridModel,
    options: LocalRecommenderOptions,
  ) {
    checkLimits(options);
    this.items = AttributeStore.from(model.items, model.itemAttributes);
    this.users = AttributeStore.from(model.users, model.userAttributes);
    this.filters = new FilterRegistry({ items: this.items, users: this.users });
    for (const definition of options.filters ?? []) this.filters.create(definition);
    this.live = new LiveHistories({
      maxEventsPerUser: options.maxEventsPerUser,
      maxTracked: options.maxTrackedUsers,
    });
    this.recentlyShown = options.noRepeat?.enabled
      ? new UserRecentSets({ windowSize: options.noRepeat.windowSize, maxUsers: options.noRepeat.maxUsers })
      : undefined;
    this.source = options.source ?? 'local';
    this.categoryColumn = this.pickCategoryColumn(options.categoryColumn);
    this.livePopularity = options.livePopularity;
  }

  /** A recommender over a trained or loaded model; throws InvalidInputError for a bad filter or option. */
  static fromModel(model: HybridModel, options: LocalRecommenderOptions = {}): LocalRecommender {
    return new LocalRecommender(model, options);
  }

  /**
   * Serves a model saved with `HybridModel.serialize()`; ResourceNotFoundError when the file does not exist,
   * InvalidInputError when it is not a model.
   */
  static async load(artifactPath: string, options: LoadLocalOptions = {}): Promise<LocalRecommender> {
    const bytes = await readFile(artifactPath).catch((error: unknown) => {
      throw fileReadError(error, artifactPath, 'model file');
    });
    return new LocalRecommender(loadModel(bytes, options.algorithms), options);
  }

  /** The served model, e.g. to `serialize()` it for `load`. */
  get hybridModel(): HybridModel {
    return this.model;
  }

  /** Adds a filter (CreateFilter); throws InvalidInputError naming the position of an unsupported construct. */
  createFilter(name: string, expression: string): void {
    this.filters.create({ name, expression });
  }

  /** Removes a filter (DeleteFilter); requests naming it then get ResourceNotFoundError. */
  deleteFilter(name: string): void {
    this.filters.remove(name);
  }

  /** Names of the filters requests may use. */
  get filterNames(): readonly string[] {
    return this.filters.names;
  }

  async getRecommendations(request: GetRecommendationsRequest): Promise<Recommendations> {
    const valid = validateGetRecommendations(request);
    const k = valid.numResults ?? LIMITS.numResults.default;
    const columns = this.metadataColumns(valid.metadataColumns);
    const user = this.historyOf(valid.userId);
    const shown = this.recentlyShown?.of(valid.userId);
    // Without a filter or recently shown items nothing is excluded: no catalogue-sized mask per request.
    const mask =
      valid.filter === undefined && shown === undefined
        ? undefined
        : this.exclusionMask(valid, user, valid.userId);
    if (mask !== undefined && shown !== undefined)
      for (let i = 0; i < mask.length; i++) if (shown.has(i)) mask[i] = 1;
    // A user with no history gets the model's cold-start answer: popular and trending items for the context,
    // with live activity blended in as GET /popular blends it.
    const cold = user.userIndex === undefined && user.history.items.length === 0;
    const live = cold ? this.liveItems(mask) : [];
    const query = { userIndex: user.userIndex, history: user.history, context: valid.context };
    const top =
      live.length === 0
        ? this.model.recommendProbabilities(query, k, mask)
        : this.coldWithLiveActivity(query, k, mask, live);
    this.recentlyShown?.remember(valid.userId, top.items);
    return this.answer(top, columns);
  }

  /**
   * A newcomer's answer with live activity in it, blended over the whole catalogue as `GET /popular` blends
   * its list (`addLiveActivity`), scored like every answer by the softmax of the blend.
   */
  private coldWithLiveActivity(
    query: ScoreQuery,
    k: number,
    mask: ExclusionMask | undefined,
    live: readonly { item: number; score: number }[],
  ): TopK {
    // Reused across newcomers (answers are built synchronously); resized when PutItems grew the catalogue.
    const n = this.model.items.ids.length;
    if (this.coldScores.length !== n) this.coldScores = new Float32Array(n);
    const scores = this.coldScores;
    this.model.scoreAll(query, scores);
    addLiveActivity(scores, live, this.livePopularity?.weight ?? 1);
    return probabilities(topK(scores, k, mask), softmaxOf(scores));
  }

  /** The live source's most active items the model knows and `mask` leaves in, best first. */
  private liveItems(mask?: ExclusionMask): { item: number; score: number }[] {
    if (!this.livePopularity) return [];
    const { source, depth = 200 } = this.livePopularity;
    return source.topItems(depth).flatMap(({ itemId, score }) => {
      const item = this.model.items.indexOf.get(itemId);
      return item === undefined || mask?.[item] === 1 ? [] : [{ item, score }];
    });
  }

  /**
   * Items similar to `itemId`, never the item itself, without scores (Personalize's SIMS answers carry none).
   * An itemId the catalogue does not know gets popular items, as Personalize answers (not an error).
   */
  async getSimilarItems(request: GetSimilarItemsRequest): Promise<Recommendations> {
    const valid = validateGetSimilarItems(request);
    const k = valid.numResults ?? LIMITS.numResults.default;
    const columns = this.metadataColumns(valid.metadataColumns);
    const user = this.historyOf(valid.userId);
    const mask = this.exclusionMask(valid, user, valid.userId);
    const item = this.model.items.indexOf.get(valid.itemId);
    if (item !== undefined) mask[item] = 1;
    const top =
      item === undefined ? this.model.popular(k, { exclude: mask }) : this.model.similarItems(item, k, mask);
    return this.answer({ items: top.items }, columns);
  }

  /**
   * `inputList` ordered by score for the user, duplicates removed and filtered items dropped; ids the catalogue
   * does not know come last, in input order, without score. Scores are Personalize-Ranking's: the softmax of
   * the blend over the ranked known items.
   */
  async getPersonalizedRanking(request: GetPersonalizedRankingRequest): Promise<Recommendations> {
    const valid = validateGetPersonalizedRanking(request);
    const columns = this.metadataColumns(valid.metadataColumns);
    const user = this.historyOf(valid.userId);
    const mask = this.exclusionMask(valid, user, valid.userId);
    const scores = new Float32Array(this.model.items.ids.length);
    this.model.scoreAll({ userIndex: user.userIndex, history: user.history, context: valid.context }, scores);
    const known: number[] = [];
    const unknown: string[] = [];
    for (const itemId of new Set(valid.inputList)) {
      const item = this.model.items.indexOf.get(itemId);
      if (item === undefined) unknown.push(itemId);
      else if (mask[item] !== 1) known.push(item);
    }
    known.sort((a, b) => scores[b]! - scores[a]!);
    const logits = Float32Array.from(known, (item) => scores[item]!);
    const softmax = softmaxOf(logits);
    return {
      items: [
        ...known.map((item, i) => this.predicted(item, probability(logits[i]!, softmax), columns)),
        ...unknown.map((itemId) => ({ itemId })),
      ],
      recommendationId: newRecommendationId(),
      source: this.source,
    };
  }

  /** Most popular items, optionally of one category (`GET /popular?category=`). */
  async getPopular(request: PopularRequest = {}): Promise<Recommendations> {
    const valid = validatePopular(request);
    if (valid.category !== undefined && this.categoryColumn === undefined) {
      throw new InvalidInputError([
        {
          field: 'category',
          message: 'the Items dataset has no categorical column to match a category against',
        },
      ]);
    }
    const attribute =
      valid.category === undefined ? undefined : { name: this.categoryColumn!, value: valid.category };
    const k = valid.numResults ?? LIMITS.numResults.default;
    if (!this.livePopularity) return this.answer(this.model.popular(k, { attribute }), []);
    const { source, weight = 1, depth = 200 } = this.livePopularity;
    const live = source.topItems(depth).flatMap(({ itemId, score }) => {
      const item = this.model.items.indexOf.get(itemId);
      const row = this.items.rowOf(itemId);
      if (item === undefined || row === undefined) return [];
      if (attribute && !this.items.categorical(attribute.name, row).includes(attribute.value)) return [];
      return [{ item, score }];
    });
    const trained = this.model.popular(k + live.length, { attribute });
    return this.answer(blendLivePopularity(trained, live, k, weight), []);
  }

  /**
   * Starts (or, with undefined, stops) blending live activity into `getPopular`; for wiring where the live
   * source is built after the engine (it may need `categoryOf`).
   */
  setLivePopularity(options: LivePopularityOptions | undefined): void {
    checkLimits({ ...(options && { livePopularity: options }) });
    this.livePopularity = options;
  }

  /** The category (value of the category column) of an item, e.g. for the feature store's per-category counts. */
  categoryOf(itemId: string): string | undefined {
    const row = this.items.rowOf(itemId);
    if (row === undefined || this.categoryColumn === undefined) return undefined;
    return this.items.categorical(this.categoryColumn, row)[0];
  }

  /** The model's users whose id starts with `prefix`, in the model's order (`GET /users`). */
  async listUsers(request: UsersRequest = {}): Promise<UserList> {
    const valid = validateUsers(request);
    const limit = valid.numResults ?? LIMITS.numResults.default;
    const prefix = valid.prefix ?? '';
    const userIds: string[] = [];
    for (const id of this.model.users.ids) {
      if (userIds.length === limit) break;
      if (id.startsWith(prefix)) userIds.push(id);
    }
    return { userIds };
  }

  /**
   * What the engine scores a user with, newest first (`GET /users/{userId}/history`): training interactions
   * and the real-time events of items it knows. A user it has never seen has an empty history, not a 404,
   * as recommendations answer such a user from popularity.
   */
  async getUserHistory(request: HistoryRequest): Promise<UserHistoryList> {
    const valid = validateHistory(request);
    const columns = this.metadataColumns(valid.metadataColumns);
    const { history } = this.historyOf(valid.userId);
    const limit = valid.numResults ?? LIMITS.numResults.default;
    const items: HistoryEntry[] = [];
    for (let i = history.items.length - 1; i >= 0 && items.length < limit; i--) {
      const { itemId, metadata } = this.predicted(history.items[i]!, undefined, columns);
      items.push({
        itemId,
        eventType: this.model.eventTypes[history.eventTypes?.[i] ?? 0] ?? '',
        timestamp: history.timestamps[i]!,
        ...(metadata !== undefined && { metadata }),
      });
    }
    return { items };
  }

  /** Real-time events: the user's (or session's) next answers take them into account at once. */
  async putEvents(request: PutEventsRequest): Promise<void> {
    const valid = validatePutEvents(request);
    this.live.record(
      valid.sessionId,
      valid.userId,
      valid.eventList.map((event) => ({
        eventId: event.eventId,
        itemId: event.itemId,
        eventType: event.eventType,
        timestamp: event.sentAt.getTime() / 1000,
      })),
    );
  }

  /** Adds or replaces items; a new item is reachable at once through content similarity and ranking. */
  async putItems(request: PutItemsRequest): Promise<void> {
    const valid = validatePutItems(request);
    const records = valid.items.map((record, i) => ({
      itemId: record.itemId,
      values: checkedColumns(this.items, record.properties, `items.${i}.properties`),
    }));
    for (const { itemId, values } of records) {
      this.model.addItem(itemId, modelAttributes(values));
      this.items.upsert(itemId, values);
    }
  }

  /** Adds or replaces users; their attributes drive `IF CurrentUser.…` filter conditions. */
  async putUsers(request: PutUsersRequest): Promise<void> {
    const valid = validatePutUsers(request);
    const records = valid.users.map((record, i) => ({
      userId: record.userId,
      values: checkedColumns(this.users, record.properties, `users.${i}.properties`),
    }));
    for (const { userId, values } of records) this.users.upsert(userId, values);
  }

  private historyOf(userId: string | undefined): UserHistory {
    return userHistory(this.model, userId, userId === undefined ? [] : this.live.eventsOf(userId));
  }

  private exclusionMask(
    selection: FilterSelection,
    user: UserHistory,
    userId: string | undefined,
  ): ExclusionMask {
    const itemCount = this.model.items.ids.length;
    if (selection.filter === undefined) return new Uint8Array(itemCount);
    const filter = this.filters.resolve(selection.filter);
    return filter.exclusionMask({
      itemCount,
      filterValues: selection.filterValues,
      interactions: () => user.recent(),
      userRow: userId === undefined ? undefined : this.users.rowOf(userId),
    });
  }

  /** Request column names resolved to Items columns (ignoring case); InvalidInputError for unknown ones. */
  private metadataColumns(requested: readonly string[] | undefined): { key: string; column: string }[] {
    return (requested ?? []).map((key, i) => {
      const column = this.items.columnIgnoringCase(key);
      if (column === undefined) {
        const known = this.items.columns.map((c) => c.name).join(', ') || 'none';
        throw new InvalidInputError([
          {
            field: `metadataColumns.${i}`,
            message: `"${key}" is not a column of the Items dataset (columns: ${known})`,
          },
        ]);
      }
      return { key, column: column.name };
    });
  }

  private predicted(
    item: number,
    score: number | undefined,
    columns: readonly { key: string; column: string }[],
  ): PredictedItem {
    const itemId = this.model.items.ids[item]!;
    if (columns.length === 0) return score === undefined ? { itemId } : { itemId, score };
    const metadata: Record<string, string> = {};
    for (const { key, column } of columns) {
      const value = this.items.text(column, item);
      if (value !== undefined) metadata[key] = value;
    }
    return { itemId, ...(score !== undefined && { score }), metadata };
  }

  private answer(
    top: { readonly items: Int32Array; readonly scores?: Float32Array },
    columns: readonly { key: string; column: string }[],
  ): Recommendations {
    return {
      items: Array.from(top.items, (item, i) => this.predicted(item, top.scores?.[i], columns)),
      recommendationId: newRecommendationId(),
      source: this.source,
    };
  }

  private pickCategoryColumn(requested: string | undefined): string | undefined {
    if (requested !== undefined) {
      if (this.items.column(requested)?.kind !== 'categorical') {
        throw new InvalidInputError([
          {
            field: 'categoryColumn',
            message: `"${requested}" is not a categorical column of the Items dataset`,
          },
        ]);
      }
      return requested;
    }
    const categorical = this.items.columns.filter((c) => c.kind === 'categorical');
    return (categorical.find((c) => c.name === 'CATEGORY') ?? categorical[0])?.name;
  }
}

/** Sizes in the options must be positive integers; InvalidInputError names the option. */
function checkLimits(options: LocalRecommenderOptions): void {
  const sizes = {
    'noRepeat.windowSize': options.noRepeat?.windowSize,
    'noRepeat.maxUsers': options.noRepeat?.maxUsers,
    maxEventsPerUser: options.maxEventsPerUser,
    maxTrackedUsers: options.maxTrackedUsers,
    'livePopularity.depth': options.livePopularity?.depth,
  };
  const issues = Object.entries(sizes)
    .filter(([, value]) => value !== undefined && !(Number.isInteger(value) && value > 0))
    .map(([field, value]) => ({ field, message: `must be a positive integer (got ${value})` }));
  const weight = options.livePopularity?.weight;
  if (weight !== undefined && !(Number.isFinite(weight) && weight >= 0)) {
    issues.push({ field: 'livePopularity.weight', message: `must be a finite number ≥ 0 (got ${weight})` });
  }
  if (issues.length > 0) throw new InvalidInputError(issues);
}

/**
 * PutItems/PutUsers properties keyed by dataset column (camelCase → UPPER_SNAKE), each checked against the
 * store before anything changes; errors name the property as sent (`items.0.properties.color`).
 */
function checkedColumns(store: AttributeStore, properties: Values | undefined, field: string): Values {
  return Object.fromEntries(
    Object.entries(properties ?? {}).map(([key, value]) => {
      const column = toColumnName(key);
      store.check(column, value, `${field}.${key}`);
      return [column, value];
    }),
  );
}

/** The model takes strings and numbers; booleans are stored as Personalize advises, "True"/"False". */
function modelAttributes(values: Values): Record<string, string | number | null> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      typeof value === 'boolean' ? (value ? 'True' : 'False') : value,
    ]),
  );
}

/** `top`'s items with each score mapped to its probability under `softmax`. */
const probabilities = (top: TopK, softmax: Softmax): TopK => ({
  items: top.items,
  scores: top.scores.map((score) => probability(score, softmax)),
});
