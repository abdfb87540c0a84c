/**
 * Bounded min-heap keeping the k best (id, value) pairs pushed since the last `reset`, in typed arrays so
 * per-row selection allocates nothing. Order inside `ids`/`values` is heap order until `drainBestFirst`.
 *
 * The toolkit's one tie rule: a larger value is better, and among equal values the smaller id wins (or the
 * smaller `tieRank[id]` when a rank is given, e.g. `idOrder`). So what is kept never depends on push order,
 * and a top-k equals sorting everything by (value descending, id ascending) and cutting at k.
 * Ids pushed between resets must be distinct; values must not be NaN (map NaN to -Infinity first).
 */
export class TopKHeap {
  readonly ids: Int32Array;
  readonly values: Float32Array;
  size = 0;

  constructor(
    readonly capacity: number,
    private readonly tieRank?: Int32Array,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`TopKHeap: capacity must be a positive integer, got ${capacity}`);
    this.ids = new Int32Array(capacity);
    this.values = new Float32Array(capacity);
  }

  reset(): void {
    this.size = 0;
  }

  /**
   * Whether `push(id, value)` would keep the pair. Hot loops that reject most candidates check this first:
   * it inlines where the larger `push` does not, and a value below the kept minimum costs one comparison.
   */
  admits(id: number, value: number): boolean {
    if (this.size < this.capacity) return true;
    const min = this.values[0]!;
    return value >= min && (value > min || this.before(id, this.ids[0]!));
  }

  push(id: number, value: number): void {
    const { ids, values } = this;
    if (this.size < this.capacity) {
      let c = this.size++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        const pv = values[parent]!;
        // The parent stays above when it is worse: a smaller value, or an equal one with a later id.
        if (pv < value || (pv === value && this.before(id, ids[parent]!))) break;
        values[c] = pv;
        ids[c] = ids[parent]!;
        c = parent;
      }
      values[c] = value;
      ids[c] = id;
      return;
    }
    const min = values[0]!;
    if (!(value >= min) || (value === min && !this.before(id, ids[0]!))) return;
    this.siftDown(id, value, this.size);
  }

  /**
   * Sorts the kept pairs best first into `ids`/`values` [0, n) and empties the heap; returns n. A heapsort in
   * place: each popped minimum goes to the back, so the front ends up holding the best.
   */
  drainBestFirst(): number {
    const n = this.size;
    const { ids, values } = this;
    for (let end = n - 1; end > 0; end--) {
      const worstId = ids[0]!;
      const worstValue = values[0]!;
      this.siftDown(ids[end]!, values[end]!, end);
      ids[end] = worstId;
      values[end] = worstValue;
    }
    this.size = 0;
    return n;
  }

  /** Places (id, value) at the root of the heap's first `size` slots and sifts it down to its place. */
  private siftDown(id: number, value: number, size: number): void {
    const { ids, values } = this;
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= size) break;
      const r = l + 1;
      let m = l;
      if (r < size) {
        const rv = values[r]!;
        const lv = values[l]!;
        if (rv < lv || (rv === lv && this.before(ids[l]!, ids[r]!))) m = r;
      }
      const mv = values[m]!;
      // Sifting on past a smaller child is the common case: one comparison decides it.
      if (mv >= value && (mv > value || this.before(ids[m]!, id))) break;
      values[c] = mv;
      ids[c] = ids[m]!;
      c = m;
    }
    values[c] = value;
    ids[c] = id;
  }

  /** Whether id `a` wins a tie against id `b`. */
  private before(a: number, b: number): boolean {
    const rank = this.tieRank;
    return rank ? rank[a]! < rank[b]! : a < b;
  }
}
