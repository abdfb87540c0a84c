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
  private width = -1;
  private started = false;
  /** Set when a never-closed record's first line runs past the buffer: skip to the next LF. */
  private skipping = false;
  /** Recover mode's problems of the record being read, reported once it is complete (not on each retry). */
  private readonly pending: CsvProblem[] = [];

  constructor(
    source: string,
    private readonly onRecord: (record: CsvRecord) => void,
    private readonly onProblem?: CsvProblemHandler,
  ) {
    this.record = new CsvRecord(source);
    this.record.line = 1;
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
    const record = this.record;
    record.buffer = buffer;
    let pos = 0;
    if (!this.started) {
      if (length < 3 && !final) return 0;
      this.started = true;
      if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) pos = 3;
    }
    if (this.skipping) {
      const resumed = this.skipLine(buffer, pos, length);
      if (resumed < 0) return length;
      pos = resumed;
    }
    records: while (pos < length) {
      const rowStart = pos;
      const first = buffer[pos];
      if (first === LF || first === CR) {
        if (first === CR && pos + 1 >= length && !final) return rowStart;
        if (first === LF || pos + 1 >= length || buffer[pos + 1] === LF) {
          pos += first === LF || pos + 1 >= length ? 1 : 2;
          this.problem('blank-line', record.line++, 0, CSV_MESSAGES.blankLine);
          continue;
        }
      }
      let field = 0;
      let newlines = 0;
      let quoted = false;
      this.pending.length = 0;
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
              const resumed = this.skipLine(buffer, rowStart, length);
              if (resumed < 0) return length;
              pos = resumed;
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
          if (pos >= length || buffer[pos] === CR) {
            if (pos + 1 >= length && !final) return rowStart;
          }
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
            const text = buffer.toString('utf8', pos, textEnd);
            const message = CSV_MESSAGES.textAfterQuote(field + 1, text);
            if (!this.onProblem) this.problem('syntax', record.line + newlines, field + 1, message);
            this.pending.push({ kind: 'syntax', line: record.line + newlines, column: field + 1, message });
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
        // The record ends here, at LF, CRLF or the end of the buffer (only reached when `final`).
        if (pos < length && buffer[pos] === CR) pos++;
        const lineEnd = pos;
        if (pos < length) pos++;
        record.rawStart = rowStart;
        record.rawEnd = lineEnd > rowStart && buffer[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
        record.count = field;
        record.quoted = quoted;
        this.flushPending();
        this.deliver();
        break;
      }
      record.line += 1 + newlines;
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
    record.reset();
    this.onRecord(record);
  }

  /**
   * Position after the LF that ends the line `from` is on, counting that line; -1 when the buffer ends
   * first, and then the next call goes on skipping.
   */
  private skipLine(buffer: Buffer, from: number, length: number): number {
    const lf = buffer.indexOf(LF, from);
    if (lf < 0 || lf >= length) {
      this.skipping = true;
      return -1;
    }
    this.skipping = false;
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
