import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readCsvTable } from '../csv/index.ts';
import { InvalidInputError } from '../errors.ts';
import { timestampWarnings } from '../recommender/timestamp-rule.ts';
import { columnPositions, writeCsvRows } from './csv.ts';
import { chronologicalSplit } from './split.ts';

export interface SplitFileSummary {
  readonly trainPath: string;
  readonly testPath: string;
  readonly trainRows: number;
  readonly testRows: number;
  /** Held-out rows dropped because their item never occurs in train. */
  readonly droppedTestRows: number;
  /** Users with at least one test row. */
  readonly testUsers: number;
  /** Millisecond or far-future timestamps (they still split by their order). */
  readonly warnings: readonly string[];
}

/** Dense index (first-seen order) of the ids in column `at` of every row. */
function denseIndex(rows: readonly (readonly string[])[], at: number): Int32Array {
  const index = new Map<string, number>();
  const out = new Int32Array(rows.length);
  rows.forEach((row, r) => {
    const id = row[at]!;
    let i = index.get(id);
    if (i === undefined) index.set(id, (i = index.size));
    out[r] = i;
  });
  return out;
}

/**
 * Splits an interactions CSV (USER_ID, ITEM_ID, TIMESTAMP, any other columns kept as they are) with
 * `chronologicalSplit` and writes `train.csv` and `test.csv` into `outDir`, rows in their input order.
 */
export async function splitInteractionsFile(input: string, outDir: string): Promise<SplitFileSummary> {
  const table = await readCsvTable(input);
  const at = columnPositions(input, table.header, ['USER_ID', 'ITEM_ID', 'TIMESTAMP']);
  const n = table.rows.length;
  const userIndex = denseIndex(table.rows, at.USER_ID);
  const itemIndex = denseIndex(table.rows, at.ITEM_ID);
  const timestamp = new Float64Array(n);
  table.rows.forEach((row, r) => {
    const raw = row[at.TIMESTAMP]!;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value))
      throw new InvalidInputError([
        {
          field: `${input}:${table.lines[r]}:TIMESTAMP`,
          message: `must be a number of epoch seconds, got "${raw}"`,
        },
      ]);
    timestamp[r] = value;
  });

  const split = chronologicalSplit({ length: n, userIndex, itemIndex, timestamp });
  await mkdir(outDir, { recursive: true });
  const trainPath = join(outDir, 'train.csv');
  const testPath = join(outDir, 'test.csv');
  await writeCsvRows(trainPath, table, split.train);
  await writeCsvRows(testPath, table, split.test);
  return {
    trainPath,
    testPath,
    trainRows: split.train.length,
    testRows: split.test.length,
    droppedTestRows: split.droppedTest.length,
    testUsers: new Set(Array.from(split.test, (r) => userIndex[r])).size,
    warnings: timestampWarnings(input, timestamp),
  };
}
