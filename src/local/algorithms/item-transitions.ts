import type { ProgressReporter } from '../../core/progress.ts';
import { TopKHeap } from '../../core/top-k-heap.ts';
import { InvalidInputError, NotFittedError } from '../../errors.ts';
import type { Dataset } from '../data/types.ts';
import type { ScoreQuery } from '../model/types.ts';
import { packHistories } from '../model/user-histories.ts';
import type { Csr } from '../sparse/csr.ts';
import { fromCoo } from '../sparse/from-coo.ts';
import { SparseScores } from '../sparse/sparse-scores.ts';
import type { AlgorithmPlugin } from './plugin.ts';
import { csrFromState, csrState, type ScorerState } from './scorer-state.ts';
import { type SparseScorer, scoreAllFromSparse } from './sparse-scorer.ts';

export interface ItemTransitionsOptions {
  /** How many steps ahead an event counts as following another (1: only the very next one). @default 3 */
  readonly window?: number;
  /** Weight of a follower d steps ahead: distanceDecay^(d − 1). @default 0.5 */
  readonly distanceDecay?: number;
  /** Damps rare items: weight = follow count / (item's total follow count + shrink). @default 5 */
  readonly shrink?: number;
  /** Followers kept per item. @default 100 */
  readonly neighbours?: number;
  /** Newest history events that vote for the next item. @default 5 */
  readonly lookback?: number;
  /** Position decay of those votes: exp(−recencyDecay × steps from the newest). @default 0.5 */
  readonly recencyDecay?: number;
  /** Seconds of inactivity that end a session: no transition is counted across it; 0 never splits. @default 0 */
  readonly sessionGap?: number;
}

type TransitionsHeader = Required<ItemTransitionsOptions> & { rows: number; cols: number };

/**
 * Sequence-aware next-item scorer: from every user's chronological events it counts which items follow
 * which (up to `window` steps ahead, nearer steps weighing more), normalises each item's followers into a
 * shrunk conditional frequency, and scores a query by the followers of its last `lookback` events, the
 * newest counting most. It reads only the query's history, so it serves anonymous sessions exactly as
 * known users; unlike co-occurrence models it knows that B follows A, not merely that they go together.
 */
export class ItemTransitionsScorer implements SparseScorer {
  readonly name = 'item-transitions';
  readonly window: number;
  readonly distanceDecay: number;
  readonly shrink: number;
  readonly neighbours: number;
  readonly lookback: number;
  readonly sessionGap: number;
  recencyDecay: number;
  private readonly scratch = new SparseScores(0);
  private followers: Csr | undefined;

  constructor(options: ItemTransitionsOptions = {}) {
    this.window = options.window ?? 3;
    this.distanceDecay = options.distanceDecay ?? 0.5;
    this.shrink = options.shrink ?? 5;
    this.neighbours = options.neighbours ?? 100;
    this.lookback = options.lookback ?? 5;
    this.recencyDecay = options.recencyDecay ?? 0.5;
    this.sessionGap = options.sessionGap ?? 0;
    const issues = [
      positiveInteger('window', this.window),
      positiveInteger('neighbours', this.neighbours),
      positiveInteger('lookback', this.lookback),
      this.distanceDecay >= 0 && this.distanceDecay <= 1
        ? undefined
        : { field: 'distanceDecay', message: `must be a number from 0 to 1, got ${this.distanceDecay}` },
      nonNegative('shrink', this.shrink),
      nonNegative('recencyDecay', this.recencyDecay),
      nonNegative('sessionGap', this.sessionGap),
    ].filter((issue) => issue !== undefined);
    if (issues.length > 0) throw new InvalidInputError(issues);
  }

  fit(data: Dataset, progress?: ProgressReporter): void {
    progress?.start('item transitions', 1);
    this.followers = keepLargest(this.countFollowers(data), this.neighbours, this.shrink);
    progress?.stop();
  }

  /** Item → follower weights (rows: an event's item, columns: the items that followed it). */
  get itemFollowers(): Csr {
    if (!this.followers) throw new NotFittedError('item-transitions is not fitted');
    return this.followers;
  }

  scoreAll(query: ScoreQuery, out: Float32Array): void {
    scoreAllFromSparse(this, query, out, this.scratch);
  }

  scoreSparse(query: ScoreQuery, into: SparseScores): void {
    const { indptr, indices, data, rows } = this.itemFollowers;
    const { items } = query.history;
    const newest = items.length - 1;
    for (let p = newest; p >= 0 && p > newest - this.lookback; p--) {
      const item = items[p]!;
      if (item < 0 || item >= rows) continue;
      const w = Math.exp(-this.recencyDecay * (newest - p));
      for (let e = indptr[item]!; e < indptr[item + 1]!; e++) into.add(indices[e]!, w * data[e]!);
    }
  }

