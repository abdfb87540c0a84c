import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { parse } from 'csv-parse';
import { InvalidInputError, ResourceNotFoundError } from '../errors.ts';

/** A CSV file's header and rows as string arrays (the header is not among the rows). */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Reads a whole CSV file with a header line; a missing file is a ResourceNotFoundError naming the path. */
export async function readCsv(path: string): Promise<CsvTable> {
  const input = createReadStream(path);
  const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: false }));
  input.on('error', (error) => parser.destroy(error));
  let header: string[] | undefined;
  const rows: string[][] = [];
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header === undefined) header = record;
      else rows.push(record);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ResourceNotFoundError(`file not found: ${path}`, { cause: error });
    throw new InvalidInputError([{ field: path, message: (error as Error).message }], { cause: error });
  }
  if (header === undefined)
    throw new InvalidInputError([{ field: path, message: 'the file is empty (no header)' }]);
  return { header, rows };
}

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

function escapeField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Writes a header and the given rows of `table` as CSV, streaming with backpressure. */
export async function writeCsvRows(path: string, table: CsvTable, rowNumbers: Int32Array): Promise<void> {
  const out = createWriteStream(path);
  const line = (fields: readonly string[]): string => `${fields.map(escapeField).join(',')}\n`;
  if (!out.write(line(table.header))) await once(out, 'drain');
  for (const r of rowNumbers) {
    if (!out.write(line(table.rows[r]!))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
