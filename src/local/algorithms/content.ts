import type { ProgressReporter } from '../../core/progress.ts';
import { NotFittedError } from '../../errors.ts';
import type { AttributeKind, Dataset } from '../data/types.ts';
import type { ArtifactArray } from '../model/artifact.ts';
import type { ScoreQuery, TopK } from '../model/types.ts';
import { type Csr, topKProduct, transpose } from '../sparse/index.ts';
import { SparseScores } from '../sparse/sparse-scores.ts';
import { assertDecay } from './history-weights.ts';
import type { AlgorithmPlugin } from './plugin.ts';
import { scoreFromSimilarity } from './similarity-scoring.ts';
import { type SparseScorer, scoreAllFromSparse } from './sparse-scorer.ts';
import { withAppendedColumn, withAppendedRow } from './text/csr-append.ts';
import { type FeatureSpace, featurize, fitItemFeatures, type ItemAttributes } from './text/item-features.ts';

export type { ItemAttributes };

export interface ContentOptions {
  /** Neighbours kept per item. @default 50 */
  readonly neighbours?: number;
  /** Recency decay per history step (see `historyWeights`): recent items weigh more. @default 0.1 */
  readonly recencyDecay?: number;
}

/** What `ContentScorer.export` hands to the model artifact (names are local; the hybrid may prefix them). */
export interface ContentState {
  readonly header: {
    readonly neighbours: number;
    readonly recencyDecay: number;
    readonly items: number;
    readonly features: number;
    readonly columns: readonly (readonly [string, AttributeKind])[];
  };
  readonly arrays: Readonly<Record<string, ArtifactArray>>;
  readonly strings: Readonly<Record<string, readonly string[]>>;
}

interface Fitted {
  readonly space: FeatureSpace;
  /** Items × features, TF-IDF, rows L2-normalised. */
  readonly features: Csr;
  /** Features × items, for finding the items that share a feature with a new one. */
  readonly featureItems: Csr;
  /** Items × items cosine top-k. */
  readonly similarity: Csr;
}

function sortedByScore(indices: Int32Array, data: Float32Array, k: number): TopK {
  const order = Array.from(indices.keys()).sort((a, b) => data[b]! - data[a]! || indices[a]! - indices[b]!);
  const kept = order.slice(0, k);
  return {
    items: Int32Array.from(kept, (e) => indices[e]!),
    scores: Float32Array.from(kept, (e) => data[e]!),
  };
}

/**
 * Content-based item similarity from item metadata: one feature per categorical value (`GENRES=drama`) and
 * per word of the textual fields, TF-IDF weighted, cosine top-k neighbours. It is what reaches items nobody
 * has interacted with yet, including items added after training (`addItem`).
 */
export class ContentScorer implements SparseScorer {
  readonly name = 'content';
  readonly neighbours: number;
  recencyDecay: number;
  private readonly scratch = new SparseScores(0);
  private fitted: Fitted | undefined;

  constructor(options: ContentOptions = {}) {
    this.neighbours = options.neighbours ?? 50;
    this.recencyDecay = options.recencyDecay ?? 0.1;
    assertDecay(this.recencyDecay, 'ContentScorer');
    if (!Number.isInteger(this.neighbours) || this.neighbours < 1) {
      throw new RangeError(`ContentScorer: neighbours must be a positive integer, got ${this.neighbours}`);
    }
  }

  fit(data: Dataset, progress?: ProgressReporter): void {
    const { space, matrix } = fitItemFeatures(data.itemAttributes, data.items.ids.length);
    const featureItems = transpose(matrix);
    progress?.start('content similarity', matrix.rows);
    const similarity = topKProduct(matrix, featureItems, {
      k: this.neighbours,
      skipDiagonal: true,
      onRows: (done) => progress?.update(done),
    });
    progress?.stop();
    this.fitted = { space, features: matrix, featureItems, similarity };
  }

  private get state(): Fitted {
    if (!this.fitted) throw new NotFittedError('content is not fitted');
    return this.fitted;
  }

  /** Items the scorer knows: the training items plus those added since. */
  get itemCount(): number {
    return this.state.similarity.rows;
  }

  /** The items × items content similarity (top-k per row, columns ascending). */
  get itemSimilarity(): Csr {
    return this.state.similarity;
  }

