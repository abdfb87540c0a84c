import { probability, softmaxOfSparse } from '../../core/softmax.ts';
import type { ContentScorer } from '../algorithms/content.ts';
import type { PopularityScorer } from '../algorithms/popularity.ts';
import { isSparseScorer } from '../algorithms/sparse-scorer.ts';
import type { AttributeTable, IdIndex } from '../data/types.ts';
import { selectTopKAmong } from '../sparse/select-top-k.ts';
import { SparseScores } from '../sparse/sparse-scores.ts';
import { moveScaled } from './scale.ts';
import { serializeHybrid } from './serialize.ts';
import type { ComponentChoice, TuningResult } from './tune.ts';
import type { ExclusionMask, History, HybridModel, ScoreQuery, Scorer, TopK } from './types.ts';
import { historyOf, type PackedHistories } from './user-histories.ts';

/** One weighted algorithm of the blend. */
export interface BlendPart {
  readonly choice: ComponentChoice;
  readonly scorer: Scorer;
}

/** Everything a hybrid is made of; `trainHybrid` and `loadModel` both build one. */
export interface HybridParts {
  readonly items: IdIndex;
  readonly users: IdIndex;
  readonly eventTypes: readonly string[];
  readonly itemAttributes: AttributeTable;
  readonly userAttributes: AttributeTable;
  readonly histories: Omit<PackedHistories, 'rows'>;
  /** Items known at training time; collaborative scorers cover exactly these, `addItem` appends after them. */
  readonly trainedItems: number;
  readonly blend: readonly BlendPart[];
  /** Content similarity (also in `blend` when tuning gave it weight): reaches cold and added items. */
  readonly content: ContentScorer;
  readonly popularity: PopularityScorer;
  readonly trending: PopularityScorer;
  /** What tuning decided and why, when this model was just trained with tuning (not kept in model files). */
  readonly tuning?: TuningResult;
}

/**
 * Items added after training have no collaborative score; they compete through content similarity, scaled
 * to this share of the blend's total weight so they surface without swamping proven neighbours.
 */
const NEW_ITEM_SHARE = 0.5;
/**
 * On the cold path a history of only added items is the one personal signal there is: its content neighbours
 * outweigh popularity and trending (weight 1 each).
 */
const COLD_CONTENT_WEIGHT = 2;

/**
 * The tuned hybrid: a weighted sum of each algorithm's scores, each scaled to a maximum of 1 per query so
 * weights mean the same across algorithms. Scoring always reads the query history (training events plus
 * real-time ones). A query with no known item falls back to context-shaped popularity and trending.
 */
export class Hybrid implements HybridModel {
  readonly items: IdIndex;
  readonly users: IdIndex;
  readonly eventTypes: readonly string[];
  readonly itemAttributes: AttributeTable;
  readonly userAttributes: AttributeTable;
  private readonly itemIds: string[];
  private readonly itemIndex: Map<string, number>;
  /** Reused per query (the model serves one query at a time): the blend, one part of it, a dense part. */
  private readonly blended = new SparseScores(0);
  private readonly part = new SparseScores(0);
  private dense = new Float32Array(0);
  private interactedItems: Uint8Array | undefined;

  constructor(readonly parts: HybridParts) {
    this.itemIds = [...parts.items.ids];
    this.itemIndex = new Map(parts.items.indexOf);
    this.items = { ids: this.itemIds, indexOf: this.itemIndex };
    this.users = parts.users;
    this.eventTypes = parts.eventTypes;
    this.itemAttributes = parts.itemAttributes;
    this.userAttributes = parts.userAttributes;
  }

  userHistory(userIndex: number): History {
    const count = this.users.ids.length;
    if (!Number.isInteger(userIndex) || userIndex < 0 || userIndex >= count)
      throw new RangeError(`userHistory: userIndex must be an integer below ${count}, got ${userIndex}`);
    return historyOf(this.parts.histories, userIndex);
  }

  scoreAll(query: ScoreQuery, out: Float32Array): void {
    const n = this.itemIds.length;
    if (out.length !== n) throw new RangeError(`scoreAll: out must have length ${n}, got ${out.length}`);
    this.blendScores(query).drainInto(out);
  }

  /**
   * The blend for the query in `this.blended` (cleared by whoever reads it). Each part is scaled and added
   * over the items it touched only: similarity-based parts reach a few thousand of all items per query.
   */
  private blendScores(query: ScoreQuery): SparseScores {
    const n = this.itemIds.length;
    this.blended.reset(n);
    const { trainedItems, blend, content, popularity, trending } = this.parts;
    if (!query.history.items.some((item) => item < trainedItems)) {
      // No known item in the history: popularity and trending for the context, plus content for added items.
      this.addPart(popularity, query, 1, 0, n);
      this.addPart(trending, query, 1, 0, n);
      if (query.history.items.length > 0) this.addPart(content, query, COLD_CONTENT_WEIGHT, 0, n);
      return this.blended;
    }
    let totalWeight = 0;
    for (const { choice, scorer } of blend) {
      // Content scores added items too; those are blended below, like for the other parts.
      this.addPart(scorer, query, choice.weight, 0, trainedItems);
      totalWeight += choice.weight;
    }
    if (n > trainedItems) this.addPart(content, query, NEW_ITEM_SHARE * totalWeight, trainedItems, n);
    return this.blended;
  }

