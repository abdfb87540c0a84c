import type { ProgressReporter } from '../../core/progress.ts';
import { NotFittedError } from '../../errors.ts';
import type { Dataset } from '../data/types.ts';
import type { ScoreQuery } from '../model/types.ts';
import type { Csr } from '../sparse/csr.ts';
import { normalizeRows } from '../sparse/normalize-rows.ts';
import type { SparseScores } from '../sparse/sparse-scores.ts';
import { topKProduct } from '../sparse/top-k-product.ts';
import { transpose } from '../sparse/transpose.ts';
import { assertDecay } from './history-weights.ts';
import { userItemMatrix } from './interaction-matrix.ts';
import type { AlgorithmPlugin } from './plugin.ts';
import { csrFromState, csrState, type ScorerState } from './scorer-state.ts';
import { scoreDenseFromSimilarity, scoreFromSimilarity } from './similarity-scoring.ts';
import type { SparseScorer } from './sparse-scorer.ts';

export interface Rp3betaOptions {
  /** Neighbours kept per item. @default 100 */
  readonly neighbours?: number;
  /** Exponent on the transition probabilities; < 1 flattens them. @default 1 */
  readonly alpha?: number;
  /** Popularity penalty: the walk's landing probability on j is divided by degree(j)^beta. @default 0.3 */
  readonly beta?: number;
  /** Recency decay per history step (see `historyWeights`). @default 0 */
  readonly recencyDecay?: number;
}

/**
 * RP3beta: a three-step random walk item → user → item on the interaction graph (the idea behind Pixie),
 * with transition probabilities raised to alpha and landing items penalised by popularity^beta, kept as a
 * top-k sparse item × item matrix with L1-normalised rows.
 */
export class Rp3betaScorer implements SparseScorer {
  readonly name = 'rp3beta';
  readonly neighbours: number;
  readonly alpha: number;
  readonly beta: number;
  recencyDecay: number;
  private similarity: Csr | undefined;

  constructor(options: Rp3betaOptions = {}) {
    this.neighbours = options.neighbours ?? 100;
    this.alpha = options.alpha ?? 1;
    this.beta = options.beta ?? 0.3;
    this.recencyDecay = options.recencyDecay ?? 0;
    assertDecay(this.recencyDecay, 'Rp3betaScorer');
    if (!(this.alpha > 0)) throw new RangeError(`Rp3betaScorer: alpha must be > 0, got ${this.alpha}`);
    if (!(this.beta >= 0)) throw new RangeError(`Rp3betaScorer: beta must be >= 0, got ${this.beta}`);
  }

  fit(data: Dataset, progress?: ProgressReporter): void {
    const userItems = userItemMatrix(data);
    const itemUsers = transpose(userItems);
    const userToItem = powEntries(normalizeRows(userItems, 'l1'), this.alpha);
    const itemToUser = powEntries(normalizeRows(itemUsers, 'l1'), this.alpha);
    const penalty = new Float32Array(itemUsers.rows);
    for (let j = 0; j < penalty.length; j++) {
      const degree = itemUsers.indptr[j + 1]! - itemUsers.indptr[j]!;
      penalty[j] = degree > 0 ? degree ** -this.beta : 0;
    }
    progress?.start('rp3beta walk', itemUsers.rows);
    const walk = topKProduct(itemToUser, userToItem, {
      k: this.neighbours,
      colScale: penalty,
      skipDiagonal: true,
      onRows: (done) => progress?.update(done),
    });
    progress?.stop();
    this.similarity = normalizeRows(walk, 'l1');
  }

  get itemSimilarity(): Csr {
    if (!this.similarity) throw new NotFittedError('rp3beta is not fitted');
    return this.similarity;
  }

  scoreAll(query: ScoreQuery, out: Float32Array): void {
    scoreDenseFromSimilarity(this.itemSimilarity, query.history, this.recencyDecay, out);
  }

  scoreSparse(query: ScoreQuery, into: SparseScores): void {
    scoreFromSimilarity(this.itemSimilarity, query.history, this.recencyDecay, into);
  }

  export(): ScorerState<Rp3betaHeader> {
    const { neighbours, alpha, beta, recencyDecay } = this;
    return csrState({ neighbours, alpha, beta, recencyDecay }, this.itemSimilarity);
  }

  static restore(state: ScorerState<Rp3betaHeader>): Rp3betaScorer {
    const scorer = new Rp3betaScorer(state.header);
    scorer.similarity = csrFromState(state);
    return scorer;
  }
}

type Rp3betaHeader = Required<Rp3betaOptions> & { rows: number; cols: number };

export const rp3betaAlgorithm: AlgorithmPlugin = {
  name: 'rp3beta',
  create: (options) => new Rp3betaScorer(options),
  restore: Rp3betaScorer.restore,
  tuning: {
    full: [
      { neighbours: 100, alpha: 1, beta: 0.3 },
      { neighbours: 200, alpha: 0.7, beta: 0.3 },
      { neighbours: 200, alpha: 1, beta: 0.5 },
    ],
    fast: [{ neighbours: 100, alpha: 1, beta: 0.3 }],
    recencyDecay: true,
  },
};

function powEntries(m: Csr, exponent: number): Csr {
  if (exponent !== 1) for (let e = 0; e < m.data.length; e++) m.data[e] = m.data[e]! ** exponent;
  return m;
}
