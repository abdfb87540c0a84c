import type { AttributeKind, AttributeTable } from '../data/types.ts';
import type { ArtifactArray } from './artifact.ts';

/** An attribute table as artifact parts, under `prefix`. */
export interface AttributeState {
  readonly columns: readonly { readonly name: string; readonly kind: AttributeKind }[];
  readonly arrays: Record<string, ArtifactArray>;
  readonly strings: Record<string, readonly string[]>;
}

// Categorical values were split on '|' when read, so joining on it round-trips them.
const VALUE_SEPARATOR = '|';

export function exportAttributes(table: AttributeTable, prefix: string): AttributeState {
  const arrays: Record<string, ArtifactArray> = {};
  const strings: Record<string, readonly string[]> = {};
  table.columns.forEach((column, c) => {
    const key = `${prefix}${c}`;
    if (column.kind === 'numeric') arrays[key] = column.values;
    else if (column.kind === 'categorical') strings[key] = column.values.map((v) => v.join(VALUE_SEPARATOR));
    else {
      strings[key] = column.values.map((v) => v ?? '');
      arrays[`${key}.null`] = Uint8Array.from(column.values, (v) => (v === null ? 1 : 0));
    }
  });
  return { columns: table.columns.map(({ name, kind }) => ({ name, kind })), arrays, strings };
}

export function importAttributes(
  columns: AttributeState['columns'],
  arrays: Readonly<Record<string, ArtifactArray>>,
  strings: Readonly<Record<string, readonly string[]>>,
  prefix: string,
): AttributeTable {
  return {
    columns: columns.map(({ name, kind }, c) => {
      const key = `${prefix}${c}`;
      if (kind === 'numeric') return { name, kind, values: arrays[key] as Float64Array };
      const values = strings[key] ?? [];
      if (kind === 'categorical')
        return { name, kind, values: values.map((v) => (v === '' ? [] : v.split(VALUE_SEPARATOR))) };
      const nulls = arrays[`${key}.null`] as Uint8Array;
      return { name, kind, values: values.map((v, i) => (nulls[i] === 1 ? null : v)) };
    }),
  };
}
