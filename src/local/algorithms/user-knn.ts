import { TopKHeap } from '../../core/top-k-heap.ts';
import { NotFittedError } from '../../errors.ts';
import type { Dataset } from '../data/types.ts';
import type { ScoreQuery } from '../model/types.ts';
import type { Csr } from '../sparse/csr.ts';
import { rowNorms } from '../sparse/normalize-rows.ts';
import { SparseScores } from '../sparse/sparse-scores.ts';
import { transpose } from '../sparse/transpose.ts';
import { assertDecay, historyWeights } from './history-weights.ts';
import { userItemMatrix } from './interaction-matrix.ts';
import type { AlgorithmPlugin } from './plugin.ts';
import { csrFromState, csrState, type ScorerState } from './scorer-state.ts';
import { type SparseScorer, scoreAllFromSparse } from './sparse-scorer.ts';

export interface UserKnnOptions {
  /** Neighbour users per query. @default 50 */
  readonly neighbours?: number;
  /** Cosine shrinkage. @default 10 */
  readonly shrink?: number;
  /** Recency decay per history step of the query (see `historyWeights`). @default 0 */
  readonly recencyDecay?: number;
  /**
   * Most (item, user) postings read per query, newest history events first: bounds latency for long
   * histories of popular items, and what it cuts is the oldest, least weighted events. @default 20000
   */
  readonly maxPostings?: number;
}

interface Fitted {
  readonly userItems: Csr;
  readonly itemUsers: Csr;
  readonly userNorms: Float32Array;
}

/**
 * User-based collaborative filtering. Neighbours are always found from the query history (cosine with
 * shrinkage against every training user), so anonymous sessions and real-time events work like known users;
 * the query's own training row is skipped so a user is never their own neighbour.
 */
export class UserKnnScorer implements SparseScorer {
  readonly name = 'user-knn';
  readonly neighbours: number;
  readonly shrink: number;
  recencyDecay: number;
  readonly maxPostings: number;
  private fitted: Fitted | undefined;
  private readonly scratch = new SparseScores(0);
  // Per-query scratch, reused (the scorer serves one query at a time); `similarity` and `itemWeight` are
  // back to all zeros after each query, since a 0 there marks an entry the query has not reached yet.
  private similarity = new Float32Array(0);
  private touched = new Int32Array(0);
  private itemWeight = new Float64Array(0);
  private distinct = new Int32Array(0);
  private readonly heap: TopKHeap;
  private readonly rowStart: Int32Array;
  private readonly firstItem: Int32Array;

  constructor(options: UserKnnOptions = {}) {
    this.neighbours = options.neighbours ?? 50;
    this.shrink = options.shrink ?? 10;
    this.recencyDecay = options.recencyDecay ?? 0;
    this.maxPostings = options.maxPostings ?? 20_000;
    assertDecay(this.recencyDecay, 'UserKnnScorer');
    if (!(this.maxPostings >= 1))
      throw new RangeError(`UserKnnScorer: maxPostings must be >= 1, got ${this.maxPostings}`);
    if (!Number.isInteger(this.neighbours) || this.neighbours < 1)
      throw new RangeError(`UserKnnScorer: neighbours must be a positive integer, got ${this.neighbours}`);
    this.heap = new TopKHeap(this.neighbours);
    this.rowStart = new Int32Array(this.neighbours);
    this.firstItem = new Int32Array(this.neighbours);
  }

  fit(data: Dataset): void {
    this.use(userItemMatrix(data));
  }

  private use(userItems: Csr): void {
    this.fitted = { userItems, itemUsers: transpose(userItems), userNorms: rowNorms(userItems) };
    this.similarity = new Float32Array(userItems.rows);
    this.touched = new Int32Array(userItems.rows);
    this.itemWeight = new Float64Array(userItems.cols);
    this.distinct = new Int32Array(userItems.cols);
  }

  export(): ScorerState<UserKnnHeader> {
    if (!this.fitted) throw new NotFittedError('user-knn is not fitted');
    const { neighbours, shrink, recencyDecay, maxPostings } = this;
    return csrState({ neighbours, shrink, recencyDecay, maxPostings }, this.fitted.userItems);
  }

  static restore(state: ScorerState<UserKnnHeader>): UserKnnScorer {
    const scorer = new UserKnnScorer(state.header);
    scorer.use(csrFromState(state));
    return scorer;
  }

  scoreAll(query: ScoreQuery, out: Float32Array): void {
    scoreAllFromSparse(this, query, out, this.scratch);
  }

