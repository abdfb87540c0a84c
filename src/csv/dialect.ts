/**
 * The CSV dialect of Personalize's bulk imports (personalize-reference.md §3.4), read identically by every
 * reader in the toolkit: validate-data, the local engine's loader, evaluation and the batch CLIs all go
 * through `CsvScanner`, so a file one of them accepts, the others accept with the same values, and a file
 * one rejects, the others reject with the same message.
 *
 * - UTF-8. A leading byte-order mark (EF BB BF) is dropped.
 * - A record ends at LF or at the end of the file (the last line needs no newline). One CR right before
 *   that end is dropped, so CRLF files read like LF files. Any other CR is data.
 * - Fields are separated by commas. An unquoted field runs to the next comma or line end, literally:
 *   quotes and backslashes inside it are data.
 * - A field that starts with `"` is quoted and may hold commas, CRs and LFs. Inside it `\"` and `""` each
 *   stand for one quote and `\\` for one backslash: Personalize documents the backslash escapes,
 *   spreadsheets write RFC 4180's doubled quote, and both occur in real exports. Any other backslash is
 *   data. So a quoted value that ends in a backslash must be written with `\\` (`"C:\\"`), or the final
 *   `\"` reads as an escaped quote.
 * - After a closing quote comes a comma or the line end; anything else is a syntax error.
 * - A quoted field must close before the end of the file and within MAX_QUOTED_RECORD_BYTES of its
 *   record's start, so one stray quote cannot swallow the rest of a large file.
 * - Empty lines are skipped (the recover mode reports them).
 * - The first record is the header; every later record must have as many fields as the header.
 */

/** Longest record that holds a quoted field; Personalize's longest value (textual) is 20,000 characters. */
export const MAX_QUOTED_RECORD_BYTES = 1 << 20;

export const QUOTE = 34;
export const BACKSLASH = 92;
export const COMMA = 44;
export const LF = 10;
export const CR = 13;

/** What is wrong with a record: a syntax error, a column count unlike the header's, or an empty line. */
export type CsvProblemKind = 'syntax' | 'column-count' | 'blank-line';

export interface CsvProblem {
  readonly kind: CsvProblemKind;
  /** 1-based line of the problem. */
  readonly line: number;
  /** 1-based field number, 0 when the problem concerns the whole record. */
  readonly column: number;
  readonly message: string;
}

/** The messages, written once so every reader reports a problem in the same words. */
export const CSV_MESSAGES = {
  textAfterQuote: (column: number, text: string): string =>
    `unexpected character after a closing quote in field ${column} (${JSON.stringify(text.slice(0, 20))}); quote the whole field and escape inner quotes as "" or \\"`,
  neverClosed: (column: number): string =>
    `a quoted field is never closed (field ${column}: no closing quote within ${MAX_QUOTED_RECORD_BYTES} bytes or before the end of the file)`,
  columnCount: (count: number, width: number): string =>
    `has ${count} field${count === 1 ? '' : 's'}, the header has ${width}`,
  blankLine: 'empty line; remove it',
  noHeader: 'the file is empty (no header)',
} as const;

/** `value` as one CSV field of this dialect: quoted, with quotes doubled and backslashes escaped, when needed. */
export function formatCsvField(value: string): string {
  if (!/[",\r\n]/.test(value)) return value;
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '""')}"`;
}
