import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { InvalidInputError } from '../../errors.ts';

/**
 * The distinct values of one column (e.g. USER_ID) of a CSV with a header row, in first-seen order. The
 * column name is matched case-insensitively, as Personalize does for dataset columns.
 */
export async function readIdColumn(path: string, column: string): Promise<string[]> {
  const parser = createReadStream(path).pipe(
    parse({ bom: true, skip_empty_lines: true, relax_column_count: true }),
  );
  const seen = new Set<string>();
  let index = -1;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (index === -1) {
      index = record.findIndex((name) => name.trim().toUpperCase() === column);
      if (index === -1) {
        throw new InvalidInputError([
          { field: path, message: `has no ${column} column in its header (${record.join(',')})` },
        ]);
      }
      continue;
    }
    const id = record[index];
    if (id !== undefined && id !== '') seen.add(id);
  }
  return [...seen];
}
