import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { InvalidInputError } from '../errors.ts';
import { readLines } from './line-reader.ts';
import { isRejected, OUTPUT_COLUMNS, type OutputKind, parseOutputLine } from './output-line.ts';
import { csvTableWriter, parquetTableWriter, type TableWriter } from './table-writer.ts';

export type ExportFormat = 'csv' | 'parquet';

export interface ExportOptions {
  /** Batch output JSON lines (a file stream or an S3 object body). */
  readonly input: Readable;
  /** Name of the input in error records and messages. */
  readonly inputName: string;
  readonly output: string;
  readonly format: ExportFormat;
  /** Lines with an `error`, malformed lines and lines of another kind go here, one JSON object per line. */
  readonly errorsOutput: string;
  /** Called every ~10k lines with the bytes read so far. */
  readonly onProgress?: (bytesRead: number) => void;
}

export interface ExportSummary {
  readonly lines: number;
  readonly rows: number;
  /** Lines set aside in `errorsOutput`, by reason prefix (e.g. `job error`, `malformed JSON`). */
  readonly rejected: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  readonly kind: OutputKind | undefined;
  readonly bytesRead: number;
}

/** A file format from a path's extension (`.csv`, `.parquet`). */
export function formatOf(path: string): ExportFormat {
  if (path.endsWith('.csv')) return 'csv';
  if (path.endsWith('.parquet')) return 'parquet';
  throw new InvalidInputError([{ field: 'output', message: `must end in .csv or .parquet, got ${path}` }]);
}

/**
 * Streams Personalize batch output into one row per (key, rank, id, score). Lines without usable output are
 * never dropped: each is written to `errorsOutput` with its line number and reason, and counted.
 */
export async function exportBatchOutput(options: ExportOptions): Promise<ExportSummary> {
  const errors = createWriteStream(options.errorsOutput);
  let table: TableWriter | undefined;
  let kind: OutputKind | undefined;
  let lines = 0;
  let rows = 0;
  let rejected = 0;
  let bytesRead = 0;
  const rejectedByReason: Record<string, number> = {};

  const reject = async (lineNumber: number, reason: string, line: string) => {
    rejected++;
    const category = reason.split(':')[0] ?? reason;
    rejectedByReason[category] = (rejectedByReason[category] ?? 0) + 1;
    const record = `${JSON.stringify({ source: options.inputName, line: lineNumber, reason, text: line })}\n`;
    if (!errors.write(record)) await once(errors, 'drain');
  };

  for await (const line of readLines(options.input)) {
    lines++;
    bytesRead += Buffer.byteLength(line) + 1;
    if (lines % 10_000 === 0) options.onProgress?.(bytesRead);
    if (line.trim().length === 0) continue;
    const parsed = parseOutputLine(line);
    if (isRejected(parsed)) {
      await reject(lines, parsed.reason, line);
      continue;
    }
    if (kind === undefined) {
      kind = parsed.kind;
      const columns = OUTPUT_COLUMNS[kind];
      table =
        options.format === 'csv'
          ? csvTableWriter(options.output, columns)
          : parquetTableWriter(options.output, columns);
    } else if (parsed.kind !== kind) {
      await reject(lines, `kind mismatch: line is ${parsed.kind}, file started as ${kind}`, line);
      continue;
    }
    const flushed = table!.writeRanked(parsed.key, parsed.ids, parsed.scores);
    if (flushed) await flushed;
    rows += parsed.ids.length;
  }
  // An input with no usable line still yields a valid (empty) table with the user-recommendation columns.
  table ??=
    options.format === 'csv'
      ? csvTableWriter(options.output, OUTPUT_COLUMNS.itemsForUser)
      : parquetTableWriter(options.output, OUTPUT_COLUMNS.itemsForUser);
  await table.close();
  errors.end();
  await once(errors, 'finish');
  options.onProgress?.(bytesRead);
  return { lines, rows, rejected, rejectedByReason, kind, bytesRead };
}
