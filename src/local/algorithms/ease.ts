import type { ProgressReporter } from '../../core/progress.ts';
import { InvalidInputError, NotFittedError } from '../../errors.ts';
import type { Dataset } from '../data/types.ts';
import type { ScoreQuery } from '../model/types.ts';
import type { Csr } from '../sparse/csr.ts';
import type { SparseScores } from '../sparse/sparse-scores.ts';
import { easeExact, exactDenseSize, exactSpace } from './ease-exact.ts';
import {
  type FactoredEase,
  FactoredScratch,
  factorEase,
  factoredCells,
  scoreFactored,
  scoreFactoredEach,
} from './ease-factored.ts';
import { easeNeighbourhood } from './ease-neighbourhood.ts';
import { historyWeights } from './history-weights.ts';
import { userItemMatrix } from './interaction-matrix.ts';
import type { AlgorithmPlugin } from './plugin.ts';
import { csrFromState, csrState, type ScorerState } from './scorer-state.ts';
import { scoreDenseFromSimilarity, scoreFromSimilarity } from './similarity-scoring.ts';
import type { SparseScorer } from './sparse-scorer.ts';

export interface EaseOptions {
  /** L2 penalty λ of the regression; larger shrinks weights towards 0 and favours popular items less. @default 300 */
  readonly lambda?: number;
  /** Weights kept per target item for serving (its largest ones); 0 keeps every non-zero weight. @default 500 */
  readonly neighbours?: number;
  /** Recency decay per history step (see `historyWeights`). @default 0 */
  readonly recencyDecay?: number;
  /**
   * Largest dense inverse (min(users, items) rows) solved exactly; above it the neighbourhood approximation
   * runs. Measured (scripts/bench/ease-fit.bench.ts, 2-core machine): the inverse runs at ~1.7 G
   * multiply-adds per CPU second and costs d³ of them in d² doubles, so d = 6,000 is ~2 CPU minutes and
   * 290 MB, d = 20,000 would be over an hour and 3.2 GB. The approximation with 100 regressors costs about
   * 1 CPU ms per item (ml-latest-small's 8,246 items: 7.7 s) at ~3% lower NDCG@10 (ml-100k: 0.197 against
   * 0.203), so it takes over where the exact route stops being a few minutes' work.
   * @default 6000
   */
  readonly denseLimit?: number;
  /** Co-occurring items each item regresses on in the neighbourhood approximation. @default 100 */
  readonly regressors?: number;
}

/** Co-occurrence counts kept per item for reading G_NN, per regressor (see `easeNeighbourhood`). */
const LOOKUP_FACTOR = 3;

/**
 * Largest items × users at which the user-space route keeps the model factored (see `FactoredEase`) instead
 * of forming B's columns: 64 MB of float32, no more than B's 500 kept weights per column take on a catalogue
 * of 8,000 items; ml-latest-small needs 6 M.
 */
const FACTORED_MAX_CELLS = 16_000_000;

type WeightsHeader = Required<EaseOptions> & { rows: number; cols: number };
type FactoredHeader = Required<EaseOptions> & { form: 'factored'; users: number; items: number };
type EaseHeader = WeightsHeader | FactoredHeader;

/**
 * EASE (Steck 2019): a linear item × item model, B = argmin ‖X − XB‖² + λ‖B‖² with diag B = 0, solved in
 * closed form (see `easeExact`) or, on large catalogues, per item over its co-occurring neighbours (see
 * `easeNeighbourhood`). Scores are history·B; B is kept as a sparse matrix of each item's largest weights.
 */
export class EaseScorer implements SparseScorer {
  readonly name = 'ease';
  readonly lambda: number;
  readonly neighbours: number;
  readonly denseLimit: number;
  readonly regressors: number;
  recencyDecay: number;
  private weights: Csr | undefined;
  private dropped: Float32Array | undefined;
  private factored: FactoredEase | undefined;
  private scratch: FactoredScratch | undefined;
  private dense = new Float32Array(0);

