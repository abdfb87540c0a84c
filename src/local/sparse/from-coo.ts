import { assertCsr, type Csr } from './csr.ts';

/**
 * Builds a CSR matrix from coordinate triples, summing duplicates (same row and column). Two stable counting
 * sorts — by column, then by row — leave every row's columns ascending in O(nnz + rows + cols) with no
 * comparator calls. `values` defaults to all ones.
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
  const rowStart = new Int32Array(rows + 1);
  const colStart = new Int32Array(cols + 1);
  for (let e = 0; e < n; e++) {
    const r = rowIndex[e]!;
    const c = colIndex[e]!;
    if (r < 0 || r >= rows || c < 0 || c >= cols)
      throw new RangeError(`fromCoo: entry ${e} at (${r}, ${c}) is outside the ${rows}x${cols} shape`);
    rowStart[r + 1]!++;
    colStart[c + 1]!++;
  }
  for (let r = 0; r < rows; r++) rowStart[r + 1]! += rowStart[r]!;
  for (let c = 0; c < cols; c++) colStart[c + 1]! += colStart[c]!;

  const byCol = new Int32Array(n);
  for (let e = 0; e < n; e++) byCol[colStart[colIndex[e]!]!++] = e;
  const fill = rowStart.slice(0, rows);
  const byRow = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const e = byCol[i]!;
    byRow[fill[rowIndex[e]!]!++] = e;
  }

  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(n);
  const data = new Float32Array(n);
  let out = 0;
  for (let r = 0; r < rows; r++) {
    let last = -1;
    for (let i = rowStart[r]!; i < rowStart[r + 1]!; i++) {
      const e = byRow[i]!;
      const c = colIndex[e]!;
      const v = values === undefined ? 1 : values[e]!;
      if (c === last) {
        data[out - 1]! += v;
      } else {
        indices[out] = c;
        data[out] = v;
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
