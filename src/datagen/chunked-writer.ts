import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

/** Bytes per chunk handed to the stream. */
const CHUNK_BYTES = 1 << 20;
/** Room kept free for the row being written when `full` turns true. */
const ROW_RESERVE = 1 << 14;

/**
 * Writes ASCII rows straight into a byte buffer and hands the stream one megabyte at a time: no string
 * or object per row (numbers are written digit by digit), and back-pressure is honoured, so memory stays
 * bounded whatever the file size. Callers check `full` after each row and then `await flush()`.
 */
export class ChunkedWriter {
  private readonly stream: WriteStream;
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private length = 0;
  private failure: Error | undefined;

  constructor(path: string) {
    this.stream = createWriteStream(path);
    // Kept until the next flush, so a disk error surfaces in the caller's await instead of crashing the process.
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  /** True when the chunk is nearly full: the caller should `await flush()` before writing more rows. */
  get full(): boolean {
    return this.length >= CHUNK_BYTES - ROW_RESERVE;
  }

  /** Appends ASCII text (a whole row, an id). */
  text(value: string): void {
    if (this.length + value.length > this.buffer.length) this.grow(value.length);
    this.length += this.buffer.write(value, this.length, 'latin1');
  }

  /** Appends pre-encoded bytes (constant cells such as `,view,`). */
  bytes(value: Uint8Array): void {
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  byte(code: number): void {
    this.buffer[this.length++] = code;
  }

  /** Appends a non-negative integer in decimal. */
  int(value: number): void {
    let digits = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
    let v = value;
    for (let i = this.length + digits - 1; i >= this.length; i--) {
      this.buffer[i] = 48 + (v % 10);
      v = Math.floor(v / 10);
    }
    this.length += digits;
  }

  /** Appends an amount given in cents with two decimals (`1999` → `19.99`). */
  cents(value: number): void {
    const rest = value % 100;
    this.int((value - rest) / 100);
    this.byte(46);
    this.byte(48 + Math.floor(rest / 10));
    this.byte(48 + (rest % 10));
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.length === 0) return;
    const chunk = this.buffer.subarray(0, this.length);
    // The stream keeps the chunk until written, so the next rows go into a fresh buffer.
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.length = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }

  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + needed));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }
}
