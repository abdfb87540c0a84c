/**
 * Compressed sparse row matrix over typed arrays: row r holds columns `indices[indptr[r]..indptr[r+1])` with
 * values `data[...]`, columns ascending within a row. Every sparse operation of the local engine reads and
 * writes this one shape, so no per-entry objects exist on hot paths.
 */
export interface Csr {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float32Array;
}

/** Throws a RangeError naming `fn` unless `m` is a structurally valid CSR matrix. */
export function assertCsr(m: Csr, fn: string): void {
  if (!Number.isInteger(m.rows) || m.rows < 0 || !Number.isInteger(m.cols) || m.cols < 0)
    throw new RangeError(`${fn}: shape must be non-negative integers, got ${m.rows}x${m.cols}`);
  if (m.indptr.length !== m.rows + 1)
    throw new RangeError(`${fn}: indptr length must be rows + 1 = ${m.rows + 1}, got ${m.indptr.length}`);
  const nnz = m.indptr[m.rows]!;
  if (m.indptr[0] !== 0 || nnz !== m.indices.length || nnz !== m.data.length)
    throw new RangeError(
      `${fn}: indptr must run from 0 to nnz, with indices and data of length nnz (got ${m.indptr[0]}..${nnz}, ${m.indices.length}, ${m.data.length})`,
    );
}
