/** Bits and hash functions for `capacity` keys at `falsePositiveRate` (the textbook optimum). */
export function bloomSize(capacity: number, falsePositiveRate: number): { bits: number; hashes: number } {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`bloomSize: capacity must be a positive integer (got ${capacity})`);
  }
  if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) {
    throw new RangeError(`bloomSize: falsePositiveRate must be in (0, 1) (got ${falsePositiveRate})`);
  }
  const bits = Math.ceil((-capacity * Math.log(falsePositiveRate)) / Math.LN2 ** 2);
  return { bits: Math.ceil(bits / 32) * 32, hashes: Math.max(1, Math.round((bits / capacity) * Math.LN2)) };
}

/** murmur3's 32-bit finaliser: a cheap, well-mixed hash of an integer key. */
function mix(key: number, seed: number): number {
  let h = (key ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A Bloom filter over non-negative integer keys (dense item indices) with a fixed number of bits: `has` never
 * misses a key that was added (no false negatives) and wrongly answers true for other keys at about the rate
 * it was sized for, while it holds at most its capacity.
 */
export class BloomFilter {
  private readonly words: Uint32Array;
  private count = 0;

  constructor(
    readonly bits: number,
    readonly hashes: number,
  ) {
    if (!Number.isInteger(bits) || bits < 32 || bits % 32 !== 0) {
      throw new RangeError(`BloomFilter: bits must be a positive multiple of 32 (got ${bits})`);
    }
    if (!Number.isInteger(hashes) || hashes < 1) {
      throw new RangeError(`BloomFilter: hashes must be a positive integer (got ${hashes})`);
    }
    this.words = new Uint32Array(bits / 32);
  }

  /** Keys added so far (repeats counted), which is what the false-positive rate depends on. */
  get added(): number {
    return this.count;
  }

  get bytes(): number {
    return this.words.byteLength;
  }

  add(key: number): void {
    this.probe(key, (word, bit) => {
      this.words[word]! |= bit;
      return true;
    });
    this.count++;
  }

  has(key: number): boolean {
    return this.probe(key, (word, bit) => (this.words[word]! & bit) !== 0);
  }

  /** Double hashing (Kirsch–Mitzenmacher): position i is h1 + i·h2; stops at the first probe returning false. */
  private probe(key: number, visit: (word: number, bit: number) => boolean): boolean {
    const h1 = mix(key, 0x9747b28c);
    const h2 = mix(key, 0x5bd1e995) | 1;
    for (let i = 0; i < this.hashes; i++) {
      const position = (h1 + Math.imul(i, h2)) >>> 0;
      const index = position % this.bits;
      if (!visit(index >>> 5, 1 << (index & 31))) return false;
    }
    return true;
  }
}
