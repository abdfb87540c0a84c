export {
  CSV_MESSAGES,
  type CsvProblem,
  type CsvProblemKind,
  formatCsvField,
  MAX_QUOTED_RECORD_BYTES,
} from './dialect.ts';
export { type ScanCsvOptions, scanCsvFile } from './read-file.ts';
export { type ByteInterner, CsvRecord } from './record.ts';
export { type CsvProblemHandler, CsvScanner, type CsvScannerOptions } from './scanner.ts';
export { type CsvTable, noHeaderError, parseCsv, readCsvTable } from './table.ts';
