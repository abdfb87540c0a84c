/**
 * Counts occurrences of 64-bit hashed keys in typed arrays (open addressing, linear probing): 12 bytes
 * per slot, about 24 bytes per distinct key, instead of a Map of strings. Grows with distinct keys only.
 */
export class HashCounter {
  private keys: Uint32Array;
  private counts: Uint32Array;
  private mask: number;
  private used = 0;

  constructor(initialSlots = 1 << 12) {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(16, initialSlots)));
    this.keys = new Uint32Array(slots * 2);
    this.counts = new Uint32Array(slots);
    this.mask = slots - 1;
  }

  /** Distinct keys seen. */
  get size(): number {
    return this.used;
  }

  /** Adds one to the key's count and returns the new count. */
  increment(hi: number, lo: number): number {
    let slot = this.find(hi, lo);
    if (this.counts[slot] === 0) {
      if ((this.used + 1) * 4 > (this.mask + 1) * 3) {
        this.grow();
        slot = this.find(hi, lo);
      }
      this.keys[slot * 2] = hi;
      this.keys[slot * 2 + 1] = lo;
      this.used++;
    }
    return ++this.counts[slot]!;
  }

  /** How many times the key was added (0 if never). */
  count(hi: number, lo: number): number {
    return this.counts[this.find(hi, lo)]!;
  }

  /** Slot holding the key, or the empty slot where it would go. */
  private find(hi: number, lo: number): number {
    const { keys, counts, mask } = this;
    let slot = lo & mask;
    while (counts[slot] !== 0 && (keys[slot * 2] !== hi || keys[slot * 2 + 1] !== lo)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private grow(): void {
    const { keys, counts } = this;
    const slots = counts.length * 2;
    this.keys = new Uint32Array(slots * 2);
    this.counts = new Uint32Array(slots);
    this.mask = slots - 1;
    for (let old = 0; old < counts.length; old++) {
      if (counts[old] === 0) continue;
      const slot = this.find(keys[old * 2]!, keys[old * 2 + 1]!);
      this.keys[slot * 2] = keys[old * 2]!;
      this.keys[slot * 2 + 1] = keys[old * 2 + 1]!;
      this.counts[slot] = counts[old]!;
    }
  }
}
