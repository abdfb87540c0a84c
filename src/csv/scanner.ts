import { isAscii } from 'node:buffer';
import { InvalidInputError } from '../errors.ts';
import {
  BACKSLASH,
  COMMA,
  CR,
  CSV_MESSAGES,
  type CsvProblem,
  type CsvProblemKind,
  LF,
  MAX_QUOTED_RECORD_BYTES,
  QUOTE,
} from './dialect.ts';
import { CsvRecord, NEEDS_DECODING } from './record.ts';

/** Receives each problem in recover mode; the scan then goes on. */
export type CsvProblemHandler = (problem: CsvProblem) => void;

export interface CsvScannerOptions {
  /** Recover-and-report mode: hears each problem and the scan goes on. Without it the scan is strict. */
  readonly onProblem?: CsvProblemHandler;
  /**
   * `bytes`: fields are boundaries into the read buffer, for readers that parse numbers or look ids up
   * straight from bytes (the engine's loader). `strings`: every record is decoded to strings as it is read,
   * for readers that want each field as a string anyway (validate-data, whole tables); quote-free lines
   * are found in the read buffer decoded once and split as strings, which is about twice as fast as
   * decoding field by field.
   * @default 'bytes'
   */
  readonly view?: 'bytes' | 'strings';
}

/** `plainLine` ran out of bytes before the line ended: carry it into the next call. */
const NEED_MORE = -1;
/** `plainLine` found a quote in the line: the byte parser reads it. */
const NOT_PLAIN = -2;

/**
 * Splits bytes into records of the dialect in `dialect.ts`, header first, handing each to `onRecord` as a
 * CsvRecord. Two modes:
 * - strict (no `onProblem`): the first syntax error or record whose field count differs from the header's
 *   throws an InvalidInputError naming `source:line` and the problem; empty lines are skipped.
 * - recover (with `onProblem`): each problem is reported with its line and field number and the scan goes
 *   on. A record with text after a closing quote is still handed out (the text kept in the value); a
 *   record whose quote never closes is dropped and the scan resumes on the line after the one it started
 *   on; a record with the wrong number of fields is dropped.
 */
export class CsvScanner {
  readonly record: CsvRecord;
  private readonly onProblem: CsvProblemHandler | undefined;
  private readonly decodeLines: boolean;
  private width = -1;
  private started = false;
  /** Set when a never-closed record's first line runs past the buffer: skip to the next LF. */
  private skipping = false;
  /** Recover mode's problems of the record being read, reported once it is complete (not on each retry). */
  private readonly pending: CsvProblem[] = [];

  constructor(
    source: string,
    private readonly onRecord: (record: CsvRecord) => void,
    { onProblem, view = 'bytes' }: CsvScannerOptions = {},
  ) {
    this.record = new CsvRecord(source);
    this.record.line = 1;
    this.onProblem = onProblem;
    this.decodeLines = view === 'strings';
  }

  /** True once a header was read. */
  get hasHeader(): boolean {
    return this.width >= 0;
  }

