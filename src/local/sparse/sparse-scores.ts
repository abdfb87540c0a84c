/**
 * Scores accumulated into a dense array that remembers which entries it touched, so a query that reaches a
 * few thousand of many items can be scaled, blended, ranked and cleared in time proportional to what it
 * touched rather than to the catalogue. Entries never touched stay 0.
 */
export class SparseScores {
  values: Float32Array;
  /** The touched entries, in first-touch order (`count` of them are valid). */
  touched: Int32Array;
  count = 0;
  private marks: Uint8Array;

  constructor(size: number) {
    this.values = new Float32Array(size);
    this.touched = new Int32Array(size);
    this.marks = new Uint8Array(size);
  }

  get size(): number {
    return this.values.length;
  }

  /** Clears and, when `size` differs (the catalogue grew), reallocates. */
  reset(size: number): void {
    if (size === this.values.length) {
      this.clear();
      return;
    }
    this.values = new Float32Array(size);
    this.touched = new Int32Array(size);
    this.marks = new Uint8Array(size);
    this.count = 0;
  }

  add(index: number, value: number): void {
    if (this.marks[index] === 0) {
      this.marks[index] = 1;
      this.touched[this.count++] = index;
    }
    this.values[index]! += value;
  }

  /** Adds a dense score array (length at most `size`), touching only its non-zero entries. */
  addDense(scores: Float32Array): void {
    for (let i = 0; i < scores.length; i++) if (scores[i] !== 0) this.add(i, scores[i]!);
  }

  /** Largest value among the touched entries in [from, to), or 0 when none is positive. */
  maxIn(from: number, to: number): number {
    const { values, touched } = this;
    let max = 0;
    for (let t = 0; t < this.count; t++) {
      const i = touched[t]!;
      if (i >= from && i < to && values[i]! > max) max = values[i]!;
    }
    return max;
  }

  /** Adds `factor ×` the entries in [from, to) into `out` and clears, in one pass over the touched entries. */
  drainScaledInto(out: SparseScores, factor: number, from: number, to: number): void {
    const { values, marks, touched } = this;
    for (let t = 0; t < this.count; t++) {
      const i = touched[t]!;
      if (i >= from && i < to) out.add(i, factor * values[i]!);
      values[i] = 0;
      marks[i] = 0;
    }
    this.count = 0;
  }

  /** Back to all zeros, touching only what was touched. */
  clear(): void {
    const { values, marks, touched } = this;
    for (let t = 0; t < this.count; t++) {
      const i = touched[t]!;
      values[i] = 0;
      marks[i] = 0;
    }
    this.count = 0;
  }

  /** Writes the scores densely into `out` (zeros elsewhere) and clears. */
  drainInto(out: Float32Array): void {
    if (out.length !== this.values.length)
      throw new RangeError(
        `SparseScores.drainInto: out must have length ${this.values.length}, got ${out.length}`,
      );
    out.fill(0);
    for (let t = 0; t < this.count; t++) out[this.touched[t]!] = this.values[this.touched[t]!]!;
    this.clear();
  }
}