  constructor(options: EaseOptions = {}) {
    this.lambda = options.lambda ?? 300;
    this.neighbours = options.neighbours ?? 500;
    this.recencyDecay = options.recencyDecay ?? 0;
    this.denseLimit = options.denseLimit ?? 6000;
    this.regressors = options.regressors ?? 100;
    const issues = [];
    if (!(this.lambda > 0) || !Number.isFinite(this.lambda))
      issues.push({ field: 'lambda', message: `must be a finite number > 0, got ${this.lambda}` });
    if (!Number.isInteger(this.neighbours) || this.neighbours < 0)
      issues.push({ field: 'neighbours', message: `must be an integer >= 0, got ${this.neighbours}` });
    if (!(this.recencyDecay >= 0) || !Number.isFinite(this.recencyDecay))
      issues.push({
        field: 'recencyDecay',
        message: `must be a finite number >= 0, got ${this.recencyDecay}`,
      });
    if (!Number.isInteger(this.denseLimit) || this.denseLimit < 0)
      issues.push({ field: 'denseLimit', message: `must be an integer >= 0, got ${this.denseLimit}` });
    if (!Number.isInteger(this.regressors) || this.regressors < 1)
      issues.push({ field: 'regressors', message: `must be an integer >= 1, got ${this.regressors}` });
    if (issues.length > 0) throw new InvalidInputError(issues);
  }

  fit(data: Dataset, progress?: ProgressReporter): void {
    const userItems = userItemMatrix(data);
    this.weights = undefined;
    this.dropped = undefined;
    this.factored = undefined;
    if (
      exactDenseSize(userItems) <= this.denseLimit &&
      exactSpace(userItems) === 'users' &&
      factoredCells(userItems) <= FACTORED_MAX_CELLS
    ) {
      this.factored = factorEase(userItems, this.lambda, progress);
      this.scratch = new FactoredScratch(userItems.rows);
      return;
    }
    const fitted =
      exactDenseSize(userItems) <= this.denseLimit
        ? easeExact(userItems, this.lambda, this.neighbours, progress)
        : easeNeighbourhood(
            userItems,
            this.lambda,
            this.neighbours,
            this.regressors,
            this.regressors * LOOKUP_FACTOR,
            progress,
          );
    this.weights = fitted.weights;
    this.dropped = fitted.dropped;
  }

  scoreAll(query: ScoreQuery, out: Float32Array): void {
    if (this.factored) {
      scoreFactored(this.factored, query.history, this.recencyDecay, out, this.scratch!);
      return;
    }
    const { weights, dropped } = this.sparseWeights;
    const mass = scoreDenseFromSimilarity(weights, query.history, this.recencyDecay, out);
    // As in `scoreSparse`: the dropped weights last, at their column means.
    if (mass > 0)
      for (let j = 0; j < dropped.length; j++) if (dropped[j] !== 0) out[j]! += mass * dropped[j]!;
  }

  scoreEach(queries: readonly ScoreQuery[], rows: readonly Float32Array[]): void {
    if (!this.factored) {
      queries.forEach((query, q) => {
        this.scoreAll(query, rows[q]!);
      });
      return;
    }
    const histories = queries.map((query) => query.history);
    scoreFactoredEach(this.factored, histories, this.recencyDecay, rows, this.scratch!);
  }

  scoreSparse(query: ScoreQuery, into: SparseScores): void {
    if (this.factored) {
      // Every item has a score: the dense answer is the sparse one.
      if (this.dense.length !== this.factored.diagonal.length)
        this.dense = new Float32Array(this.factored.diagonal.length);
      scoreFactored(this.factored, query.history, this.recencyDecay, this.dense, this.scratch!);
      into.addDense(this.dense);
      return;
    }
    const { weights, dropped } = this.sparseWeights;
    scoreFromSimilarity(weights, query.history, this.recencyDecay, into);
    // The weights each column did not keep, at their mean (see `ColumnTopN.dropped`): every item is touched.
    const recency = historyWeights(query.history, this.recencyDecay);
    let mass = 0;
    for (let p = 0; p < recency.length; p++) {
      const item = query.history.items[p]!;
      if (item >= 0 && item < weights.rows) mass += recency[p]!;
    }
    if (mass > 0)
      for (let j = 0; j < dropped.length; j++) if (dropped[j] !== 0) into.add(j, mass * dropped[j]!);
  }

