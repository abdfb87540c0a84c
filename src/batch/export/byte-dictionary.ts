import { ByteBuffer } from './byte-buffer.ts';
import { grown } from './grow.ts';

/**
 * Distinct byte strings in first-seen order, kept directly as a Parquet PLAIN BYTE_ARRAY dictionary page
 * (4-byte little-endian length, then the bytes), and found again by an open-addressing hash table over the
 * bytes themselves: no string is built for a value that repeats.
 */
export class ByteDictionary {
  /** The dictionary page body. */
  readonly plain = new ByteBuffer(1 << 16);
  size = 0;
  /** Offset in `plain` of each entry's bytes (after its length). */
  private starts = new Int32Array(1024);
  private hashes = new Int32Array(1024);
  /** Entry index + 1 per slot; 0 is empty. */
  private table: Int32Array;

  /** `expected`: about how many distinct values will be added (the table grows past it). */
  constructor(expected = 1024) {
    this.table = new Int32Array(2 ** Math.ceil(Math.log2(Math.max(2 * expected, 64))));
  }

  /** The index of `source[start, end)`, added when new. */
  indexOf(source: Uint8Array, start: number, end: number): number {
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ source[i]!, 0x01000193);
    const mask = this.table.length - 1;
    const plain = this.plain.bytes;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot]! - 1;
      if (entry < 0) return this.add(source, start, end, hash, slot);
      if (this.hashes[entry] !== hash) continue;
      const at = this.starts[entry]!;
      if (
        plain[at - 4]! + (plain[at - 3]! << 8) + (plain[at - 2]! << 16) + (plain[at - 1]! << 24) !==
        length
      ) {
        continue;
      }
      let same = true;
      for (let i = 0; i < length && same; i++) same = plain[at + i] === source[start + i];
      if (same) return entry;
    }
  }

  private add(source: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const entry = this.size++;
    if (entry === this.starts.length) {
      this.starts = grown(this.starts);
      this.hashes = grown(this.hashes);
    }
    this.plain.ensure(4 + end - start);
    this.plain.uint32(end - start);
    this.starts[entry] = this.plain.length;
    this.hashes[entry] = hash;
    this.plain.span(source, start, end);
    this.table[slot] = entry + 1;
    if (this.size * 2 > this.table.length) this.rehash();
    return entry;
  }

  /** Doubles the table, keeping it at most half full so probes stay short. */
  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2);
    const mask = this.table.length - 1;
    for (let entry = 0; entry < this.size; entry++) {
      let slot = this.hashes[entry]! & mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & mask;
      this.table[slot] = entry + 1;
    }
  }
}
