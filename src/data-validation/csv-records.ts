/**
 * Streaming CSV record splitter for Personalize's bulk-import format (personalize-reference.md §3.4).
 *
 * Hand-written rather than csv-parse: on a 1M-row, 6-column interactions file on the 2-core dev machine,
 * csv-parse 7 took 1.63 s (0.6M rows/s) just to split records, this splitter 0.42 s (2.4M rows/s), because
 * most lines have no quote and take the `String.split` fast path. With csv-parse, parsing alone would use
 * more than half of the 30 s budget for 10M rows (scripts/bench/validate-data.bench.ts).
 *
 * Quoted fields may hold commas and newlines; a quote inside is escaped either CSV-style (`""`) or
 * Personalize-style (`\"`, with `\\` for a backslash). A record that stays inside quotes for more than
 * MAX_RECORD_CHARS is reported as unterminated and parsing resumes on the next line, so memory stays bounded.
 */
import { createReadStream } from 'node:fs';

export interface CsvHandlers {
  /** One record: its fields, the 1-based line it starts on, and its text without the line terminator. */
  record(fields: string[], line: number, raw: string): void;
  /** A syntax problem; the splitter recovers and goes on. `column` is the 1-based field number. */
  syntaxError(line: number, column: number, message: string): void;
}

/** Longest quoted record accepted; Personalize's longest value (textual) is 20,000 characters. */
export const MAX_RECORD_CHARS = 1 << 20;

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const LF = 10;
const CR = 13;

interface SyntaxProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

type QuotedResult =
  | {
      readonly kind: 'record';
      readonly fields: string[];
      readonly end: number;
      readonly next: number;
      readonly lines: number;
      readonly problems: readonly SyntaxProblem[];
    }
  /** The text ends inside the record: more input is needed (or, at the end of input, the quote never closes). */
  | { readonly kind: 'open'; readonly column: number };

/** Feed text chunks with `push`, then call `end`; records go to the handlers in file order. */
export class CsvRecordSplitter {
  private carry = '';
  private line = 1;
  private started = false;

  constructor(private readonly handlers: CsvHandlers) {}

  push(chunk: string): void {
    this.consume(this.carry.length > 0 ? this.carry + chunk : chunk, false);
  }

  end(): void {
    this.consume(this.carry, true);
  }

  private consume(text: string, final: boolean): void {
    const n = text.length;
    let start = 0;
    if (!this.started && n > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) start = 1;
    }
    // Position of the next quote at or after `start` (n when none): one scan per chunk, not per line.
    let quote = -1;
    while (start < n) {
      let nl = text.indexOf('\n', start);
      if (nl === -1) {
        if (!final) break;
        nl = n;
      }
      if (quote < start) {
        quote = text.indexOf('"', start);
        if (quote === -1) quote = n;
      }
      const end = nl > start && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      const raw = text.slice(start, end);
      if (quote >= end) {
        this.handlers.record(raw.split(','), this.line++, raw);
        start = nl + 1;
        continue;
      }
      const parsed = parseQuotedRecord(text, start, final, this.line);
      if (parsed.kind === 'open' && !final && n - start <= MAX_RECORD_CHARS) break;
      if (parsed.kind === 'record') {
        for (const p of parsed.problems) this.handlers.syntaxError(p.line, p.column, p.message);
        this.handlers.record(parsed.fields, this.line, text.slice(start, parsed.end));
        this.line += parsed.lines;
        start = parsed.next;
        continue;
      }
      this.handlers.syntaxError(
        this.line++,
        parsed.column,
        `unterminated quoted field (no closing quote within ${MAX_RECORD_CHARS} characters or before the end of the file); the line is skipped`,
      );
      start = nl + 1;
    }
    this.carry = start < n ? text.slice(start) : '';
  }
}

/** Parses one record that contains quotes, starting at `start`; may span several physical lines. */
function parseQuotedRecord(text: string, start: number, final: boolean, line: number): QuotedResult {
  const n = text.length;
  const fields: string[] = [];
  const problems: SyntaxProblem[] = [];
  let lines = 1;
  let i = start;
  for (;;) {
    let value: string;
    if (i < n && text.charCodeAt(i) === QUOTE) {
      i++;
      value = '';
      let segment = i;
      for (;;) {
        if (i >= n) return { kind: 'open', column: fields.length + 1 };
        const c = text.charCodeAt(i);
        if (c === BACKSLASH || c === QUOTE) {
          if (i + 1 >= n && !final) return { kind: 'open', column: fields.length + 1 };
          const next = text.charCodeAt(i + 1);
          if (next === QUOTE || (c === BACKSLASH && next === BACKSLASH)) {
            value += text.slice(segment, i) + text[i + 1];
            i += 2;
            segment = i;
            continue;
          }
          if (c === QUOTE) {
            value += text.slice(segment, i);
            i++;
            break;
          }
        } else if (c === LF) {
          lines++;
        }
        i++;
      }
      const after = i;
      while (i < n && text.charCodeAt(i) !== COMMA && text.charCodeAt(i) !== LF) i++;
      if (i >= n && !final) return { kind: 'open', column: fields.length + 1 };
      const trailing = text.slice(after, i > after && text.charCodeAt(i - 1) === CR ? i - 1 : i);
      if (trailing.length > 0) {
        problems.push({
          line: line + lines - 1,
          column: fields.length + 1,
          message: `unexpected text ${JSON.stringify(trailing.slice(0, 20))} after the closing quote`,
        });
        value += trailing;
      }
    } else {
      const from = i;
      while (i < n && text.charCodeAt(i) !== COMMA && text.charCodeAt(i) !== LF) i++;
      if (i >= n && !final) return { kind: 'open', column: fields.length + 1 };
      value = text.slice(from, i > from && text.charCodeAt(i - 1) === CR ? i - 1 : i);
    }
    fields.push(value);
    if (i < n && text.charCodeAt(i) === COMMA) {
      i++;
      continue;
    }
    const end = i > start && text.charCodeAt(i - 1) === CR ? i - 1 : i;
    return { kind: 'record', fields, end, next: i + 1, lines, problems };
  }
}

/** Streams a UTF-8 CSV file through a CsvRecordSplitter; `onBytes` hears the bytes read so far. */
export async function readCsvFile(
  path: string,
  handlers: CsvHandlers,
  onBytes?: (bytesRead: number) => void,
): Promise<void> {
  const splitter = new CsvRecordSplitter(handlers);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<string>) {
    splitter.push(chunk);
    onBytes?.(stream.bytesRead);
  }
  splitter.end();
}
