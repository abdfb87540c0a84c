import { CsvRows } from './csv-rows.ts';
import { LineScanner } from './line-scanner.ts';
import { isRejected, OUTPUT_COLUMNS, type OutputKind, parseOutputLine } from './output-line.ts';
import type { EncodedRowGroup } from './parquet-row-group.ts';
import { ParquetRows } from './parquet-rows.ts';

export type ExportFormat = 'csv' | 'parquet';

/** One line set aside, numbered from 1 within its batch. */
export interface BatchRejection {
  readonly line: number;
  readonly reason: string;
  readonly text: string;
}

/**
 * Ranked rows already encoded in the output format, so the thread that writes the file only appends bytes:
 * CSV text, or a Parquet row group.
 */
export type RowPayload =
  | { readonly format: 'csv'; readonly bytes: Uint8Array }
  | ({ readonly format: 'parquet' } & EncodedRowGroup);

/** What one batch of whole lines yields. */
export interface BatchResult {
  readonly lines: number;
  readonly rows: number;
  readonly rejections: readonly BatchRejection[];
  /** Absent when the batch has no rows (a Parquet row group cannot be empty). */
  readonly payload: RowPayload | undefined;
}

/** Calls `visit(start, end)` for each line of a batch, without its line break. */
function forEachLine(batch: Uint8Array, visit: (start: number, end: number) => void): void {
  let start = 0;
  while (start < batch.length) {
    let end = batch.indexOf(10, start);
    const next = end === -1 ? batch.length : end + 1;
    if (end === -1) end = batch.length;
    if (end > start && batch[end - 1] === 13) end--;
    visit(start, end);
    start = next;
  }
}

const decoder = new TextDecoder();

/** The kind of the first usable line of a batch, if any: the kind every later line must have. */
export function firstKind(batch: Uint8Array): OutputKind | undefined {
  let kind: OutputKind | undefined;
  forEachLine(batch, (start, end) => {
    if (kind !== undefined) return;
    const parsed = parseOutputLine(decoder.decode(batch.subarray(start, end)));
    if (!isRejected(parsed)) kind = parsed.kind;
  });
  return kind;
}

/**
 * Parses a batch of whole JSON lines into rows of `kind`. Canonical lines are read from their bytes (see
 * LineScanner); the others go through JSON.parse. Blank lines are counted but yield nothing; every other line
 * that yields no rows (job error, malformed, other kind) is returned as a rejection.
 */
export function parseBatch(
  batch: Uint8Array,
  kind: OutputKind | undefined,
  format: ExportFormat,
): BatchResult {
  const rejections: BatchRejection[] = [];
  // Sized for typical lines (about 20 input bytes per ranked row); both grow past the guess.
  const sink = format === 'csv' ? new CsvRows(batch.length * 2) : new ParquetRows(batch.length >> 4);
  const scanner = LineScanner.for(kind);
  let lines = 0;
  forEachLine(batch, (start, end) => {
    lines++;
    if (scanner?.scan(batch, start, end)) {
      sink.scanned(batch, scanner);
      return;
    }
    const line = decoder.decode(batch.subarray(start, end));
    if (line.trim().length === 0) return;
    const parsed = parseOutputLine(line);
    if (isRejected(parsed)) {
      rejections.push({ line: lines, reason: parsed.reason, text: line });
    } else if (parsed.kind !== kind) {
      rejections.push({
        line: lines,
        reason: `kind mismatch: line is ${parsed.kind}, file started as ${kind ?? 'nothing'}`,
        text: line,
      });
    } else {
      sink.parsed(parsed.key, parsed.ids, parsed.scores);
    }
  });
  const rows = sink.rows;
  if (rows === 0) return { lines, rows, rejections, payload: undefined };
  const payload: RowPayload =
    sink instanceof CsvRows
      ? { format: 'csv', bytes: sink.out.view() }
      : { format: 'parquet', ...sink.encode(OUTPUT_COLUMNS[kind!]) };
  return { lines, rows, rejections, payload };
}