  /**
   * Parses the complete records of `buffer[0, length)` and returns the offset of the first incomplete one
   * (to carry into the next call, with more bytes after it). When `final`, the end of the buffer ends the
   * last record and everything is consumed.
   */
  scan(buffer: Buffer, length: number, final: boolean): number {
    this.record.buffer = buffer;
    let pos = 0;
    if (!this.started) {
      if (length < 3 && !final) return 0;
      this.started = true;
      if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) pos = 3;
    }
    if (this.skipping) {
      pos = this.skipLine(buffer, pos, length);
      if (this.skipping) return length;
    }
    if (!this.decodeLines) return this.parseRecords(buffer, pos, length, final, false);
    // Latin-1 decoding keeps byte offsets as string offsets, so lines are found in the string; their text is
    // a slice of it when the bytes are ASCII, else decoded from UTF-8 line by line.
    const text = buffer.toString('latin1', 0, length);
    const ascii = isAscii(buffer.subarray(pos, length));
    let quoteAt = -1;
    while (pos < length) {
      if (quoteAt < pos) {
        quoteAt = text.indexOf('"', pos);
        if (quoteAt < 0) quoteAt = length;
      }
      let next = this.plainLine(text, ascii, pos, length, final, quoteAt);
      if (next === NEED_MORE) return pos;
      if (next === NOT_PLAIN) next = this.parseRecords(buffer, pos, length, final, true);
      if (next === pos) return pos;
      pos = next;
    }
    return length;
  }

  /** Reads the line at `start` from the decoded buffer when it has no quote; returns where the next begins. */
  private plainLine(
    text: string,
    ascii: boolean,
    start: number,
    length: number,
    final: boolean,
    quoteAt: number,
  ): number {
    let lf = text.indexOf('\n', start);
    if (lf < 0) {
      if (!final) return NEED_MORE;
      lf = length;
    }
    if (quoteAt < lf) return NOT_PLAIN;
    const record = this.record;
    const end = lf > start && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
    if (end === start) {
      this.problem('blank-line', record.line++, 0, CSV_MESSAGES.blankLine);
      return lf + 1;
    }
    const raw = ascii ? text.slice(start, end) : this.record.buffer.toString('utf8', start, end);
    const fields = raw.split(',');
    record.rawStart = start;
    record.rawEnd = end;
    record.rawText = raw;
    record.decoded = fields;
    record.count = fields.length;
    record.quoted = false;
    this.deliver();
    record.line++;
    return lf + 1;
  }

  /**
   * Reads records byte by byte from `start` (one only when `single`) and returns where the first one not
   * read begins: the offset of an incomplete record, or `length`.
   */
  private parseRecords(
    buffer: Buffer,
    start: number,
    length: number,
    final: boolean,
    single: boolean,
  ): number {
    const record = this.record;
    let pos = start;
    records: while (pos < length) {
      if (single && pos > start) return pos;
      const rowStart = pos;
      const first = buffer[pos];
      if (first === LF || first === CR) {
        if (first === CR && pos + 1 >= length && !final) return rowStart;
        if (first === LF || pos + 1 >= length || buffer[pos + 1] === LF) {
          this.problem('blank-line', record.line++, 0, CSV_MESSAGES.blankLine);
          pos += first === LF || pos + 1 >= length ? 1 : 2;
          continue;
        }
      }
      let field = 0;
      let newlines = 0;
      let quoted = false;
      if (this.pending.length > 0) this.pending.length = 0;
      for (;;) {
        if (field === record.starts.length) record.grow();
        if (pos < length && buffer[pos] === QUOTE) {
          quoted = true;
          const open = pos;
          const stop = Math.min(length, rowStart + MAX_QUOTED_RECORD_BYTES);
          let p = pos + 1;
          let escaped = 0;
          for (;;) {
            if (p >= stop) {
              if (p < rowStart + MAX_QUOTED_RECORD_BYTES && !final) return rowStart;
              this.flushPending();
              this.problem('syntax', record.line, field + 1, CSV_MESSAGES.neverClosed(field + 1));
              pos = this.skipLine(buffer, rowStart, length);
              if (this.skipping) return length;
              continue records;
            }
            const c = buffer[p];
            if (c === QUOTE) {
              if (p + 1 >= length) {
                if (!final) return rowStart;
                break;
              }
              if (buffer[p + 1] !== QUOTE) break;
              escaped = NEEDS_DECODING;
              p += 2;
            } else if (c === BACKSLASH) {
              if (p + 1 >= length && !final) return rowStart;
              const next = p + 1 < length ? buffer[p + 1] : -1;
              if (next === QUOTE || next === BACKSLASH) {
                escaped = NEEDS_DECODING;
                p += 2;
              } else {
                p++;
              }
            } else {
              if (c === LF) newlines++;
              p++;
            }
          }
          let end = p;
          pos = p + 1;
          // After the closing quote: a comma, LF, CRLF or the end; anything else is text after the quote.
          if ((pos >= length || buffer[pos] === CR) && pos + 1 >= length && !final) return rowStart;
          const after = buffer[pos];
          if (
            pos < length &&
            after !== COMMA &&
            after !== LF &&
            !(after === CR && (pos + 1 >= length || buffer[pos + 1] === LF))
          ) {
            let q = pos;
            while (q < length && buffer[q] !== COMMA && buffer[q] !== LF) q++;
            if (q >= length && !final) return rowStart;
            const textEnd = buffer[q - 1] === CR && (q >= length || buffer[q] === LF) ? q - 1 : q;
            const line = record.line + newlines;
            const message = CSV_MESSAGES.textAfterQuote(field + 1, buffer.toString('utf8', pos, textEnd));
            if (!this.onProblem) this.problem('syntax', line, field + 1, message);
            this.pending.push({ kind: 'syntax', line, column: field + 1, message });
            end = textEnd;
            escaped = NEEDS_DECODING;
            pos = textEnd;
          }
          record.starts[field] = open + 1;
          record.ends[field] = end;
          record.escaped[field] = escaped;
        } else {
          let p = pos;
          while (p < length) {
            const c = buffer[p];
            if (c === COMMA || c === LF) break;
            p++;
          }
          if (p >= length && !final) return rowStart;
          record.starts[field] = pos;
          record.ends[field] =
            p > pos && buffer[p - 1] === CR && (p >= length || buffer[p] === LF) ? p - 1 : p;
          record.escaped[field] = 0;
          pos = p;
        }
        field++;
        if (pos < length && buffer[pos] === COMMA) {
          pos++;
          continue;
        }
        break;
      }
      // The record ends here, at LF, CRLF or the end of the buffer (only reached when `final`).
      if (pos < length && buffer[pos] === CR) pos++;
      const lineEnd = pos;
      record.rawStart = rowStart;
      record.rawEnd = lineEnd;
      if (record.decoded !== undefined) {
        record.decoded = undefined;
        record.rawText = undefined;
      }
      record.count = field;
      record.quoted = quoted;
      if (this.pending.length > 0) this.flushPending();
      this.deliver();
      record.line += 1 + newlines;
      pos = lineEnd + 1;
    }
    return length;
  }

  private flushPending(): void {
    for (const problem of this.pending) this.onProblem?.(problem);
    this.pending.length = 0;
  }

  private deliver(): void {
    const record = this.record;
    if (this.width < 0) {
      this.width = record.count;
    } else if (record.count !== this.width) {
      this.problem('column-count', record.line, 0, CSV_MESSAGES.columnCount(record.count, this.width));
      return;
    }
    this.onRecord(record);
  }

  /**
   * Position after the LF that ends the line `from` is on, counting that line. When the buffer ends first,
   * `skipping` stays set for the next call and the whole buffer is consumed.
   */
  private skipLine(buffer: Buffer, from: number, length: number): number {
    const lf = buffer.indexOf(LF, from);
    this.skipping = lf < 0 || lf >= length;
    if (this.skipping) return length;
    this.record.line++;
    return lf + 1;
  }

  private problem(kind: CsvProblemKind, line: number, column: number, message: string): void {
    if (this.onProblem) {
      this.onProblem({ kind, line, column, message });
      return;
    }
    if (kind === 'blank-line') return;
    throw new InvalidInputError([{ field: `${this.record.source}:${line}`, message }]);
  }
}
