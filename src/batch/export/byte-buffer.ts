const encoder = new TextEncoder();

/**
 * A growable byte buffer that owns its memory, so it can be transferred to another thread. Spans are copied
 * byte by byte: ids and scores are a few bytes long, where a loop beats `set` on a fresh subarray.
 */
export class ByteBuffer {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.bytes = new Uint8Array(Math.max(capacity, 16));
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.length + n, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** Appends `source[start, end)`; the caller has ensured room. */
  span(source: Uint8Array, start: number, end: number): void {
    const bytes = this.bytes;
    let at = this.length;
    for (let i = start; i < end; i++) bytes[at++] = source[i]!;
    this.length = at;
  }

  /** Appends one byte; the caller has ensured room. */
  byte(value: number): void {
    this.bytes[this.length++] = value;
  }

  /** Appends a non-negative integer in decimal; the caller has ensured room (10 bytes). */
  decimal(value: number): void {
    if (value >= 10) this.decimal(Math.floor(value / 10));
    this.bytes[this.length++] = 48 + (value % 10);
  }

  /** Appends a little-endian uint32; the caller has ensured room. */
  uint32(value: number): void {
    const bytes = this.bytes;
    bytes[this.length] = value & 0xff;
    bytes[this.length + 1] = (value >>> 8) & 0xff;
    bytes[this.length + 2] = (value >>> 16) & 0xff;
    bytes[this.length + 3] = value >>> 24;
    this.length += 4;
  }

  /** Appends the UTF-8 of `text`, growing as needed. */
  text(text: string): void {
    this.ensure(text.length * 3);
    this.length += encoder.encodeInto(text, this.bytes.subarray(this.length)).written;
  }

  /** The bytes written, as an exact-size view. */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}
