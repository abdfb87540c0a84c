import { assertCsr, type Csr } from './csr.ts';

export type RowNorm = 'l1' | 'l2';

/** A copy of `a` with every non-empty row scaled to unit L1 or L2 norm; empty rows stay empty. */
export function normalizeRows(a: Csr, norm: RowNorm): Csr {
  assertCsr(a, 'normalizeRows');
  const data = new Float32Array(a.data.length);
  for (let r = 0; r < a.rows; r++) {
    const start = a.indptr[r]!;
    const end = a.indptr[r + 1]!;
    let total = 0;
    for (let e = start; e < end; e++) {
      const v = a.data[e]!;
      total += norm === 'l1' ? Math.abs(v) : v * v;
    }
    const scale = total > 0 ? 1 / (norm === 'l1' ? total : Math.sqrt(total)) : 0;
    for (let e = start; e < end; e++) data[e] = a.data[e]! * scale;
  }
  return { rows: a.rows, cols: a.cols, indptr: a.indptr.slice(), indices: a.indices.slice(), data };
}

/** Per-row L2 norms. */
export function rowNorms(a: Csr): Float32Array {
  assertCsr(a, 'rowNorms');
  const norms = new Float32Array(a.rows);
  for (let r = 0; r < a.rows; r++) {
    let total = 0;
    for (let e = a.indptr[r]!; e < a.indptr[r + 1]!; e++) total += a.data[e]! * a.data[e]!;
    norms[r] = Math.sqrt(total);
  }
  return norms;
}
