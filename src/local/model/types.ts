import type { ProgressReporter } from '../../core/progress.ts';
import type { ExclusionMask, TopK } from '../../core/top-k.ts';
import type { ScorerState } from '../algorithms/scorer-state.ts';
import type { AttributeTable, Dataset, IdIndex } from '../data/types.ts';

/**
 * What the trained hybrid model offers to its callers (LocalRecommender, the evaluator, batch mode).
 * Everything is in dense item indices; LocalRecommender maps ids, applies filters and real-time history.
 */

/** A user's (or session's) recent interactions, oldest first, as item indices. */
export interface History {
  readonly items: Int32Array;
  /** Unix epoch seconds, aligned with `items`. */
  readonly timestamps: Float64Array;
  /** Index into the model's event types, aligned with `items`. */
  readonly eventTypes?: Uint8Array;
}

/** A request to score items for one user or session. */
export interface ScoreQuery {
  /** The training-time user index, when the user was in the training data. */
  readonly userIndex?: number;
  /** The full history to condition on (training history plus real-time events). */
  readonly history: History;
  /** Contextual metadata (e.g. DEVICE); cold-start paths may use it. */
  readonly context?: Readonly<Record<string, string>>;
  /** "Now" in epoch seconds, for time decay; defaults to the newest training timestamp. */
  readonly now?: number;
}

export type { ExclusionMask, TopK } from '../../core/top-k.ts';

/** The trained hybrid model. */
export interface HybridModel {
  readonly items: IdIndex;
  readonly users: IdIndex;
  readonly eventTypes: readonly string[];
  readonly itemAttributes: AttributeTable;
  readonly userAttributes: AttributeTable;
  /**
   * The user's training interactions, oldest first. The model keeps them so a loaded model can serve known
   * users: callers append real-time events and pass the result as `ScoreQuery.history`.
   */
  userHistory(userIndex: number): History;
  /** Scores every item for the query into `out` (length = items.ids.length); higher is better. */
  scoreAll(query: ScoreQuery, out: Float32Array): void;
  /** Best k items for the query, skipping masked items. */
  recommend(query: ScoreQuery, k: number, exclude?: ExclusionMask): TopK;
  /**
   * `recommend`'s items with Personalize's scores: each item's probability under the softmax of the blend
   * over the whole catalogue (masked items included, as the service scores every item), so in (0, 1].
   */
  recommendProbabilities(query: ScoreQuery, k: number, exclude?: ExclusionMask): TopK;
  /** Items most similar to one item (collaborative, with content similarity for cold items). */
  similarItems(item: number, k: number, exclude?: ExclusionMask): TopK;
  /** Popular / trending items, optionally shaped by a categorical attribute value or context. */
  popular(
    k: number,
    options?: {
      readonly now?: number;
      readonly attribute?: { name: string; value: string };
      readonly exclude?: ExclusionMask;
    },
  ): TopK;
  /** Adds an item (e.g. from PutItems) so it is reachable through content similarity; returns its index. */
  addItem(itemId: string, attributes: Readonly<Record<string, string | number | null>>): number;
  /** Serializes to one compact binary buffer (see `loadModel`). */
  serialize(): Uint8Array;
}

/**
 * One algorithm of the hybrid (item-kNN, user-kNN, RP3beta, content, popularity, ...). Each lives in its own
 * module under `src/local/algorithms/` with an `AlgorithmPlugin` (see `algorithms/plugin.ts`) that creates
 * and restores it by name, so the tuner, the model file and the evaluator reach it through the registry.
 */
export interface Scorer {
  readonly name: string;
  /**
   * Recency decay per history step, for scorers that weigh the history by recency. Writable so tuning can
   * search it on one fitted scorer: it changes scoring only, never the fit.
   */
  recencyDecay?: number;
  fit(data: Dataset, progress?: ProgressReporter): void;
  /** Adds nothing, assumes nothing: writes a score for every item into `out` (higher is better). */
  scoreAll(query: ScoreQuery, out: Float32Array): void;
  /**
   * Optional: `scoreAll` of several queries at once, query q's scores into `rows[q]`, the same scores. Tuning
   * scores hundreds of users per setting; a scorer whose every query streams a large model (iALS: all item
   * factors) reads it once per batch instead of once per query.
   */
  scoreEach?(queries: readonly ScoreQuery[], rows: readonly Float32Array[]): void;
  /**
   * The fitted state as model-artifact parts (arrays are the scorer's own, not copies); its plugin's
   * `restore` rebuilds the scorer from them.
   */
  export(): ScorerState<unknown>;
}
