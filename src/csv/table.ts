import { InvalidInputError } from '../errors.ts';
import { CSV_MESSAGES } from './dialect.ts';
import { scanCsvFile } from './read-file.ts';
import type { CsvRecord } from './record.ts';
import { CsvScanner } from './scanner.ts';

/** A whole CSV file as strings: its header, its rows, and the line each row starts on. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** 1-based line of each row (rows may span lines inside quotes). */
  readonly lines: readonly number[];
}

function collector(): { onRecord: (record: CsvRecord) => void; table: () => CsvTable | undefined } {
  let header: string[] | undefined;
  const rows: string[][] = [];
  const lines: number[] = [];
  return {
    onRecord: (record) => {
      if (header === undefined) {
        header = record.strings();
        return;
      }
      rows.push(record.strings());
      lines.push(record.line);
    },
    table: () => header && { header, rows, lines },
  };
}

/** The error of a file with no record at all, not even a header. */
export function noHeaderError(source: string): InvalidInputError {
  return new InvalidInputError([{ field: source, message: CSV_MESSAGES.noHeader }]);
}

/** Reads a whole CSV file, strictly (for files small enough to hold as strings). */
export async function readCsvTable(path: string): Promise<CsvTable> {
  const { onRecord, table } = collector();
  await scanCsvFile(path, onRecord, { view: 'strings' });
  const result = table();
  if (result === undefined) throw noHeaderError(path);
  return result;
}

/** Parses CSV text or bytes already in memory, strictly; `source` names it in errors. */
export function parseCsv(text: string | Buffer, source: string): CsvTable {
  const { onRecord, table } = collector();
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  new CsvScanner(source, onRecord, { view: 'strings' }).scan(bytes, bytes.length, true);
  const result = table();
  if (result === undefined) throw noHeaderError(source);
  return result;
}
