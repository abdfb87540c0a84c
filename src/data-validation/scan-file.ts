/**
 * Reads one dataset CSV: checks the header against the schema, then each row's shape and cells, and hands
 * well-shaped rows to the dataset-specific handler. Nothing per row is kept.
 */
import { stat } from 'node:fs/promises';
import type { ProgressReporter } from '../core/progress.ts';
import { type CsvProblem, type CsvProblemKind, type CsvRecord, scanCsvFile } from '../csv/index.ts';
import type { DatasetSchema } from '../schemas/types.ts';
import { type CellCheck, compileCellCheck } from './cell-checks.ts';
import type { IssueLog } from './issue-log.ts';
import type { DataRuleId } from './rule-catalog.ts';

/** Column position (0-based) of each schema field present in the header. */
export type ColumnIndex = ReadonlyMap<string, number>;

/** Dataset-specific work on a row whose column count matches the header; `record.raw()` is its text. */
export type RowHandler = (fields: readonly string[], line: number, record: CsvRecord) => void;

/** The data rule each problem of the CSV reader's recover mode fires. */
const PROBLEM_RULES: Readonly<Record<CsvProblemKind, DataRuleId>> = {
  syntax: 'csv-syntax',
  'column-count': 'row-column-count',
  'blank-line': 'blank-line',
};

export interface ScanContext {
  readonly file: string;
  readonly schema: DatasetSchema;
  readonly log: IssueLog;
  readonly nowSeconds: number;
  readonly progress?: ProgressReporter;
}

function checkHeader(header: readonly string[], { file, schema, log }: ScanContext): ColumnIndex {
  const columns = new Map<string, number>();
  const fieldNames = new Set(schema.fields.map((f) => f.name));
  header.forEach((name, i) => {
    if (columns.has(name)) {
      log.add(
        'header-duplicate-column',
        file,
        1,
        i + 1,
        `column ${JSON.stringify(name)} appears more than once`,
      );
    } else if (!fieldNames.has(name)) {
      log.add(
        'header-unknown-column',
        file,
        1,
        i + 1,
        `column ${JSON.stringify(name)} is not a field of the ${schema.datasetType} schema`,
      );
    } else {
      columns.set(name, i);
    }
  });
  const missing = schema.fields.filter((f) => !columns.has(f.name)).map((f) => f.name);
  if (missing.length > 0) {
    log.add(
      'header-missing-column',
      file,
      1,
      0,
      `the header is missing the following columns: [${missing.join(', ')}]`,
    );
  }
  const presentInSchemaOrder = schema.fields.map((f) => f.name).filter((name) => columns.has(name));
  const presentInHeaderOrder = header.filter((name) => fieldNames.has(name));
  const firstOff = presentInSchemaOrder.findIndex((name, k) => presentInHeaderOrder[k] !== name);
  if (firstOff !== -1) {
    log.add(
      'header-column-order',
      file,
      1,
      columns.get(presentInSchemaOrder[firstOff]!)! + 1,
      `columns should follow the schema order [${schema.fields.map((f) => f.name).join(', ')}]`,
    );
  }
  return columns;
}

/**
 * Validates `ctx.file` against `ctx.schema`; `onHeader` receives the column positions and returns the handler
 * for rows. Resolves to the number of data rows.
 */
export async function scanFile(
  ctx: ScanContext,
  onHeader: (columns: ColumnIndex) => RowHandler,
): Promise<number> {
  const { file, log, schema, progress } = ctx;
  let rows = 0;
  let checks: { position: number; check: CellCheck }[] = [];
  let onRow: RowHandler | undefined;
  progress?.start(`validate ${schema.datasetType}`, (await stat(file)).size);
  const onProblem = ({ kind, line, column, message }: CsvProblem): void => {
    if (kind === 'column-count') rows++;
    log.add(PROBLEM_RULES[kind], file, line, column, message);
  };
  const onRecord = (record: CsvRecord): void => {
    const fields = record.strings();
    if (onRow === undefined) {
      const columns = checkHeader(fields, ctx);
      checks = schema.fields
        .filter((f) => columns.has(f.name))
        .map((f) => ({ position: columns.get(f.name)!, check: compileCellCheck(f, ctx.nowSeconds) }));
      onRow = onHeader(columns);
      return;
    }
    rows++;
    const line = record.line;
    for (let c = 0; c < checks.length; c++) {
      const { position, check } = checks[c]!;
      const problem = check(fields[position]!);
      if (problem !== undefined) log.add(problem.rule, file, line, position + 1, problem.message);
    }
    onRow(fields, line, record);
  };
  await scanCsvFile(file, onRecord, {
    onProblem,
    view: 'strings',
    onProgress: progress && ((bytes) => progress.update(bytes)),
  });
  progress?.stop();
  if (onRow === undefined)
    log.add('file-empty', file, 1, 0, 'the file is empty; the first row must be the header');
  return rows;
}
