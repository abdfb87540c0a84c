import { type Bucket, bucketOf, type Granularity } from './windows.ts';

/**
 * Counts per time bucket for one entity, keeping at most `capacity` buckets (older ones fall out of every
 * window and are dropped). Sparse: an entity pays only for the buckets it had events in.
 */
export class BucketRing {
  private readonly buckets = new Map<number, Map<string, number>>();

  constructor(
    private readonly granularity: Granularity,
    private readonly capacity: number,
  ) {}

  /** Adds `count` to `key` in the bucket of `seconds`; a time outside the kept range as of `nowSeconds` is ignored. */
  add(key: string, seconds: number, nowSeconds: number, count = 1): void {
    const newest = bucketOf(nowSeconds, this.granularity);
    const bucket = Math.min(bucketOf(seconds, this.granularity), newest);
    if (bucket <= newest - this.capacity) return;
    let counts = this.buckets.get(bucket);
    if (!counts) {
      if (this.buckets.size >= this.capacity) this.prune(newest);
      this.buckets.set(bucket, (counts = new Map()));
    }
    counts.set(key, (counts.get(key) ?? 0) + count);
  }

  *[Symbol.iterator](): Iterator<Bucket> {
    for (const [bucket, counts] of this.buckets) yield { bucket, counts };
  }

  private prune(newest: number): void {
    for (const bucket of this.buckets.keys()) {
      if (bucket <= newest - this.capacity) this.buckets.delete(bucket);
    }
  }
}
