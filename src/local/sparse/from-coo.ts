import { assertCsr, type Csr } from './csr.ts';

/**
 * Builds a CSR matrix from coordinate triples: entries are bucketed by row (counting sort), sorted by column
 * within each row, and duplicates (same row and column) are summed. `values` defaults to all ones.
 */
export function fromCoo(
  rows: number,
  cols: number,
  rowIndex: Int32Array,
  colIndex: Int32Array,
  values?: Float32Array,
): Csr {
  const n = rowIndex.length;
  if (colIndex.length !== n || (values !== undefined && values.length !== n))
    throw new RangeError(
      `fromCoo: rowIndex, colIndex and values must have equal lengths, got ${n}, ${colIndex.length}, ${values?.length}`,
    );
  const counts = new Int32Array(rows + 1);
  for (let e = 0; e < n; e++) {
    const r = rowIndex[e]!;
    const c = colIndex[e]!;
    if (r < 0 || r >= rows || c < 0 || c >= cols)
      throw new RangeError(`fromCoo: entry ${e} at (${r}, ${c}) is outside the ${rows}x${cols} shape`);
    counts[r + 1]!++;
  }
  for (let r = 0; r < rows; r++) counts[r + 1]! += counts[r]!;
  const fill = counts.slice(0, rows);
  const bucketCols = new Int32Array(n);
  const bucketValues = new Float32Array(n);
  for (let e = 0; e < n; e++) {
    const slot = fill[rowIndex[e]!]!++;
    bucketCols[slot] = colIndex[e]!;
    bucketValues[slot] = values === undefined ? 1 : values[e]!;
  }

  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(n);
  const data = new Float32Array(n);
  let order = new Int32Array(0);
  let out = 0;
  for (let r = 0; r < rows; r++) {
    const start = counts[r]!;
    const end = counts[r + 1]!;
    const len = end - start;
    if (order.length < len) order = new Int32Array(Math.max(len, order.length * 2));
    const view = order.subarray(0, len);
    for (let i = 0; i < len; i++) view[i] = start + i;
    view.sort((a, b) => bucketCols[a]! - bucketCols[b]! || a - b);
    let last = -1;
    for (let i = 0; i < len; i++) {
      const slot = view[i]!;
      const c = bucketCols[slot]!;
      if (c === last) {
        data[out - 1]! += bucketValues[slot]!;
      } else {
        indices[out] = c;
        data[out] = bucketValues[slot]!;
        out++;
        last = c;
      }
    }
    indptr[r + 1] = out;
  }
  const m: Csr = { rows, cols, indptr, indices: indices.slice(0, out), data: data.slice(0, out) };
  assertCsr(m, 'fromCoo');
  return m;
}
