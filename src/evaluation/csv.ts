import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { type CsvTable, formatCsvField } from '../csv/index.ts';
import { InvalidInputError } from '../errors.ts';

/** Position of each required column in the header, or an InvalidInputError naming every missing one. */
export function columnPositions<const N extends string>(
  path: string,
  header: readonly string[],
  names: readonly N[],
): Record<N, number> {
  const positions = {} as Record<N, number>;
  const missing = names.filter((name) => {
    positions[name] = header.indexOf(name);
    return positions[name] < 0;
  });
  if (missing.length > 0)
    throw new InvalidInputError(
      missing.map((name) => ({ field: `${path}:${name}`, message: `required column ${name} is missing` })),
    );
  return positions;
}

/** Writes a header and the given rows of `table` as CSV, streaming with backpressure. */
export async function writeCsvRows(path: string, table: CsvTable, rowNumbers: Int32Array): Promise<void> {
  const out = createWriteStream(path);
  const line = (fields: readonly string[]): string => `${fields.map(formatCsvField).join(',')}\n`;
  if (!out.write(line(table.header))) await once(out, 'drain');
  for (const r of rowNumbers) {
    if (!out.write(line(table.rows[r]!))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
