import type { ProgressReporter } from '../../core/progress.ts';
import type { Csr } from '../sparse/csr.ts';
import { transpose } from '../sparse/transpose.ts';
import { ColumnTopN, type SparseWeights } from './column-top-n.ts';
import { denseGram } from './linalg/dense-gram.ts';
import { invertSpdInPlace } from './linalg/spd-inverse.ts';

/**
 * Exact EASE (Steck 2019): B = I − P·diag(1/diag P) with P = (XᵀX + λI)⁻¹ and diag B = 0, each column of B
 * cut to its `keep` largest weights. P is formed in whichever space is smaller: items (invert the n × n
 * Gram) or users, through the push-through identity (XᵀX + λI)⁻¹ = (I − Xᵀ(XXᵀ + λI)⁻¹X)/λ, which gives
 * B[i][j] = p_i / (1 − p_j) for p = Xᵀ K x_j, K = (XXᵀ + λI)⁻¹ (the λ cancels). The user-space route is what
 * makes EASE cheap on catalogues wider than their audience (ml-latest-small: 610 users, 8k+ items).
 */
export function easeExact(
  userItems: Csr,
  lambda: number,
  keep: number,
  progress?: ProgressReporter,
): SparseWeights {
  return exactSpace(userItems) === 'items'
    ? easeInItemSpace(userItems, lambda, keep, progress)
    : easeInUserSpace(userItems, lambda, keep, progress);
}

/** The size of the dense matrix `easeExact` inverts: the smaller of users and items (see `exactSpace`). */
export function exactDenseSize(userItems: Csr): number {
  return exactSpace(userItems) === 'items' ? userItems.cols : userItems.rows;
}

/**
 * Multiply-adds of each route: the inverse costs d³ in its space d; the user route also pays m·nnz to form
 * K·x_j and n·nnz to form Xᵀ(K·x_j) over all columns.
 */
export function exactSpace(userItems: Csr): 'items' | 'users' {
  const m = userItems.rows;
  const n = userItems.cols;
  const nnz = userItems.indices.length;
  return n ** 3 <= m ** 3 + (m + n) * nnz ? 'items' : 'users';
}

export function easeInItemSpace(
  userItems: Csr,
  lambda: number,
  keep: number,
  progress?: ProgressReporter,
): SparseWeights {
  const n = userItems.cols;
  progress?.start('ease inverse', 1);
  const p = denseGram(userItems, lambda);
  invertSpdInPlace(p, n);
  progress?.stop();
  const columns = new ColumnTopN(n, keep);
  for (let j = 0; j < n; j++) {
    // P is symmetric: row j is column j, contiguous.
    const row = j * n;
    columns.addColumn(j, p, n, { offset: row, scale: -1 / p[row + j]! });
  }
  return columns.finish();
}

/** Columns handled per sweep over the item → users lists: each index read serves this many columns. */
const BLOCK = 8;

/**
 * p[i·BLOCK + b] = Σ_{u ∈ users(i)} y[u·BLOCK + b]: the BLOCK sums live in locals, so each user costs BLOCK
 * loads and adds and no stores.
 */
function gatherBlock(itemUsers: Csr, y: Float64Array, p: Float64Array): void {
  const { indptr, indices } = itemUsers;
  for (let i = 0; i < itemUsers.rows; i++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    const end = indptr[i + 1]!;
    for (let e = indptr[i]!; e < end; e++) {
      const f = indices[e]! * BLOCK;
      s0 += y[f]!;
      s1 += y[f + 1]!;
      s2 += y[f + 2]!;
      s3 += y[f + 3]!;
      s4 += y[f + 4]!;
      s5 += y[f + 5]!;
      s6 += y[f + 6]!;
      s7 += y[f + 7]!;
    }
    const o = i * BLOCK;
    p[o] = s0;
    p[o + 1] = s1;
    p[o + 2] = s2;
    p[o + 3] = s3;
    p[o + 4] = s4;
    p[o + 5] = s5;
    p[o + 6] = s6;
    p[o + 7] = s7;
  }
}

/** Xᵀ and K = (XXᵀ + λI)⁻¹ (users × users, row-major, symmetric): what every user-space route starts from. */
export function userSpaceInverse(
  userItems: Csr,
  lambda: number,
  progress?: ProgressReporter,
): { itemUsers: Csr; inverse: Float64Array } {
  const itemUsers = transpose(userItems);
  progress?.start('ease inverse', 1);
  const inverse = denseGram(itemUsers, lambda);
  invertSpdInPlace(inverse, userItems.rows);
  progress?.stop();
  return { itemUsers, inverse };
}

export function easeInUserSpace(
  userItems: Csr,
  lambda: number,
  keep: number,
  progress?: ProgressReporter,
): SparseWeights {
  const m = userItems.rows;
  const n = userItems.cols;
  const { itemUsers, inverse: k } = userSpaceInverse(userItems, lambda, progress);

  const { indptr, indices } = itemUsers;
  const columns = new ColumnTopN(n, keep);
  const kx = new Float64Array(BLOCK * m);
  const byUser = new Float64Array(m * BLOCK);
  const p = new Float64Array(n * BLOCK);
  progress?.start('ease columns', n);
  for (let j0 = 0; j0 < n; j0 += BLOCK) {
    const width = Math.min(BLOCK, n - j0);
    // K·x_j as rows of kx (K is symmetric, so its row u is its column u).
    kx.fill(0);
    for (let b = 0; b < width; b++) {
      const out = b * m;
      for (let e = indptr[j0 + b]!; e < indptr[j0 + b + 1]!; e++) {
        const row = indices[e]! * m;
        for (let v = 0; v < m; v++) kx[out + v]! += k[row + v]!;
      }
    }
    // A short last block leaves its unused columns 0.
    for (let v = 0; v < m; v++) for (let b = 0; b < BLOCK; b++) byUser[v * BLOCK + b] = kx[b * m + v]!;
    // p = Xᵀ·(K·x_j): item i gathers over its users, BLOCK columns at once.
    gatherBlock(itemUsers, byUser, p);
    for (let b = 0; b < width; b++) {
      const j = j0 + b;
      // An item nobody interacted with predicts nothing and is predicted by nothing.
      if (indptr[j + 1] === indptr[j]) continue;
      columns.addColumn(j, p, n, { offset: b, stride: BLOCK, scale: 1 / (1 - p[j * BLOCK + b]!) });
    }
    progress?.update(j0 + width);
  }
  progress?.stop();
  return columns.finish();
}
