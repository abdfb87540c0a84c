import { InvalidInputError } from '../../errors.ts';
import type { PropertyValue } from '../../recommender/types.ts';
import type { AttributeKind, AttributeTable, IdIndex } from '../data/types.ts';

export interface ColumnInfo {
  readonly name: string;
  readonly kind: AttributeKind;
}

type Column =
  | { readonly name: string; readonly kind: 'categorical'; readonly values: (readonly string[])[] }
  | { readonly name: string; readonly kind: 'numeric'; readonly values: number[] }
  | { readonly name: string; readonly kind: 'textual'; readonly values: (string | null)[] };

const NO_VALUES: readonly string[] = [];
const NO_ROWS: ReadonlySet<number> = new Set();

/**
 * The metadata of one dataset (Items or Users), by row, kept up to date by PutItems / PutUsers. Rows follow the
 * model's dense index. Categorical columns get a value → rows index on first use (a filter's creation), which
 * is then maintained on every update, so requests never scan values.
 */
export class AttributeStore {
  private readonly ids: string[];
  private readonly rows: Map<string, number>;
  private readonly byName = new Map<string, Column>();
  private readonly indexes = new Map<string, Map<string, Set<number>>>();

  private constructor(ids: IdIndex, table: AttributeTable) {
    this.ids = [...ids.ids];
    this.rows = new Map(ids.indexOf);
    for (const column of table.columns) {
      const values = column.kind === 'numeric' ? Array.from(column.values) : [...column.values];
      this.byName.set(column.name, { name: column.name, kind: column.kind, values } as Column);
    }
  }

  /** A store seeded from a model's ids and metadata table (rows beyond the table have no values). */
  static from(ids: IdIndex, table: AttributeTable): AttributeStore {
    return new AttributeStore(ids, table);
  }

  get size(): number {
    return this.ids.length;
  }

  get columns(): ColumnInfo[] {
    return [...this.byName.values()].map(({ name, kind }) => ({ name, kind }));
  }

  column(name: string): ColumnInfo | undefined {
    const column = this.byName.get(name);
    return column && { name: column.name, kind: column.kind };
  }

  /** The column whose name equals `name` ignoring case (request metadataColumns are matched that way). */
  columnIgnoringCase(name: string): ColumnInfo | undefined {
    return this.column(name) ?? this.columns.find((c) => c.name.toUpperCase() === name.toUpperCase());
  }

  rowOf(id: string): number | undefined {
    return this.rows.get(id);
  }

  idOf(row: number): string {
    return this.ids[row]!;
  }

  categorical(name: string, row: number): readonly string[] {
    const column = this.byName.get(name);
    return column?.kind === 'categorical' ? (column.values[row] ?? NO_VALUES) : NO_VALUES;
  }

  numeric(name: string, row: number): number {
    const column = this.byName.get(name);
    return column?.kind === 'numeric' ? (column.values[row] ?? Number.NaN) : Number.NaN;
  }

  /** A numeric column's values by row (NaN when null), for scans that would otherwise look it up per row. */
  numericValues(name: string): readonly number[] {
    const column = this.byName.get(name);
    return column?.kind === 'numeric' ? column.values : [];
  }

  /** A row's value as text (categorical values joined by `|`, as in the CSV); undefined when null. */
  text(name: string, row: number): string | undefined {
    const column = this.byName.get(name);
    if (column === undefined) return undefined;
    if (column.kind === 'categorical') {
      const values = column.values[row];
      return values && values.length > 0 ? values.join('|') : undefined;
    }
    if (column.kind === 'numeric') {
      const value = column.values[row];
      return value === undefined || Number.isNaN(value) ? undefined : String(value);
    }
    return column.values[row] ?? undefined;
  }

  /** Rows holding `value` in a categorical column (exact match). */
  rowsWith(name: string, value: string): ReadonlySet<number> {
    return this.index(name).get(value) ?? NO_ROWS;
  }

  /** Builds the value → rows index of a categorical column now, so the first request does not pay for it. */
  prepareIndex(name: string): void {
    this.index(name);
  }

  /**
   * Adds or replaces a record (checked with `check` first); `values` are keyed by column name (UPPER_SNAKE).
   * Columns left out become null, as in a replaced Personalize record. Returns the row.
   */
  upsert(id: string, values: Readonly<Record<string, PropertyValue>>): number {
    let row = this.rows.get(id);
    if (row === undefined) {
      row = this.ids.length;
      this.ids.push(id);
      this.rows.set(id, row);
    }
    for (const column of this.byName.values()) this.write(column, row, values[column.name] ?? null);
    return row;
  }

  /** Throws InvalidInputError naming `field` for a column the store lacks or a value of the wrong type. */
  check(name: string, value: PropertyValue, field: string): void {
    const column = this.byName.get(name);
    if (column === undefined) {
      const known = [...this.byName.keys()].join(', ') || 'none';
      throw new InvalidInputError([{ field, message: `is not a column of the schema (columns: ${known})` }]);
    }
    if (column.kind === 'numeric' && value !== null && typeof value !== 'number') {
      throw new InvalidInputError([{ field, message: `must be a number (column ${name} is numeric)` }]);
    }
  }

  private write(column: Column, row: number, value: PropertyValue): void {
    if (column.kind === 'numeric') {
      column.values[row] = typeof value === 'number' ? value : Number.NaN;
      return;
    }
    if (column.kind === 'textual') {
      column.values[row] = value === null ? null : String(value);
      return;
    }
    const index = this.indexes.get(column.name);
    for (const old of column.values[row] ?? NO_VALUES) index?.get(old)?.delete(row);
    const next = value === null || value === '' ? NO_VALUES : String(value).split('|');
    column.values[row] = next;
    for (const v of next) addTo(index, v, row);
  }

  private index(name: string): Map<string, Set<number>> {
    let index = this.indexes.get(name);
    if (index !== undefined) return index;
    index = new Map();
    const column = this.byName.get(name);
    if (column?.kind === 'categorical') {
      column.values.forEach((values, row) => {
        for (const v of values) addTo(index, v, row);
      });
    }
    this.indexes.set(name, index);
    return index;
  }
}

function addTo(index: Map<string, Set<number>> | undefined, value: string, row: number): void {
  if (index === undefined) return;
  let rows = index.get(value);
  if (rows === undefined) index.set(value, (rows = new Set()));
  rows.add(row);
}
