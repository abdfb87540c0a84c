import { NotFittedError } from '../../errors.ts';
import type { Dataset } from '../data/types.ts';
import type { ScoreQuery } from '../model/types.ts';
import type { Csr } from '../sparse/csr.ts';
import { rowNorms } from '../sparse/normalize-rows.ts';
import { SparseScores } from '../sparse/sparse-scores.ts';
import { TopKHeap } from '../sparse/top-k-heap.ts';
import { transpose } from '../sparse/transpose.ts';
import { assertDecay, historyWeights } from './history-weights.ts';
import { userItemMatrix } from './interaction-matrix.ts';
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
  private similarity = new Float32Array(0);
  private touched = new Int32Array(0);
  private readonly heap: TopKHeap;

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
  }

  fit(data: Dataset): void {
    this.use(userItemMatrix(data));
  }

  private use(userItems: Csr): void {
    this.fitted = { userItems, itemUsers: transpose(userItems), userNorms: rowNorms(userItems) };
    this.similarity = new Float32Array(userItems.rows);
    this.touched = new Int32Array(userItems.rows);
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
    const { userItems, itemUsers, userNorms } = this.fitted;
    if (into.size < userItems.cols)
      throw new RangeError(
        `UserKnnScorer.scoreSparse: scores must have size >= ${userItems.cols}, got ${into.size}`,
      );
    const { history } = query;
    const weights = historyWeights(history, this.recencyDecay);
    const sim = this.similarity;
    const touched = this.touched;
    const { indptr, indices } = itemUsers;
    let touchedCount = 0;
    let queryNorm = 0;
    let postings = 0;
    for (let p = history.items.length - 1; p >= 0 && postings < this.maxPostings; p--) {
      const item = history.items[p]!;
      if (item < 0 || item >= itemUsers.rows) continue;
      const start = indptr[item]!;
      const end = indptr[item + 1]!;
      postings += end - start;
      const w = weights[p]!;
      // A weight decayed to 0 adds nothing; skipping it keeps every added weight positive, so a similarity
      // still 0 marks a user's first touch.
      if (w === 0) continue;
      queryNorm += w * w;
      for (let e = start; e < end; e++) {
        const u = indices[e]!;
        if (sim[u] === 0) touched[touchedCount++] = u;
        sim[u]! += w;
      }
    }
    queryNorm = Math.sqrt(queryNorm);

    const heap = this.heap;
    heap.reset();
    const { shrink } = this;
    const self = query.userIndex;
    for (let t = 0; t < touchedCount; t++) {
      const u = touched[t]!;
      const s = sim[u]! / (queryNorm * userNorms[u]! + shrink);
      sim[u] = 0;
      if (s > 0 && u !== self && heap.admits(s)) heap.push(u, s);
    }

    for (let h = 0; h < heap.size; h++) {
      const u = heap.ids[h]!;
      const s = heap.values[h]!;
      for (let e = userItems.indptr[u]!; e < userItems.indptr[u + 1]!; e++)
        into.add(userItems.indices[e]!, s);
    }
  }
}

type UserKnnHeader = Required<UserKnnOptions> & { rows: number; cols: number };
