import type { Csr } from '../../sparse/index.ts';

/**
 * Growing a CSR matrix by one item at a time (PutItems of a cold item). The new item always takes the next
 * index, so its entries go at the end of each row and columns stay ascending without re-sorting.
 */

/** `m` with one more row (entries `indices`/`data`, columns ascending) and `cols` columns. */
export function withAppendedRow(m: Csr, indices: Int32Array, data: Float32Array, cols: number): Csr {
  const nnz = m.indices.length;
  const indptr = new Int32Array(m.rows + 2);
  indptr.set(m.indptr);
  indptr[m.rows + 1] = nnz + indices.length;
  const nextIndices = new Int32Array(nnz + indices.length);
  nextIndices.set(m.indices);
  nextIndices.set(indices, nnz);
  const nextData = new Float32Array(nnz + data.length);
  nextData.set(m.data);
  nextData.set(data, nnz);
  return { rows: m.rows + 1, cols, indptr, indices: nextIndices, data: nextData };
}

/** `m` with one more column (index `m.cols`) holding `values` in the ascending `rows`. */
export function withAppendedColumn(m: Csr, rows: Int32Array, values: Float32Array): Csr {
  const nnz = m.indices.length;
  const indptr = new Int32Array(m.rows + 1);
  const indices = new Int32Array(nnz + rows.length);
  const data = new Float32Array(nnz + rows.length);
  let out = 0;
  let next = 0;
  for (let r = 0; r < m.rows; r++) {
    const start = m.indptr[r]!;
    const end = m.indptr[r + 1]!;
    indices.set(m.indices.subarray(start, end), out);
    data.set(m.data.subarray(start, end), out);
    out += end - start;
    if (next < rows.length && rows[next] === r) {
      indices[out] = m.cols;
      data[out] = values[next]!;
      out++;
      next++;
    }
    indptr[r + 1] = out;
  }
  return { rows: m.rows, cols: m.cols + 1, indptr, indices, data };
}
