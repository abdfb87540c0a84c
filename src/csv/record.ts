import { BACKSLASH, CR, QUOTE } from './dialect.ts';

/** Looks ids up by their UTF-8 bytes (e.g. the local engine's IdIndexBuilder), or by string. */
export interface ByteInterner {
  intern(id: string): number;
  internBytes(bytes: Buffer, start: number, end: number): number;
}

/** `escaped[i]` when field i's bytes are not its value as they stand (escapes, or text after its quote). */
export const NEEDS_DECODING = 1;

/**
 * The current record of a scan: field boundaries into the scanner's buffer, valid only during the
 * callback. Reading fields straight from bytes (instead of building a string array per row) is what lets
 * the interactions loader keep up with millions of rows per second; `strings()` is there for callers that
 * want strings anyway and decodes a whole unquoted record at once.
 */
export class CsvRecord {
  buffer: Buffer = Buffer.alloc(0);
  /** 1-based line of the record's first byte (records may span lines inside quotes). */
  line = 0;
  count = 0;
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  escaped = new Uint8Array(16);
  /** The record's bytes, up to its LF (or the end of the file); a CR before it is not part of the record. */
  rawStart = 0;
  rawEnd = 0;
  /** True when some field is quoted, so the raw text cannot simply be split at commas. */
  quoted = false;
  /** The record's text and fields when the scanner decoded them already (strings view); else undefined. */
  rawText: string | undefined = undefined;
  decoded: string[] | undefined = undefined;

  constructor(readonly source: string) {}

  isEmpty(i: number): boolean {
    const decoded = this.decoded;
    if (decoded !== undefined) return decoded[i] === '';
    return this.starts[i] === this.ends[i];
  }

  text(i: number): string {
    const decoded = this.decoded;
    if (decoded !== undefined) return decoded[i]!;
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    if (this.escaped[i] === 0) return this.buffer.toString('utf8', start, end);
    return decodeQuoted(this.buffer, start, end);
  }

  /** The field as a number: NaN when empty or not numeric. Plain integers are parsed from bytes directly. */
  number(i: number): number {
    if (this.decoded !== undefined) return parseNumber(this.decoded[i]!);
    const buffer = this.buffer;
    let p = this.starts[i]!;
    const end = this.ends[i]!;
    if (p === end) return Number.NaN;
    const negative = buffer[p] === 45;
    if (negative) p++;
    let value = 0;
    const digitsStart = p;
    while (p < end) {
      const digit = buffer[p]! - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
      p++;
    }
    if (p === end && p > digitsStart && p - digitsStart <= 15) return negative ? -value : value;
    return parseNumber(this.text(i));
  }

  /** The field's index in `ids`, looked up from its bytes unless escapes force decoding it first. */
  intern(i: number, ids: ByteInterner): number {
    if (this.decoded !== undefined || this.escaped[i] !== 0) return ids.intern(this.text(i));
    return ids.internBytes(this.buffer, this.starts[i]!, this.ends[i]!);
  }

  /** The record as written, without its line terminator. */
  raw(): string {
    if (this.rawText !== undefined) return this.rawText;
    const end = this.rawEnd;
    return this.buffer.toString(
      'utf8',
      this.rawStart,
      end > this.rawStart && this.buffer[end - 1] === CR ? end - 1 : end,
    );
  }

  /** Every field as a string. */
  strings(): string[] {
    if (this.decoded !== undefined) return this.decoded;
    if (!this.quoted) return this.raw().split(',');
    const out = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.text(i);
    return out;
  }

  /** `file:line` of this record, for error messages. */
  where(): string {
    return `${this.source}:${this.line}`;
  }

  grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    starts.set(this.starts);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    const escaped = new Uint8Array(size);
    escaped.set(this.escaped);
    this.starts = starts;
    this.ends = ends;
    this.escaped = escaped;
  }
}

function parseNumber(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

/**
 * The value of a quoted field from the bytes after its opening quote. Re-reads them as the scanner did:
 * escapes are undone up to the closing quote, and whatever follows it (a syntax error the recover mode
 * reported) is kept as written.
 */
function decodeQuoted(buffer: Buffer, start: number, end: number): string {
  let out = '';
  let from = start;
  for (let p = start; p < end; p++) {
    const b = buffer[p];
    if (b !== QUOTE && b !== BACKSLASH) continue;
    const next = p + 1 < end ? buffer[p + 1] : -1;
    if (next === QUOTE || (b === BACKSLASH && next === BACKSLASH)) {
      out += buffer.toString('utf8', from, p);
      from = p + 1;
      p++;
    } else if (b === QUOTE) {
      return out + buffer.toString('utf8', from, p) + buffer.toString('utf8', p + 1, end);
    }
  }
  return out + buffer.toString('utf8', from, end);
}
