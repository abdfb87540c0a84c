import { readCsvTable } from '../../csv/index.ts';
import { InvalidInputError } from '../../errors.ts';
import type { DatasetSchema } from '../../schemas/types.ts';
import { checkHeader } from './header.ts';
import type { IdIndexBuilder } from './id-index.ts';
import { inferKind, kindFromSchema } from './infer-kind.ts';
import type { AttributeColumn, AttributeKind, AttributeTable } from './types.ts';

/** An Items or Users file (or in-memory rows) as strings, before the columns' kinds are known. */
export interface MetadataTable {
  readonly header: readonly string[];
  /** Row-major cells; '' is null. */
  readonly rows: readonly (readonly string[])[];
  /** Names a row for error messages: `file.csv:12` or `items.3`. */
  readonly where: (row: number) => string;
}

/** Reads a whole metadata CSV (these files are small next to the interactions). */
export async function readMetadataCsv(path: string): Promise<MetadataTable> {
  const { header, rows, lines } = await readCsvTable(path);
  return { header, rows, where: (row) => `${path}:${lines[row]}` };
}

interface UsedColumn {
  readonly name: string;
  readonly position: number;
  readonly kind: AttributeKind;
  readonly required: boolean;
}

function usedColumns(
  table: MetadataTable,
  source: string,
  idColumn: string,
  schema: DatasetSchema | undefined,
): UsedColumn[] {
  const positions = checkHeader(source, table.header, [idColumn], schema);
  const used: UsedColumn[] = [];
  for (const [name, position] of positions) {
    if (name === idColumn) continue;
    const field = schema?.fields.find((f) => f.name === name);
    const kind = field ? kindFromSchema(field) : inferKind(table.rows.map((row) => row[position]!));
    if (kind) used.push({ name, position, kind, required: field !== undefined && !field.nullable });
  }
  return used;
}

function buildColumn(
  table: MetadataTable,
  column: UsedColumn,
  rowOfIndex: Int32Array,
  count: number,
): AttributeColumn {
  const cell = (index: number): string | undefined => {
    const row = index < rowOfIndex.length ? rowOfIndex[index]! : -1;
    if (row < 0) return undefined;
    const value = table.rows[row]![column.position]!;
    if (value === '' && column.required) {
      throw new InvalidInputError([
        {
          field: `${table.where(row)}:${column.name}`,
          message: 'is empty but the schema field is not nullable',
        },
      ]);
    }
    return value;
  };
  if (column.kind === 'numeric') {
    const values = new Float64Array(count).fill(Number.NaN);
    for (let i = 0; i < count; i++) {
      const value = cell(i);
      if (value === undefined || value === '') continue;
      const number = Number(value);
      if (!Number.isFinite(number)) {
        const row = rowOfIndex[i]!;
        throw new InvalidInputError([
          { field: `${table.where(row)}:${column.name}`, message: `must be a number, got "${value}"` },
        ]);
      }
      values[i] = number;
    }
    return { name: column.name, kind: 'numeric', values };
  }
  if (column.kind === 'categorical') {
    const values = Array.from({ length: count }, (_, i) => splitCategorical(cell(i) ?? ''));
    return { name: column.name, kind: 'categorical', values };
  }
  const values = Array.from({ length: count }, (_, i) => cell(i) || null);
  return { name: column.name, kind: 'textual', values };
}

/** `Action|Crime` → ['Action', 'Crime']; empty parts are not values. */
export function splitCategorical(cell: string): string[] {
  if (cell === '') return [];
  return cell.split('|').filter((part) => part !== '');
}

/**
 * Registers the table's ids (so items with metadata only still get an index) and returns a function that,
 * once every id is known, builds the AttributeTable aligned with the final IdIndex. A repeated id keeps its
 * last row, as a later PutItems would.
 */
export function indexMetadata(
  table: MetadataTable,
  source: string,
  idColumn: string,
  ids: IdIndexBuilder,
  schema?: DatasetSchema,
): () => AttributeTable {
  const columns = usedColumns(table, source, idColumn, schema);
  const idPosition = table.header.findIndex((name) => name.trim() === idColumn);
  const rowOf: number[] = [];
  table.rows.forEach((row, r) => {
    const id = row[idPosition]!;
    if (id === '') {
      throw new InvalidInputError([{ field: `${table.where(r)}:${idColumn}`, message: 'must not be empty' }]);
    }
    rowOf[ids.intern(id)] = r;
  });
  return () => {
    const count = ids.ids.length;
    const rowOfIndex = new Int32Array(count).fill(-1);
    rowOf.forEach((row, index) => {
      rowOfIndex[index] = row;
    });
    return { columns: columns.map((column) => buildColumn(table, column, rowOfIndex, count)) };
  };
}

/** An AttributeTable with no columns (no Items or Users data). */
export const EMPTY_ATTRIBUTES: AttributeTable = { columns: [] };
