import { TopKHeap } from '../../core/top-k-heap.ts';
import { assertCsr, type Csr } from './csr.ts';

export interface TopKProductOptions {
  /** Entries kept per output row (the largest positive ones). */
  readonly k: number;
  /**
   * Cosine-style denominators: entry (i, j) is divided by `rowNorms[i] * colNorms[j] + shrink`.
   * Both or neither must be given.
   */
  readonly rowNorms?: Float32Array;
  readonly colNorms?: Float32Array;
  /** Added to the denominator; damps similarities supported by few co-occurrences. @default 0 */
  readonly shrink?: number;
  /** Multiplies entry (i, j) by `colScale[j]` (e.g. RP3beta's popularity penalty). */
  readonly colScale?: Float32Array;
  /** Drops entry (i, i) of a square product (an item is not its own neighbour). @default false */
  readonly skipDiagonal?: boolean;
  /** Called every few hundred rows with the number of rows done. */
  readonly onRows?: (done: number) => void;
}

/**
 * Row-wise top-k of A × B: each output row is accumulated densely over the touched columns only, scaled as
 * the options say, and reduced to its k largest positive entries (ties to the smaller column; stored columns
 * ascending). Memory stays O(rows × k) however dense the full product would be, which is what item-item
 * similarity needs.
 */
export function topKProduct(a: Csr, b: Csr, options: TopKProductOptions): Csr {
  assertCsr(a, 'topKProduct');
  assertCsr(b, 'topKProduct');
  const { k, rowNorms, colNorms, colScale } = options;
  const shrink = options.shrink ?? 0;
  if (a.cols !== b.rows)
    throw new RangeError(`topKProduct: cannot multiply ${a.rows}x${a.cols} by ${b.rows}x${b.cols}`);
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`topKProduct: k must be a positive integer, got ${k}`);
  if ((rowNorms === undefined) !== (colNorms === undefined))
    throw new RangeError('topKProduct: rowNorms and colNorms must be given together');
  if (rowNorms && rowNorms.length !== a.rows)
    throw new RangeError(`topKProduct: rowNorms must have length ${a.rows}, got ${rowNorms.length}`);
  if (colNorms && colNorms.length !== b.cols)
    throw new RangeError(`topKProduct: colNorms must have length ${b.cols}, got ${colNorms.length}`);
  if (colScale && colScale.length !== b.cols)
    throw new RangeError(`topKProduct: colScale must have length ${b.cols}, got ${colScale.length}`);
  if (!(shrink >= 0)) throw new RangeError(`topKProduct: shrink must be >= 0, got ${shrink}`);

  const acc = new Float32Array(b.cols);
  const touched = new Int32Array(b.cols);
  const isTouched = new Uint8Array(b.cols);
  const heap = new TopKHeap(k);
  const heapCols = heap.ids;
  const heapValues = heap.values;
  const indptr = new Int32Array(a.rows + 1);
  let indices = new Int32Array(Math.min(a.rows * k, 1 << 20));
  let data = new Float32Array(indices.length);
  let nnz = 0;

  for (let i = 0; i < a.rows; i++) {
    let touchedCount = 0;
    for (let e = a.indptr[i]!; e < a.indptr[i + 1]!; e++) {
      const mid = a.indices[e]!;
      const av = a.data[e]!;
      for (let f = b.indptr[mid]!; f < b.indptr[mid + 1]!; f++) {
        const j = b.indices[f]!;
        if (isTouched[j] === 0) {
          isTouched[j] = 1;
          touched[touchedCount++] = j;
        }
        acc[j]! += av * b.data[f]!;
      }
    }

    heap.reset();
    const rowNorm = rowNorms ? rowNorms[i]! : 0;
    for (let t = 0; t < touchedCount; t++) {
      const j = touched[t]!;
      let v = acc[j]!;
      acc[j] = 0;
      isTouched[j] = 0;
      if (options.skipDiagonal && j === i) continue;
      if (colNorms) {
        const denominator = rowNorm * colNorms[j]! + shrink;
        v = denominator > 0 ? v / denominator : 0;
      } else if (shrink > 0) {
        v = v / (1 + shrink);
      }
      if (colScale) v *= colScale[j]!;
      if (v > 0 && heap.admits(j, v)) heap.push(j, v);
    }
    const size = heap.size;

    if (nnz + size > indices.length) {
      const grown = Math.max(nnz + size, indices.length * 2);
      const nextIndices = new Int32Array(grown);
      nextIndices.set(indices.subarray(0, nnz));
      indices = nextIndices;
      const nextData = new Float32Array(grown);
      nextData.set(data.subarray(0, nnz));
      data = nextData;
    }
    // Park each kept value in the (now zeroed) accumulator so it follows its column through the sort.
    for (let h = 0; h < size; h++) acc[heapCols[h]!] = heapValues[h]!;
    const rowCols = heapCols.subarray(0, size).sort();
    for (let h = 0; h < size; h++) {
      indices[nnz + h] = rowCols[h]!;
      data[nnz + h] = acc[rowCols[h]!]!;
      acc[rowCols[h]!] = 0;
    }
    nnz += size;
    indptr[i + 1] = nnz;
    if (options.onRows && (i + 1) % 256 === 0) options.onRows(i + 1);
  }
  options.onRows?.(a.rows);
  return { rows: a.rows, cols: b.cols, indptr, indices: indices.slice(0, nnz), data: data.slice(0, nnz) };
}
