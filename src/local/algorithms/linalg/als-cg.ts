import { addScaledRow, matVec, rowDot } from './dense.ts';

/**
 * One half-iteration of implicit ALS: the rows of `target` are solved against the fixed factors `fixed`.
 * Row u minimises Σᵢ cᵤᵢ(pᵤᵢ − xᵤ·yᵢ)² + λ‖xᵤ‖² over all columns i, with preference 1 and confidence
 * cᵤᵢ = 1 + alpha·rᵤᵢ on the row's nonzeros and preference 0, confidence 1 elsewhere (Hu, Koren, Volinsky
 * 2008). Plain arrays or SharedArrayBuffer views: worker threads receive this object as is.
 */
export interface AlsHalf {
  /** The rows' nonzeros as CSR (row → columns of `fixed`, values r). */
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
  /** rows × factors, updated in place (its current values warm-start the solve). */
  readonly target: Float32Array;
  /** columns × factors, read only. */
  readonly fixed: Float32Array;
  /** factors × factors: fixedᵀ·fixed + λI. */
  readonly gram: Float64Array;
  readonly rows: number;
  readonly factors: number;
  readonly alpha: number;
  readonly cgSteps: number;
}

/** Scratch of `solveRows` for k factors: allocated once per thread, never per row. */
export function cgScratch(k: number): Float64Array {
  return new Float64Array(4 * k);
}

// Below this squared residual the row has converged; another step would divide by ~0.
const CONVERGED = 1e-20;

/**
 * Conjugate-gradient solve of rows [from, to): `cgSteps` steps from the row's current factors, as `implicit`'s
 * cg solver does. The system matrix Gram + Σᵢ alpha·rᵢ·yᵢyᵢᵀ is never formed: each product with it costs
 * k² + 2k·nnz. Rows without nonzeros solve to exactly 0. Each row depends only on `fixed` and `gram`, so any
 * split of the rows over threads yields the same factors bit for bit.
 */
export function solveRows(half: AlsHalf, from: number, to: number, scratch: Float64Array): void {
  const { indptr, indices, values, target, fixed, gram, factors: k, alpha, cgSteps } = half;
  const x = scratch.subarray(0, k);
  const r = scratch.subarray(k, 2 * k);
  const p = scratch.subarray(2 * k, 3 * k);
  const ap = scratch.subarray(3 * k, 4 * k);
  for (let u = from; u < to; u++) {
    const start = indptr[u]!;
    const end = indptr[u + 1]!;
    const base = u * k;
    if (start === end) {
      target.fill(0, base, base + k);
      continue;
    }
    for (let a = 0; a < k; a++) x[a] = target[base + a]!;
    // r = b − A·x with b = Σ cᵢyᵢ: −Gram·x, then per nonzero (cᵢ − (cᵢ − 1)·yᵢ·x)·yᵢ.
    matVec(gram, x, k, r);
    for (let a = 0; a < k; a++) r[a] = -r[a]!;
    for (let j = start; j < end; j++) {
      const i = indices[j]!;
      const extra = alpha * values[j]!;
      addScaledRow(fixed, i, 1 + extra - extra * rowDot(fixed, i, x, k), k, r);
    }
    let rs = 0;
    for (let a = 0; a < k; a++) {
      p[a] = r[a]!;
      rs += r[a]! * r[a]!;
    }
    for (let step = 0; step < cgSteps && rs >= CONVERGED; step++) {
      matVec(gram, p, k, ap);
      for (let j = start; j < end; j++) {
        const i = indices[j]!;
        addScaledRow(fixed, i, alpha * values[j]! * rowDot(fixed, i, p, k), k, ap);
      }
      let pAp = 0;
      for (let a = 0; a < k; a++) pAp += p[a]! * ap[a]!;
      const stepSize = rs / pAp;
      let rsNew = 0;
      for (let a = 0; a < k; a++) {
        x[a]! += stepSize * p[a]!;
        r[a]! -= stepSize * ap[a]!;
        rsNew += r[a]! * r[a]!;
      }
      const beta = rsNew / rs;
      for (let a = 0; a < k; a++) p[a] = r[a]! + beta * p[a]!;
      rs = rsNew;
    }
    for (let a = 0; a < k; a++) target[base + a] = x[a]!;
  }
}
