import { assertCsr, type Csr } from './csr.ts';

/** Aᵀ in CSR form; columns stay ascending within each output row because input rows are scanned in order. */
export function transpose(a: Csr): Csr {
  assertCsr(a, 'transpose');
  const nnz = a.indices.length;
  const indptr = new Int32Array(a.cols + 1);
  for (let e = 0; e < nnz; e++) indptr[a.indices[e]! + 1]!++;
  for (let c = 0; c < a.cols; c++) indptr[c + 1]! += indptr[c]!;
  const fill = indptr.slice(0, a.cols);
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  for (let r = 0; r < a.rows; r++) {
    for (let e = a.indptr[r]!; e < a.indptr[r + 1]!; e++) {
      const slot = fill[a.indices[e]!]!++;
      indices[slot] = r;
      data[slot] = a.data[e]!;
    }
  }
  return { rows: a.cols, cols: a.rows, indptr, indices, data };
}
