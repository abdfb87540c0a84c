import { bucketOf, type Granularity } from './windows.ts';

/**
 * One entity's counts per time bucket and key, as flat typed arrays of (bucket, key id, count) entries: no
 * object per bucket, so millions of entities stay cheap for the garbage collector. Events mostly arrive in
 * time order, so an increment looks only at the entries of the newest bucket; a late event appends its own
 * entry (entries of one bucket and key add up). Entries that fall out of the kept buckets are dropped when
 * the arrays fill, before they grow.
 */
export class BucketRing {
  private buckets = new Int32Array(4);
  private keys = new Int32Array(4);
  private counts = new Uint32Array(4);
  private length = 0;

  constructor(
    private readonly granularity: Granularity,
    /** Buckets kept, counting back from the newest. */
    private readonly capacity: number,
  ) {}

  /** Adds one to `key` in the bucket of `seconds`; a time older than the kept buckets is ignored. */
  add(key: number, seconds: number, nowSeconds: number): void {
    const newest = bucketOf(nowSeconds, this.granularity);
    const bucket = Math.min(bucketOf(seconds, this.granularity), newest);
    if (bucket <= newest - this.capacity) return;
    for (let i = this.length - 1; i >= 0 && this.buckets[i] === bucket; i--) {
      if (this.keys[i] === key) {
        this.counts[i]!++;
        return;
      }
    }
    if (this.length === this.buckets.length) this.makeRoom(newest);
    this.buckets[this.length] = bucket;
    this.keys[this.length] = key;
    this.counts[this.length] = 1;
    this.length++;
  }

  /** Every kept entry, stale ones included (readers select their window). */
  forEach(visit: (bucket: number, key: number, count: number) => void): void {
    for (let i = 0; i < this.length; i++) visit(this.buckets[i]!, this.keys[i]!, this.counts[i]!);
  }

  private makeRoom(newest: number): void {
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      if (this.buckets[i]! <= newest - this.capacity) continue;
      this.buckets[kept] = this.buckets[i]!;
      this.keys[kept] = this.keys[i]!;
      this.counts[kept] = this.counts[i]!;
      kept++;
    }
    this.length = kept;
    if (kept * 4 >= this.buckets.length * 3) {
      const grow = <T extends Int32Array | Uint32Array>(from: T, to: T): T => {
        to.set(from.subarray(0, kept));
        return to;
      };
      this.buckets = grow(this.buckets, new Int32Array(this.buckets.length * 2));
      this.keys = grow(this.keys, new Int32Array(this.keys.length * 2));
      this.counts = grow(this.counts, new Uint32Array(this.counts.length * 2));
    }
  }
}
