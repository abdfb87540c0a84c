import type { Csr } from '../../sparse/csr.ts';

/**
 * AᵀA + ridge·I as a dense row-major Float64Array (cols × cols, both triangles) from a sparse A: each row adds
 * the outer product of its entries, so the cost is Σ (row length)², not rows × cols².
 */
export function denseGram(a: Csr, ridge: number): Float64Array {
  const n = a.cols;
  const g = new Float64Array(n * n);
  const { indptr, indices, data } = a;
  for (let r = 0; r < a.rows; r++) {
    const end = indptr[r + 1]!;
    for (let e = indptr[r]!; e < end; e++) {
      // Columns ascend within a row, so (p, q) with q ≤ p lands in the lower triangle.
      const row = indices[e]! * n;
      const v = data[e]!;
      for (let f = indptr[r]!; f <= e; f++) g[row + indices[f]!]! += v * data[f]!;
    }
  }
  for (let i = 0; i < n; i++) {
    g[i * n + i]! += ridge;
    for (let j = 0; j < i; j++) g[j * n + i] = g[i * n + j]!;
  }
  return g;
}
