import { TopKHeap } from '../../core/top-k-heap.ts';
import type { Csr } from '../sparse/csr.ts';
import { fromCoo } from '../sparse/from-coo.ts';

/** A sparsified item × item matrix: kept weights (rows = source item) and each column's dropped mean. */
export interface SparseWeights {
  readonly weights: Csr;
  readonly dropped: Float32Array;
}

/** Where a column's weights sit in a buffer (see `ColumnTopN.addColumn`). */
export interface ColumnLayout {
  readonly sources?: Int32Array;
  /** @default 0 */
  readonly offset?: number;
  /** @default 1 */
  readonly stride?: number;
  /** @default 1 */
  readonly scale?: number;
}

/**
 * Gathers an item × item weight matrix one target column at a time, keeping each column's `keep` largest
 * weights (every non-zero one when `keep` is 0), and returns it with rows = source items, so serving adds
 * one row per history item. Fitting streams columns through this, so the dense matrix never has to exist.
 */
export class ColumnTopN {
  private readonly heap: TopKHeap | undefined;
  private rows = new Int32Array(1024);
  private cols = new Int32Array(1024);
  private values = new Float32Array(1024);
  private count = 0;
  /**
   * Per column, the mean of the weights it did not keep (sources with no weight count as 0). Kept weights
   * are stored minus it, so `Σ_{i ∈ H} kept[i][j] + |H|·dropped[j]` equals the column's full sum over H
   * whenever the dropped weights are all alike: long histories sum many small weights, and cutting them
   * to 0 alone biases every column by their mean.
   */
  readonly dropped: Float32Array;

  constructor(
    readonly size: number,
    readonly keep: number,
  ) {
    this.heap = keep > 0 ? new TopKHeap(keep) : undefined;
    this.dropped = new Float32Array(size);
  }

  /**
   * Column `column`'s weights: `scale × values[offset + t·stride]` belongs to source item
   * `sources ? sources[t] : t`, for t < `length`; the entry whose source is `column` itself is skipped (an
   * item does not predict itself). `scale` must be positive: selection happens before scaling.
   */
  addColumn(column: number, values: Float64Array, length: number, layout: ColumnLayout = {}): void {
    const { sources, offset = 0, stride = 1, scale = 1 } = layout;
    const { heap } = this;
    if (!heap) {
      for (let t = 0; t < length; t++) {
        const source = sources ? sources[t]! : t;
        const w = values[offset + t * stride]!;
        if (source !== column && w !== 0) this.push(source, column, w * scale);
      }
      return;
    }
    heap.reset();
    const self = sources ? -1 : column;
    let total = 0;
    // The heap's minimum, cached in a local: most weights fall below it and cost one comparison.
    let threshold = 0;
    for (let t = 0; t < length; t++) {
      if (t === self) continue;
      const w = values[offset + t * stride]!;
      total += w;
      const magnitude = Math.abs(w);
      if (magnitude <= threshold && heap.size === this.keep) continue;
      if (magnitude === 0) continue;
      if (sources && sources[t] === column) {
        total -= w;
        continue;
      }
      heap.push(t, magnitude);
      if (heap.size === this.keep) threshold = heap.values[0]!;
    }
    let kept = 0;
    for (let h = 0; h < heap.size; h++) kept += values[offset + heap.ids[h]! * stride]!;
    const others = this.size - 1 - heap.size;
    const dropped = others > 0 ? (scale * (total - kept)) / others : 0;
    this.dropped[column] = dropped;
    for (let h = 0; h < heap.size; h++) {
      const t = heap.ids[h]!;
      this.push(sources ? sources[t]! : t, column, values[offset + t * stride]! * scale - dropped);
    }
  }

  finish(): SparseWeights {
    const n = this.count;
    const weights = fromCoo(
      this.size,
      this.size,
      this.rows.subarray(0, n),
      this.cols.subarray(0, n),
      this.values.subarray(0, n),
    );
    return { weights, dropped: this.dropped };
  }

  private push(row: number, col: number, value: number): void {
    if (this.count === this.rows.length) {
      const grown = this.count * 2;
      this.rows = grow(this.rows, new Int32Array(grown));
      this.cols = grow(this.cols, new Int32Array(grown));
      this.values = grow(this.values, new Float32Array(grown));
    }
    this.rows[this.count] = row;
    this.cols[this.count] = col;
    this.values[this.count++] = value;
  }
}

function grow<T extends Int32Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
