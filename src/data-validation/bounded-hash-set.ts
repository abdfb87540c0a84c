/**
 * Set of 64-bit row hashes inside a fixed memory budget, so duplicate detection never grows with the file.
 * The table is allocated once (zero pages, committed by the OS only as they are touched, so small files stay
 * cheap). When it is 3/4 full it keeps only hashes whose top bits are zero, halving the share of rows checked;
 * a duplicate pair has equal hashes, so within the kept share detection stays exact.
 */
export class BoundedHashSet {
  private readonly keys: Uint32Array;
  private readonly mask: number;
  private readonly maxUsed: number;
  private used = 0;
  /** Hashes with any of their top `level` bits set are not kept: 1 in 2^level distinct rows is checked. */
  private level = 0;

  constructor(budgetBytes: number) {
    const slots = 2 ** Math.max(4, Math.floor(Math.log2(budgetBytes / 8)));
    this.keys = new Uint32Array(slots * 2);
    this.mask = slots - 1;
    this.maxUsed = Math.floor(slots * 0.75);
  }

  /** Share of distinct rows that duplicate checks still cover (1 until the budget fills). */
  get coveredShare(): number {
    return 1 / 2 ** this.level;
  }

  /** Adds the hash; true when it was already in the set. Hashes outside the covered share return false. */
  addIsDuplicate(hi: number, lo: number): boolean {
    if (this.level > 0 && hi >>> (32 - this.level) !== 0) return false;
    // (0, 0) marks an empty slot.
    const low = hi === 0 && lo === 0 ? 1 : lo;
    const slot = this.find(hi, low);
    if (this.keys[slot * 2] === hi && this.keys[slot * 2 + 1] === low) return true;
    this.keys[slot * 2] = hi;
    this.keys[slot * 2 + 1] = low;
    if (++this.used > this.maxUsed) this.raiseLevel();
    return false;
  }

  /** Whether the hash is in the set (always false outside the covered share); adds nothing. */
  has(hi: number, lo: number): boolean {
    if (this.level > 0 && hi >>> (32 - this.level) !== 0) return false;
    const low = hi === 0 && lo === 0 ? 1 : lo;
    const slot = this.find(hi, low);
    return this.keys[slot * 2] === hi && this.keys[slot * 2 + 1] === low;
  }

  private find(hi: number, lo: number): number {
    const { keys, mask } = this;
    let slot = lo & mask;
    for (;;) {
      const h = keys[slot * 2]!;
      const l = keys[slot * 2 + 1]!;
      if ((h === 0 && l === 0) || (h === hi && l === lo)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private raiseLevel(): void {
    this.level++;
    const shift = 32 - this.level;
    const { keys } = this;
    let kept = 0;
    for (let slot = 0; slot <= this.mask; slot++) {
      if ((keys[slot * 2] !== 0 || keys[slot * 2 + 1] !== 0) && keys[slot * 2]! >>> shift === 0) kept++;
    }
    const survivors = new Uint32Array(kept * 2);
    let n = 0;
    for (let slot = 0; slot <= this.mask; slot++) {
      const hi = keys[slot * 2]!;
      const lo = keys[slot * 2 + 1]!;
      if ((hi !== 0 || lo !== 0) && hi >>> shift === 0) {
        survivors[n++] = hi;
        survivors[n++] = lo;
      }
    }
    keys.fill(0);
    for (let i = 0; i < survivors.length; i += 2) {
      const slot = this.find(survivors[i]!, survivors[i + 1]!);
      keys[slot * 2] = survivors[i]!;
      keys[slot * 2 + 1] = survivors[i + 1]!;
    }
    this.used = kept;
    if (this.used > this.maxUsed) this.raiseLevel();
  }
}
