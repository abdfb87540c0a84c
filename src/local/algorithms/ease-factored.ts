import type { ProgressReporter } from '../../core/progress.ts';
import type { History } from '../model/types.ts';
import type { Csr } from '../sparse/csr.ts';
import { userSpaceInverse } from './ease-exact.ts';
import { historyWeights } from './history-weights.ts';

/**
 * Exact EASE kept in user space, never as an item × item matrix: with K = (XXᵀ + λI)⁻¹ and M = XᵀKX, EASE's
 * weights are B[i][j] = M[i][j] / (1 − M[j][j]) off the diagonal (see `easeInUserSpace`), so a history h
 * scores s_j = ((Xᵀ·Σ_{i∈h} h_i·Kx_i)_j − h_j·M[j][j]) / (1 − M[j][j]): add each history item's Kx_i, then
 * scatter back over every item's users. Fitting is the inverse and the Kx_i (ml-latest-small, 610 users:
 * 0.3 s where the columns of B took 3.3 s more), the model holds the Kx_i instead of B's kept columns
 * (24 MB against 39 MB there), and no weight is cut: keeping B's 500 largest per column cost ~1% NDCG@10
 * there. A dense query costs |h|·users + interactions multiply-adds (ml-latest-small: ~0.3 ms).
 */
export interface FactoredEase {
  /** Row i is K·x_i (items × users, row-major): what history item i adds to the users' side. */
  readonly itemInverse: Float32Array;
  /** Xᵀ (binary): per item, the users who interacted with it. */
  readonly itemUsers: Csr;
  /** Per item j, M[j][j] (in [0, 1): M's eigenvalues are σ²/(σ² + λ)). */
  readonly diagonal: Float32Array;
}

/** Cells of a factored model's `itemInverse`: items × users. */
export function factoredCells(userItems: Csr): number {
  return userItems.rows * userItems.cols;
}

export function factorEase(userItems: Csr, lambda: number, progress?: ProgressReporter): FactoredEase {
  const users = userItems.rows;
  const { itemUsers, inverse: k } = userSpaceInverse(userItems, lambda, progress);
  const { indptr, indices } = itemUsers;
  const items = itemUsers.rows;
  const itemInverse = new Float32Array(items * users);
  const diagonal = new Float32Array(items);
  const column = new Float64Array(users);
  for (let j = 0; j < items; j++) {
    column.fill(0);
    // K is symmetric: K·x_j is the sum of K's rows at item j's users.
    for (let a = indptr[j]!; a < indptr[j + 1]!; a++) {
      const row = indices[a]! * users;
      for (let u = 0; u < users; u++) column[u]! += k[row + u]!;
    }
    let own = 0;
    for (let a = indptr[j]!; a < indptr[j + 1]!; a++) own += column[indices[a]!]!;
    diagonal[j] = own;
    itemInverse.set(column, j * users);
  }
  return { itemInverse, itemUsers, diagonal };
}

/** Per-query scratch of `scoreFactored` and `scoreFactoredEach`, sized once per scorer. */
export class FactoredScratch {
  /** One users-side vector per query of a batch of four. */
  readonly products: readonly Float64Array[];
  weights = new Float32Array(0);

  constructor(users: number) {
    this.products = Array.from({ length: 4 }, () => new Float64Array(users));
  }
}

/**
 * Writes the history's EASE scores for every fitted item into `out` (items beyond them 0). History items
 * unknown to the model are skipped, as the item × item route skips rows it lacks.
 */
export function scoreFactored(
  model: FactoredEase,
  history: History,
  decay: number,
  out: Float32Array,
  scratch: FactoredScratch,
): void {
  const { indptr, indices } = model.itemUsers;
  const { diagonal } = model;
  const product = gather(model, history, decay, scratch, 0);
  for (let j = 0; j < diagonal.length; j++) {
    let sum = 0;
    for (let e = indptr[j]!; e < indptr[j + 1]!; e++) sum += product[indices[e]!]!;
    out[j] = sum / (1 - diagonal[j]!);
  }
  finish(model, history, decay, out, scratch);
}

/**
 * `scoreFactored` of each history into the row of the same index, four at a time: each item's users are read
 * once for the four (the same sums in the same order, so the same scores). Scattering over every item's
 * users is half of a query's work on ml-latest-small.
 */
export function scoreFactoredEach(
  model: FactoredEase,
  histories: readonly History[],
  decay: number,
  rows: readonly Float32Array[],
  scratch: FactoredScratch,
): void {
  const { indptr, indices } = model.itemUsers;
  const { diagonal } = model;
  for (let q0 = 0; q0 < histories.length; q0 += 4) {
    if (histories.length - q0 < 4) {
      for (let q = q0; q < histories.length; q++)
        scoreFactored(model, histories[q]!, decay, rows[q]!, scratch);
      return;
    }
    const [p0, p1, p2, p3] = [0, 1, 2, 3].map((b) => gather(model, histories[q0 + b]!, decay, scratch, b));
    const [r0, r1, r2, r3] = [rows[q0]!, rows[q0 + 1]!, rows[q0 + 2]!, rows[q0 + 3]!];
    for (let j = 0; j < diagonal.length; j++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let e = indptr[j]!; e < indptr[j + 1]!; e++) {
        const u = indices[e]!;
        s0 += p0![u]!;
        s1 += p1![u]!;
        s2 += p2![u]!;
        s3 += p3![u]!;
      }
      const keep = 1 - diagonal[j]!;
      r0[j] = s0 / keep;
      r1[j] = s1 / keep;
      r2[j] = s2 / keep;
      r3[j] = s3 / keep;
    }
    for (let b = 0; b < 4; b++) finish(model, histories[q0 + b]!, decay, rows[q0 + b]!, scratch);
  }
}

/** Σ_{i∈h} h_i·Kx_i into the scratch's `slot`-th users-side vector. */
function gather(
  model: FactoredEase,
  history: History,
  decay: number,
  scratch: FactoredScratch,
  slot: number,
): Float64Array {
  const { itemInverse, itemUsers } = model;
  const items = itemUsers.rows;
  const users = itemUsers.cols;
  const product = scratch.products[slot]!;
  const weights = historyWeightsOf(history, decay, scratch);
  product.fill(0);
  for (let p = 0; p < history.items.length; p++) {
    const item = history.items[p]!;
    if (item < 0 || item >= items) continue;
    const w = weights[p]!;
    const row = item * users;
    for (let u = 0; u < users; u++) product[u]! += w * itemInverse[row + u]!;
  }
  return product;
}

/** B's diagonal is 0 (a history item does not predict itself); items beyond the model's score 0. */
function finish(
  model: FactoredEase,
  history: History,
  decay: number,
  out: Float32Array,
  scratch: FactoredScratch,
): void {
  const { diagonal } = model;
  const items = diagonal.length;
  const weights = historyWeightsOf(history, decay, scratch);
  for (let p = 0; p < history.items.length; p++) {
    const item = history.items[p]!;
    if (item < 0 || item >= items) continue;
    out[item]! -= (weights[p]! * diagonal[item]!) / (1 - diagonal[item]!);
  }
  out.fill(0, items);
}

function historyWeightsOf(history: History, decay: number, scratch: FactoredScratch): Float32Array {
  if (scratch.weights.length < history.items.length) scratch.weights = new Float32Array(history.items.length);
  return historyWeights(history, decay, scratch.weights);
}