  export(): ScorerState<EaseHeader> {
    const { lambda, neighbours, recencyDecay, denseLimit, regressors } = this;
    const options = { lambda, neighbours, recencyDecay, denseLimit, regressors };
    if (this.factored) {
      const { itemInverse, itemUsers, diagonal } = this.factored;
      return {
        header: { ...options, form: 'factored', users: itemUsers.cols, items: itemUsers.rows },
        arrays: {
          itemInverse,
          itemUsersIndptr: itemUsers.indptr,
          itemUsersIndices: itemUsers.indices,
          diagonal,
        },
      };
    }
    const { weights, dropped } = this.sparseWeights;
    const state = csrState(options, weights);
    return { header: state.header, arrays: { ...state.arrays, dropped } };
  }

  static restore(state: ScorerState<EaseHeader>): EaseScorer {
    const scorer = new EaseScorer(state.header);
    const { header, arrays } = state;
    if ('form' in header) {
      const itemInverse = arrays['itemInverse'] as Float32Array;
      const indptr = arrays['itemUsersIndptr'] as Int32Array;
      const indices = arrays['itemUsersIndices'] as Int32Array;
      const diagonal = arrays['diagonal'] as Float32Array;
      if (
        itemInverse.length !== header.items * header.users ||
        indptr.length !== header.items + 1 ||
        indices.length !== indptr[header.items] ||
        diagonal.length !== header.items
      )
        throw new InvalidInputError([
          {
            field: 'model.ease',
            message: `factored arrays do not match ${header.users} users, ${header.items} items`,
          },
        ]);
      const data = new Float32Array(indices.length).fill(1);
      const itemUsers = { rows: header.items, cols: header.users, indptr, indices, data };
      scorer.factored = { itemInverse, itemUsers, diagonal };
      scorer.scratch = new FactoredScratch(header.users);
      return scorer;
    }
    scorer.weights = csrFromState(state as ScorerState<WeightsHeader>);
    scorer.dropped = arrays['dropped'] as Float32Array;
    return scorer;
  }

  private get sparseWeights(): { weights: Csr; dropped: Float32Array } {
    if (!this.weights || !this.dropped) throw new NotFittedError('ease is not fitted');
    return { weights: this.weights, dropped: this.dropped };
  }
}

/**
 * Hyperparameter grids for the hybrid's tuner (recency decay is searched separately). The default comes
 * first: tuning keeps it unless another λ beats it beyond validation noise. λ 100 scored lowest or tied on
 * all four MovieLens validation carves (ml-100k 0.217 against 0.231 at 300, ml-latest-small 0.132 against
 * 0.153, the -notime ones 0.257 against 0.272 and 0.2272 against 0.2274), so it is no longer tried.
 */
export const EASE_GRID = [
  { lambda: 300 },
  { lambda: 500 },
  { lambda: 1000 },
] satisfies readonly EaseOptions[];
/**
 * Large data (the fast space) leaves EASE out for now: above `denseLimit` items its neighbourhood fit costs
 * about 1 CPU ms per item, which alone would break the 20 s budget of fitting 1M interactions.
 */
export const EASE_FAST_GRID = [] satisfies readonly EaseOptions[];

/** EASE as a plug-in of the algorithm registry. */
export const easeAlgorithm: AlgorithmPlugin = {
  name: 'ease',
  create: (options) => new EaseScorer(options),
  restore: EaseScorer.restore,
  tuning: { full: EASE_GRID, fast: EASE_FAST_GRID, recencyDecay: true },
};
