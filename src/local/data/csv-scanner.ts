import { open } from 'node:fs/promises';
import { InvalidInputError, ResourceNotFoundError } from '../../errors.ts';
import type { IdIndexBuilder } from './id-index.ts';

const COMMA = 44;
const QUOTE = 34;
const BACKSLASH = 92;
const LF = 10;
const CR = 13;
const CHUNK_BYTES = 8 << 20;

/**
 * The current record of a CSV scan: field boundaries into the scanner's buffer, valid only during the
 * callback. Reading fields straight from bytes (instead of building a string array per row) is what lets
 * the interactions loader keep up with millions of rows per second.
 */
export class CsvRecord {
  buffer: Buffer = Buffer.alloc(0);
  /** 1-based line of the record's first byte (records may span lines inside quotes). */
  line = 0;
  count = 0;
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  /** 1 when the quoted field holds `""`, `\"` or `\\` escapes to undo. */
  escaped = new Uint8Array(16);

  constructor(readonly source: string) {}

  isEmpty(i: number): boolean {
    return this.starts[i] === this.ends[i];
  }

  text(i: number): string {
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    if (this.escaped[i] === 0) return this.buffer.toString('utf8', start, end);
    return unescapeQuoted(this.buffer, start, end);
  }

  /** The field as a number: NaN when empty or not numeric. Plain integers are parsed from bytes directly. */
  number(i: number): number {
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
    const text = this.text(i).trim();
    return text === '' ? Number.NaN : Number(text);
  }

  /** The field's index in `ids`, looked up from its bytes unless quote escapes force decoding it first. */
  intern(i: number, ids: IdIndexBuilder): number {
    if (this.escaped[i] === 1) return ids.intern(this.text(i));
    return ids.internBytes(this.buffer, this.starts[i]!, this.ends[i]!);
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

function unescapeQuoted(buffer: Buffer, start: number, end: number): string {
  let out = '';
  let from = start;
  for (let p = start; p + 1 < end; p++) {
    const b = buffer[p];
    const next = buffer[p + 1];
    // Personalize's rule is backslash escapes; RFC 4180 doubles the quote. Both are accepted.
    if ((b === QUOTE && next === QUOTE) || (b === BACKSLASH && (next === QUOTE || next === BACKSLASH))) {
      out += buffer.toString('utf8', from, p);
      from = p + 1;
      p++;
    }
  }
  return out + buffer.toString('utf8', from, end);
}

/**
 * Parses as many complete records as `buffer[from, length)` holds, calling `onRecord` for each. Returns the
 * offset of the first incomplete record (to carry into the next read), or `length` when all was consumed.
 * When `final`, the end of the buffer ends the last record.
 */
function parseRecords(
  record: CsvRecord,
  buffer: Buffer,
  length: number,
  final: boolean,
  onRecord: (record: CsvRecord) => void,
): number {
  record.buffer = buffer;
  let pos = 0;
  while (pos < length) {
    const rowStart = pos;
    const first = buffer[pos];
    if (first === LF || first === CR) {
      pos += first === CR && buffer[pos + 1] === LF ? 2 : 1;
      if (first === CR && pos >= length && !final) return rowStart;
      record.line++;
      continue;
    }
    let field = 0;
    let newlines = 0;
    for (;;) {
      if (field === record.starts.length) record.grow();
      if (buffer[pos] === QUOTE) {
        let p = pos + 1;
        let escaped = 0;
        for (;;) {
          if (p >= length) {
            if (!final) return rowStart;
            throw new InvalidInputError([
              { field: `${record.source}:${record.line}`, message: 'a quoted field is never closed' },
            ]);
          }
          const c = buffer[p];
          if (c === QUOTE) {
            if (p + 1 >= length && !final) return rowStart;
            if (buffer[p + 1] !== QUOTE) break;
            escaped = 1;
            p += 2;
          } else if (c === BACKSLASH) {
            if (p + 1 >= length && !final) return rowStart;
            const next = buffer[p + 1];
            if (next === QUOTE || next === BACKSLASH) escaped = 1;
            p += next === QUOTE || next === BACKSLASH ? 2 : 1;
          } else {
            if (c === LF) newlines++;
            p++;
          }
        }
        record.starts[field] = pos + 1;
        record.ends[field] = p;
        record.escaped[field] = escaped;
        pos = p + 1;
      } else {
        let p = pos;
        while (p < length) {
          const c = buffer[p];
          if (c === COMMA || c === LF || c === CR) break;
          p++;
        }
        record.starts[field] = pos;
        record.ends[field] = p;
        record.escaped[field] = 0;
        pos = p;
      }
      field++;
      if (pos >= length) {
        if (!final) return rowStart;
        break;
      }
      const c = buffer[pos];
      if (c === COMMA) {
        pos++;
        if (pos >= length) {
          if (!final) return rowStart;
          if (field === record.starts.length) record.grow();
          record.starts[field] = pos;
          record.ends[field] = pos;
          record.escaped[field] = 0;
          field++;
          break;
        }
        continue;
      }
      if (c === LF) {
        pos++;
        break;
      }
      if (c === CR) {
        if (pos + 1 >= length && !final) return rowStart;
        pos += buffer[pos + 1] === LF ? 2 : 1;
        break;
      }
      throw new InvalidInputError([
        {
          field: `${record.source}:${record.line + newlines}`,
          message:
            'unexpected character after a closing quote (quote the whole field and escape inner quotes)',
        },
      ]);
    }
    record.count = field;
    onRecord(record);
    record.line += 1 + newlines;
  }
  return length;
}

/**
 * Streams a CSV file record by record (header included, as the first record). Fields may be quoted, with
 * commas, newlines and escaped quotes inside. `onProgress` receives the bytes read so far. Records may
 * straddle reads of `chunkBytes`; a record larger than that grows the buffer.
 */
export async function scanCsvFile(
  path: string,
  onRecord: (record: CsvRecord) => void,
  onProgress?: (bytesRead: number, totalBytes: number) => void,
  chunkBytes = CHUNK_BYTES,
): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ResourceNotFoundError(`file not found: ${path}`, { cause: error });
    }
    throw error;
  }
  try {
    const total = (await handle.stat()).size;
    const record = new CsvRecord(path);
    record.line = 1;
    let buffer = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(total, 1)));
    let filled = 0;
    let bytesRead = 0;
    let bomChecked = false;
    for (;;) {
      if (filled === buffer.length) {
        // One record is larger than the buffer: grow it so the record fits.
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
      }
      const { bytesRead: n } = await handle.read(buffer, filled, buffer.length - filled, null);
      bytesRead += n;
      filled += n;
      const final = n === 0;
      if (!bomChecked) {
        if (filled < 3 && !final) continue;
        bomChecked = true;
        if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
          buffer.copy(buffer, 0, 3, filled);
          filled -= 3;
        }
      }
      const consumed = parseRecords(record, buffer, filled, final, onRecord);
      buffer.copy(buffer, 0, consumed, filled);
      filled -= consumed;
      onProgress?.(bytesRead, total);
      if (final) break;
    }
  } finally {
    await handle.close();
  }
}
