import { BloomFilter, bloomSize } from './bloom-filter.ts';

/**
 * The keys added recently, approximately: two Bloom generations of `windowSize` keys each. When the current
 * generation is full it becomes the previous one and the oldest is dropped, so a key is remembered for at
 * least `windowSize` and at most `2 × windowSize` later additions. False positives: about twice the
 * per-generation rate (a key may hit either generation).
 */
export class RecentSet {
  private current: BloomFilter;
  private previous: BloomFilter;

  constructor(
    readonly windowSize: number,
    falsePositiveRate: number,
  ) {
    const { bits, hashes } = bloomSize(windowSize, falsePositiveRate);
    this.current = new BloomFilter(bits, hashes);
    this.previous = new BloomFilter(bits, hashes);
  }

  get bytes(): number {
    return this.current.bytes + this.previous.bytes;
  }

  add(key: number): void {
    if (this.current.added >= this.windowSize) {
      this.previous = this.current;
      this.current = new BloomFilter(this.previous.bits, this.previous.hashes);
    }
    this.current.add(key);
  }

  has(key: number): boolean {
    return this.current.has(key) || this.previous.has(key);
  }
}
