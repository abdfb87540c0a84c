import { scanCsvFile } from '../../csv/index.ts';
import { InvalidInputError } from '../../errors.ts';

/**
 * The distinct values of one column (e.g. USER_ID) of a CSV with a header row, in first-seen order. The
 * column name is matched case-insensitively, as Personalize does for dataset columns.
 */
export async function readIdColumn(path: string, column: string): Promise<string[]> {
  const seen = new Set<string>();
  let index = -1;
  await scanCsvFile(path, (record) => {
    if (index >= 0) {
      if (!record.isEmpty(index)) seen.add(record.text(index));
      return;
    }
    const header = record.strings();
    index = header.findIndex((name) => name.trim().toUpperCase() === column);
    if (index === -1) {
      throw new InvalidInputError([
        { field: path, message: `has no ${column} column in its header (${header.join(',')})` },
      ]);
    }
  });
  return [...seen];
}