  export(): ScorerState<TransitionsHeader> {
    const { window, distanceDecay, shrink, neighbours, lookback, recencyDecay, sessionGap } = this;
    return csrState(
      { window, distanceDecay, shrink, neighbours, lookback, recencyDecay, sessionGap },
      this.itemFollowers,
    );
  }

  static restore(state: ScorerState<TransitionsHeader>): ItemTransitionsScorer {
    const scorer = new ItemTransitionsScorer(state.header);
    scorer.followers = csrFromState(state);
    return scorer;
  }

  /** Raw follow counts (distance-weighted) as an items × items matrix. */
  private countFollowers(data: Dataset): Csr {
    const histories = packHistories(data);
    const { start, items, timestamps } = histories;
    const n = data.items.ids.length;
    let pairs = 0;
    for (let u = 0; u + 1 < start.length; u++) {
      const length = start[u + 1]! - start[u]!;
      for (let d = 1; d <= this.window; d++) pairs += Math.max(0, length - d);
    }
    const from = new Int32Array(pairs);
    const to = new Int32Array(pairs);
    const weight = new Float32Array(pairs);
    let count = 0;
    for (let u = 0; u + 1 < start.length; u++) {
      const end = start[u + 1]!;
      for (let a = start[u]!; a < end; a++) {
        for (let b = a + 1; b < end && b - a <= this.window; b++) {
          // A long pause ends the session: what came after does not follow what came before.
          if (this.sessionGap > 0 && timestamps[b]! - timestamps[b - 1]! > this.sessionGap) break;
          if (items[a] === items[b]) continue;
          from[count] = items[a]!;
          to[count] = items[b]!;
          weight[count++] = this.distanceDecay ** (b - a - 1);
        }
      }
    }
    return fromCoo(n, n, from.subarray(0, count), to.subarray(0, count), weight.subarray(0, count));
  }
}

/** Each row's `keep` largest entries (columns ascending), divided by the row's total plus `shrink`. */
function keepLargest(counts: Csr, keep: number, shrink: number): Csr {
  const heap = new TopKHeap(keep);
  const indptr = new Int32Array(counts.rows + 1);
  const indices = new Int32Array(Math.min(counts.indices.length, counts.rows * keep));
  const data = new Float32Array(indices.length);
  const slot = new Float32Array(counts.cols);
  let nnz = 0;
  for (let r = 0; r < counts.rows; r++) {
    heap.reset();
    let total = 0;
    for (let e = counts.indptr[r]!; e < counts.indptr[r + 1]!; e++) {
      total += counts.data[e]!;
      heap.push(counts.indices[e]!, counts.data[e]!);
    }
    const kept = heap.ids.subarray(0, heap.size);
    for (let h = 0; h < heap.size; h++) slot[kept[h]!] = heap.values[h]!;
    kept.sort();
    for (const column of kept) {
      indices[nnz] = column;
      data[nnz++] = slot[column]! / (total + shrink);
    }
    indptr[r + 1] = nnz;
  }
  return {
    rows: counts.rows,
    cols: counts.cols,
    indptr,
    indices: indices.slice(0, nnz),
    data: data.slice(0, nnz),
  };
}

function positiveInteger(field: string, value: number) {
  return Number.isInteger(value) && value >= 1
    ? undefined
    : { field, message: `must be an integer >= 1, got ${value}` };
}

function nonNegative(field: string, value: number) {
  return value >= 0 && Number.isFinite(value)
    ? undefined
    : { field, message: `must be a finite number >= 0, got ${value}` };
}

/** Hyperparameter grids for the hybrid's tuner (recency decay is searched separately), the default first. */
export const ITEM_TRANSITIONS_GRID = [
  { window: 3, distanceDecay: 0.5, shrink: 5, lookback: 5 },
  { window: 1, distanceDecay: 1, shrink: 5, lookback: 3 },
  { window: 5, distanceDecay: 0.7, shrink: 20, lookback: 10 },
] satisfies readonly ItemTransitionsOptions[];
export const ITEM_TRANSITIONS_FAST_GRID = [
  { window: 3, distanceDecay: 0.5, shrink: 5, lookback: 5 },
] satisfies readonly ItemTransitionsOptions[];

/** Item transitions as a plug-in of the algorithm registry. */
export const itemTransitionsAlgorithm: AlgorithmPlugin = {
  name: 'item-transitions',
  create: (options) => new ItemTransitionsScorer(options),
  restore: ItemTransitionsScorer.restore,
  tuning: { full: ITEM_TRANSITIONS_GRID, fast: ITEM_TRANSITIONS_FAST_GRID, recencyDecay: true },
};