  /** Adds the items of the query's nearest users, each weighted by that user's similarity. */
  scoreSparse(query: ScoreQuery, into: SparseScores): void {
    if (!this.fitted) throw new NotFittedError('user-knn is not fitted');
    const { userItems } = this.fitted;
    if (into.size < userItems.cols)
      throw new RangeError(
        `UserKnnScorer.scoreSparse: scores must have size >= ${userItems.cols}, got ${into.size}`,
      );
    const heap = this.nearestUsers(query);
    const { indptr, indices } = userItems;
    const { rowStart, firstItem } = this;
    // Neighbours' rows lie scattered over the matrix. Reading where each starts, and its first item (a
    // neighbour shares an item, so its row is not empty), in a loop of their own lets those cache misses
    // overlap instead of stalling the adding loop one after another.
    for (let h = 0; h < heap.size; h++) {
      const start = indptr[heap.ids[h]!]!;
      rowStart[h] = start;
      firstItem[h] = indices[start]!;
    }
    for (let h = 0; h < heap.size; h++) {
      const s = heap.values[h]!;
      into.add(firstItem[h]!, s);
      for (let e = rowStart[h]! + 1; e < indptr[heap.ids[h]! + 1]!; e++) into.add(indices[e]!, s);
    }
  }

  /** The query's most similar users (cosine with shrinkage), in `this.heap`. */
  private nearestUsers(query: ScoreQuery): TopKHeap {
    const { itemUsers, userNorms } = this.fitted!;
    const { history } = query;
    const weights = historyWeights(history, this.recencyDecay);
    const { itemWeight, distinct } = this;
    // A history repeats items (a view, then a purchase): each item's events are summed first, so its
    // posting list is read once. The budget still counts every event, as if each read its list.
    let distinctCount = 0;
    let queryNorm = 0;
    let postings = 0;
    for (let p = history.items.length - 1; p >= 0 && postings < this.maxPostings; p--) {
      const item = history.items[p]!;
      if (item < 0 || item >= itemUsers.rows) continue;
      postings += itemUsers.indptr[item + 1]! - itemUsers.indptr[item]!;
      const w = weights[p]!;
      // A weight decayed to 0 adds nothing; skipping it keeps every summed weight positive, so 0 marks an
      // item (and below, a user) not seen yet.
      if (w === 0) continue;
      queryNorm += w * w;
      if (itemWeight[item] === 0) distinct[distinctCount++] = item;
      itemWeight[item]! += w;
    }
    queryNorm = Math.sqrt(queryNorm);

    const sim = this.similarity;
    const touched = this.touched;
    const { indptr, indices } = itemUsers;
    let touchedCount = 0;
    for (let d = 0; d < distinctCount; d++) {
      const item = distinct[d]!;
      const w = itemWeight[item]!;
      itemWeight[item] = 0;
      for (let e = indptr[item]!; e < indptr[item + 1]!; e++) {
        const u = indices[e]!;
        if (sim[u] === 0) touched[touchedCount++] = u;
        sim[u]! += w;
      }
    }

    const heap = this.heap;
    heap.reset();
    const { shrink } = this;
    const self = query.userIndex;
    // Once the heap is full, most users fall short of its minimum: `dot <= bar × denominator` says so with a
    // multiplication instead of a division. `bar` sits a hair below the minimum, far above rounding error,
    // so it only rejects users the heap would reject too.
    let bar = 0;
    for (let t = 0; t < touchedCount; t++) {
      const u = touched[t]!;
      const dot = sim[u]!;
      sim[u] = 0;
      const denominator = queryNorm * userNorms[u]! + shrink;
      if (dot <= bar * denominator || u === self) continue;
      const s = dot / denominator;
      if (s > 0 && heap.admits(u, s)) {
        heap.push(u, s);
        if (heap.size === heap.capacity) bar = heap.values[0]! * (1 - 1e-9);
      }
    }
    return heap;
  }
}

type UserKnnHeader = Required<UserKnnOptions> & { rows: number; cols: number };

export const userKnnAlgorithm: AlgorithmPlugin = {
  name: 'user-knn',
  create: (options) => new UserKnnScorer(options),
  restore: UserKnnScorer.restore,
  // 200 neighbours, the dearest to score, won one of the four MovieLens validation carves (ml-100k-notime,
  // 0.247 against 0.242 for 80: within noise) and lost the others (ml-100k 0.184 against 0.206 for 30).
  tuning: {
    full: [
      { neighbours: 30, shrink: 10 },
      { neighbours: 80, shrink: 10 },
    ],
    fast: [
      { neighbours: 30, shrink: 10 },
      { neighbours: 100, shrink: 10 },
    ],
    recencyDecay: true,
  },
};
