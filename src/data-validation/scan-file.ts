/**
 * Reads one dataset CSV: checks the header against the schema, then each row's shape and cells, and hands
 * well-shaped rows to the dataset-specific handler. Nothing per row is kept.
 */
import { stat } from 'node:fs/promises';
import type { ProgressReporter } from '../core/progress.ts';
import type { DatasetSchema } from '../schemas/types.ts';
import { type CellCheck, compileCellCheck } from './cell-checks.ts';
import { readCsvFile } from './csv-records.ts';
import type { IssueLog } from './issue-log.ts';

/** Column position (0-based) of each schema field present in the header. */
export type ColumnIndex = ReadonlyMap<string, number>;

/** Dataset-specific work on a row whose column count matches the header. */
export type RowHandler = (fields: readonly string[], line: number, raw: string) => void;

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
  let width = 0;
  let checks: { position: number; check: CellCheck }[] = [];
  let onRow: RowHandler | undefined;
  progress?.start(`validate ${schema.datasetType}`, (await stat(file)).size);
  await readCsvFile(
    file,
    {
      syntaxError: (line, column, message) => log.add('csv-syntax', file, line, column, message),
      record: (fields, line, raw) => {
        if (onRow === undefined) {
          const columns = checkHeader(fields, ctx);
          width = fields.length;
          checks = schema.fields
            .filter((f) => columns.has(f.name))
            .map((f) => ({ position: columns.get(f.name)!, check: compileCellCheck(f, ctx.nowSeconds) }));
          onRow = onHeader(columns);
          return;
        }
        if (raw === '') {
          log.add('blank-line', file, line, 0, 'empty line; remove it');
          return;
        }
        rows++;
        if (fields.length !== width) {
          log.add(
            'row-column-count',
            file,
            line,
            0,
            `row has ${fields.length} columns, the header has ${width}; the row is not checked further`,
          );
          return;
        }
        for (let c = 0; c < checks.length; c++) {
          const { position, check } = checks[c]!;
          const problem = check(fields[position]!);
          if (problem !== undefined) log.add(problem.rule, file, line, position + 1, problem.message);
        }
        onRow(fields, line, raw);
      },
    },
    progress && ((bytes) => progress.update(bytes)),
  );
  progress?.stop();
  if (onRow === undefined)
    log.add('file-empty', file, 1, 0, 'the file is empty; the first row must be the header');
  return rows;
}
