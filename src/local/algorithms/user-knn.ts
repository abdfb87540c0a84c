import { NotFittedError } from '../../errors.ts';
import type { Dataset } from '../data/types.ts';
import type { ScoreQuery, Scorer } from '../model/types.ts';
import type { Csr } from '../sparse/csr.ts';
import { rowNorms } from '../sparse/normalize-rows.ts';
import { TopKHeap } from '../sparse/top-k-heap.ts';
import { transpose } from '../sparse/transpose.ts';
import { assertDecay, historyWeights } from './history-weights.ts';
import { userItemMatrix } from './interaction-matrix.ts';
import { csrFromState, csrState, type ScorerState } from './scorer-state.ts';

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
export class UserKnnScorer implements Scorer {
  readonly name = 'user-knn';
  readonly neighbours: number;
  readonly shrink: number;
  recencyDecay: number;
  readonly maxPostings: number;
  private fitted: Fitted | undefined;
  private similarity = new Float32Array(0);
  private touched = new Int32Array(0);
  private seen = new Uint8Array(0);
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
    this.seen = new Uint8Array(userItems.rows);
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
    if (!this.fitted) throw new NotFittedError('user-knn is not fitted');
    const { userItems, itemUsers, userNorms } = this.fitted;
    if (out.length !== userItems.cols)
      throw new RangeError(
        `UserKnnScorer.scoreAll: out must have length ${userItems.cols}, got ${out.length}`,
      );
    out.fill(0);
    const { history } = query;
    const weights = historyWeights(history, this.recencyDecay);
    const sim = this.similarity;
    const touched = this.touched;
    const seen = this.seen;
    let touchedCount = 0;
    let queryNorm = 0;
    let postings = 0;
    for (let p = history.items.length - 1; p >= 0 && postings < this.maxPostings; p--) {
      const item = history.items[p]!;
      if (item < 0 || item >= itemUsers.rows) continue;
      postings += itemUsers.indptr[item + 1]! - itemUsers.indptr[item]!;
      const w = weights[p]!;
      queryNorm += w * w;
      for (let e = itemUsers.indptr[item]!; e < itemUsers.indptr[item + 1]!; e++) {
        const u = itemUsers.indices[e]!;
        if (seen[u] === 0) {
          seen[u] = 1;
          touched[touchedCount++] = u;
        }
        sim[u]! += w;
      }
    }
    queryNorm = Math.sqrt(queryNorm);

    const heap = this.heap;
    heap.reset();
    for (let t = 0; t < touchedCount; t++) {
      const u = touched[t]!;
      const s = sim[u]! / (queryNorm * userNorms[u]! + this.shrink);
      sim[u] = 0;
      seen[u] = 0;
      if (u !== query.userIndex && s > 0) heap.push(u, s);
    }

    for (let h = 0; h < heap.size; h++) {
      const u = heap.ids[h]!;
      const s = heap.values[h]!;
      for (let e = userItems.indptr[u]!; e < userItems.indptr[u + 1]!; e++) out[userItems.indices[e]!]! += s;
    }
  }
}

type UserKnnHeader = Required<UserKnnOptions> & { rows: number; cols: number };