  /** Sum over the history of each item's neighbours, weighted by similarity and recency. */
  scoreAll(query: ScoreQuery, out: Float32Array): void {
    scoreAllFromSparse(this, query, out, this.scratch);
  }

  scoreSparse(query: ScoreQuery, into: SparseScores): void {
    scoreFromSimilarity(this.state.similarity, query.history, this.recencyDecay, into);
  }

  /** The k items most similar in content to a known item, best first. */
  similarToItem(item: number, k: number): TopK {
    const { similarity } = this.state;
    if (!Number.isInteger(item) || item < 0 || item >= similarity.rows) {
      throw new RangeError(`similarToItem: item must be an index below ${similarity.rows}, got ${item}`);
    }
    const start = similarity.indptr[item]!;
    const end = similarity.indptr[item + 1]!;
    return sortedByScore(similarity.indices.subarray(start, end), similarity.data.subarray(start, end), k);
  }

  /** The k known items most similar to an item described only by its attributes, best first. */
  neighboursForAttributes(attributes: ItemAttributes, k: number): TopK {
    const { space, featureItems } = this.state;
    const row = topKProduct(featurize(space, attributes), featureItems, { k });
    return sortedByScore(row.indices, row.data, k);
  }

  /**
   * Registers a new item (PutItems of an item unseen in training) under the next index and returns it. Its
   * neighbours are found from its attributes, and it joins its neighbours' rows, so histories holding
   * similar items can surface it.
   */
  addItem(attributes: ItemAttributes): number {
    const { space, features, featureItems, similarity } = this.state;
    const index = similarity.rows;
    const row = featurize(space, attributes);
    const neighbours = topKProduct(row, featureItems, { k: this.neighbours });
    const nIndices = neighbours.indices;
    const nData = neighbours.data;
    this.fitted = {
      space,
      features: withAppendedRow(features, row.indices, row.data, features.cols),
      featureItems: withAppendedColumn(featureItems, row.indices, row.data),
      similarity: withAppendedRow(
        withAppendedColumn(similarity, nIndices, nData),
        nIndices,
        nData,
        index + 1,
      ),
    };
    return index;
  }

  /** The fitted state as artifact parts (arrays are the scorer's own, not copies). */
  export(): ContentState {
    const { space, features, similarity } = this.state;
    return {
      header: {
        neighbours: this.neighbours,
        recencyDecay: this.recencyDecay,
        items: similarity.rows,
        features: space.names.length,
        columns: [...space.columns],
      },
      arrays: {
        featureIndptr: features.indptr,
        featureIndices: features.indices,
        featureData: features.data,
        idf: space.idf,
        similarityIndptr: similarity.indptr,
        similarityIndices: similarity.indices,
        similarityData: similarity.data,
      },
      strings: { features: space.names },
    };
  }

  /** Rebuilds a fitted scorer from `export()` output (e.g. read back from a model artifact). */
  static restore(state: ContentState): ContentScorer {
    const { header, arrays, strings } = state;
    const scorer = new ContentScorer({
      neighbours: header.neighbours,
      recencyDecay: header.recencyDecay,
    });
    const names = strings.features ?? [];
    const features: Csr = {
      rows: header.items,
      cols: header.features,
      indptr: arrays.featureIndptr as Int32Array,
      indices: arrays.featureIndices as Int32Array,
      data: arrays.featureData as Float32Array,
    };
    scorer.fitted = {
      space: {
        names,
        indexOf: new Map(names.map((name, i) => [name, i] as const)),
        idf: arrays.idf as Float32Array,
        columns: new Map(header.columns),
      },
      features,
      featureItems: transpose(features),
      similarity: {
        rows: header.items,
        cols: header.items,
        indptr: arrays.similarityIndptr as Int32Array,
        indices: arrays.similarityIndices as Int32Array,
        data: arrays.similarityData as Float32Array,
      },
    };
    return scorer;
  }
}

/**
 * Content also serves cold and added items outside the blend, so the model holds one instance; the blend's
 * content part refers to it (and a model file stores it once).
 */
export const contentAlgorithm: AlgorithmPlugin = {
  name: 'content',
  create: (options) => new ContentScorer(options),
  restore: ContentScorer.restore,
  tuning: { full: [{ neighbours: 50 }], fast: [{ neighbours: 50 }], recencyDecay: true },
};
