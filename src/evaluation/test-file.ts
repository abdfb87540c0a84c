import { readCsvTable } from '../csv/index.ts';
import type { TestInteraction } from './context.ts';
import { columnPositions } from './csv.ts';

/** Reads the held-out interactions (USER_ID, ITEM_ID; other columns ignored) of a test CSV, used as given. */
export async function readTestInteractions(path: string): Promise<TestInteraction[]> {
  const table = await readCsvTable(path);
  const at = columnPositions(path, table.header, ['USER_ID', 'ITEM_ID']);
  return table.rows.map((row) => ({ userId: row[at.USER_ID]!, itemId: row[at.ITEM_ID]! }));
}
