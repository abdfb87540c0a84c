/**
 * Bounded min-heap keeping the k largest (id, value) pairs pushed since the last `reset`, in typed arrays so
 * per-row selection allocates nothing. Order inside `ids`/`values` is heap order, not sorted.
 */
export class TopKHeap {
  readonly ids: Int32Array;
  readonly values: Float32Array;
  size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`TopKHeap: capacity must be a positive integer, got ${capacity}`);
    this.ids = new Int32Array(capacity);
    this.values = new Float32Array(capacity);
  }

  reset(): void {
    this.size = 0;
  }

  /**
   * Whether `push(_, value)` would keep the value. Hot loops that reject most candidates check this first:
   * it inlines where the larger `push` does not.
   */
  admits(value: number): boolean {
    return this.size < this.capacity || value > this.values[0]!;
  }

  push(id: number, value: number): void {
    const { ids, values } = this;
    if (this.size < this.capacity) {
      let c = this.size++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (values[parent]! <= value) break;
        values[c] = values[parent]!;
        ids[c] = ids[parent]!;
        c = parent;
      }
      values[c] = value;
      ids[c] = id;
      return;
    }
    if (!(value > values[0]!)) return;
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const m = r < this.size && values[r]! < values[l]! ? r : l;
      if (values[m]! >= value) break;
      values[c] = values[m]!;
      ids[c] = ids[m]!;
      c = m;
    }
    values[c] = value;
    ids[c] = id;
  }
}