  /** Adds one scorer's scores, scaled to `weight` over the items in [from, to), into the blend. */
  private addPart(scorer: Scorer, query: ScoreQuery, weight: number, from: number, to: number): void {
    const part = this.part;
    // Sized to every item (added ones too) so one accumulator serves parts of either size.
    part.reset(this.itemIds.length);
    if (isSparseScorer(scorer)) scorer.scoreSparse(query, part);
    else {
      // Dense scorers (popularity, trending) know the trained items only.
      const dense = this.denseOf(this.parts.trainedItems);
      scorer.scoreAll(query, dense);
      part.addDense(dense);
    }
    moveScaled(this.blended, part, weight, from, to);
  }

  recommend(query: ScoreQuery, k: number, exclude?: ExclusionMask): TopK {
    const top = this.topOfBlend(query, k, exclude);
    return top.items.length < k ? this.withPopularFill(top, k, exclude) : top;
  }

  recommendProbabilities(query: ScoreQuery, k: number, exclude?: ExclusionMask): TopK {
    const blended = this.blendScores(query);
    const softmax = softmaxOfSparse(blended.values, blended.touched, blended.count, blended.size);
    let top = this.rankBlended(blended, k, exclude);
    if (top.items.length < k) top = this.withPopularFill(top, k, exclude);
    return { items: top.items, scores: top.scores.map((score) => probability(score, softmax)) };
  }

  private topOfBlend(query: ScoreQuery, k: number, exclude: ExclusionMask | undefined): TopK {
    return this.rankBlended(this.blendScores(query), k, exclude);
  }

  /** The best `k` of the blend, which is cleared for the next query. */
  private rankBlended(blended: SparseScores, k: number, exclude: ExclusionMask | undefined): TopK {
    const top = selectTopKAmong(blended.values, blended.touched, blended.count, k, exclude);
    blended.clear();
    return top;
  }

  /** Tops up a short list (few items scored above 0) with popular items, scored 0, as Personalize fills k. */
  private withPopularFill(top: TopK, k: number, exclude: ExclusionMask | undefined): TopK {
    const mask = exclude ? exclude.slice() : new Uint8Array(this.itemIds.length);
    for (const item of top.items) mask[item] = 1;
    const fill = this.parts.popularity.popular(k - top.items.length, { exclude: mask }).items;
    const items = new Int32Array(top.items.length + fill.length);
    items.set(top.items);
    items.set(fill, top.items.length);
    const scores = new Float32Array(items.length);
    scores.set(top.scores);
    return { items, scores };
  }

  /**
   * Items that co-occur with `item` (the blend scored for a one-item history), or, for an item nobody has
   * interacted with, its content neighbours. The item itself is never returned.
   */
  similarItems(item: number, k: number, exclude?: ExclusionMask): TopK {
    const n = this.itemIds.length;
    if (!Number.isInteger(item) || item < 0 || item >= n)
      throw new RangeError(`similarItems: item must be an index below ${n}, got ${item}`);
    const query: ScoreQuery = {
      history: { items: Int32Array.of(item), timestamps: Float64Array.of(0) },
    };
    const mask = exclude ? exclude.slice() : new Uint8Array(n);
    mask[item] = 1;
    if (this.interacted()[item] === 1) return this.topOfBlend(query, k, mask);
    const part = this.part;
    part.reset(n);
    this.parts.content.scoreSparse(query, part);
    const top = selectTopKAmong(part.values, part.touched, part.count, k, mask);
    part.clear();
    return top;
  }

  /** Popular items (distinct users), or trending ones (time-decayed) when `now` is given. */
  popular(
    k: number,
    options: {
      readonly now?: number;
      readonly attribute?: { name: string; value: string };
      readonly exclude?: ExclusionMask;
    } = {},
  ): TopK {
    const scorer = options.now === undefined ? this.parts.popularity : this.parts.trending;
    return scorer.popular(k, {
      ...(options.attribute && { attribute: options.attribute }),
      ...(options.exclude && { exclude: options.exclude }),
    });
  }

  /** A new item joins the content index (an id already known keeps its index and learned neighbours). */
  addItem(itemId: string, attributes: Readonly<Record<string, string | number | null>>): number {
    const known = this.itemIndex.get(itemId);
    if (known !== undefined) return known;
    const index = this.parts.content.addItem(attributes);
    if (index !== this.itemIds.length)
      throw new RangeError(
        `addItem: content index ${index} is out of step with ${this.itemIds.length} items`,
      );
    this.itemIds.push(itemId);
    this.itemIndex.set(itemId, index);
    return index;
  }

  serialize(): Uint8Array {
    return serializeHybrid(this.parts, this.items);
  }

  /** 1 for items with a training interaction, computed once from the packed histories. */
  private interacted(): Uint8Array {
    if (!this.interactedItems) {
      this.interactedItems = new Uint8Array(this.parts.trainedItems);
      for (const item of this.parts.histories.items) this.interactedItems[item] = 1;
    }
    return this.interactedItems;
  }

  private denseOf(n: number): Float32Array {
    if (this.dense.length !== n) this.dense = new Float32Array(n);
    return this.dense;
  }
}
