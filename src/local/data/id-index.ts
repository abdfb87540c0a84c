import type { IdIndex } from './types.ts';

const EMPTY = -1;

/**
 * Assigns dense indices to string ids in first-seen order. Besides the string map it keeps an open-addressing
 * hash table over the ids' UTF-8 bytes, so the CSV loader can look ids up straight from its read buffer:
 * a string is built only the first time an id is seen, not once per row.
 */
export class IdIndexBuilder implements IdIndex {
  readonly ids: string[] = [];
  readonly indexOf = new Map<string, number>();
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  private offsets = new Int32Array(1024);
  private hashes = new Int32Array(1024);
  /** Pairs (id index, hash) per slot, index EMPTY when free; at most half full. Pairs share a cache line. */
  private slots = new Int32Array(4096).fill(EMPTY);
  /** The last id looked up by bytes: files grouped by user repeat it row after row. */
  private last = EMPTY;

  intern(id: string): number {
    const known = this.indexOf.get(id);
    if (known !== undefined) return known;
    const bytes = Buffer.from(id, 'utf8');
    return this.insert(bytes, 0, bytes.length, hashBytes(bytes, 0, bytes.length), id);
  }

  /** The index of the id spelled by `bytes[start, end)` (UTF-8), registering it on first sight. */
  internBytes(bytes: Buffer, start: number, end: number): number {
    if (this.last !== EMPTY && this.sameBytes(this.last, bytes, start, end)) return this.last;
    this.last = this.lookupBytes(bytes, start, end);
    return this.last;
  }

  private lookupBytes(bytes: Buffer, start: number, end: number): number {
    const hash = hashBytes(bytes, start, end);
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const index = slots[slot << 1]!;
      if (index === EMPTY) break;
      if (slots[(slot << 1) + 1] === hash && this.sameBytes(index, bytes, start, end)) return index;
    }
    return this.insert(bytes, start, end, hash, bytes.toString('utf8', start, end));
  }

  private sameBytes(index: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = this.offsets[index]!;
    const length = end - start;
    if (this.offsets[index + 1]! - from !== length) return false;
    const arena = this.arena;
    for (let k = 0; k < length; k++) {
      if (arena[from + k] !== bytes[start + k]) return false;
    }
    return true;
  }

  private insert(bytes: Uint8Array, start: number, end: number, hash: number, id: string): number {
    const index = this.ids.length;
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      arena.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = arena;
    }
    if (index + 2 > this.offsets.length) {
      const offsets = new Int32Array(this.offsets.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.offsets[index] = this.arenaUsed;
    this.arenaUsed += length;
    this.offsets[index + 1] = this.arenaUsed;
    this.hashes[index] = hash;
    this.ids.push(id);
    this.indexOf.set(id, index);
    if ((index + 1) * 4 > this.slots.length) this.rehash();
    else this.place(index);
    return index;
  }

  private place(index: number): void {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    const hash = this.hashes[index]!;
    let slot = hash & mask;
    while (slots[slot << 1] !== EMPTY) slot = (slot + 1) & mask;
    slots[slot << 1] = index;
    slots[(slot << 1) + 1] = hash;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    for (let index = 0; index < this.ids.length; index++) this.place(index);
  }
}

/** FNV-1a over bytes, finished with a murmur-style mix so linear probing sees well-spread low bits. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let p = start; p < end; p++) h = Math.imul(h ^ bytes[p]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}
