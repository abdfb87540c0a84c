import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { PARQUET_MAGIC, parquetFooter, parquetSchema, type RowGroup, shifted } from './parquet-row-group.ts';
import type { RowPayload } from './parse-batch.ts';

/** Rows of (key, rank, id, score) written to a file, a bounded batch at a time. */
export interface TableWriter {
  write(payload: RowPayload): Promise<void>;
  close(): Promise<void>;
}

/** CSV with a header row; each payload is already CSV bytes, written with back-pressure. */
export function csvTableWriter(path: string, columns: readonly string[]): TableWriter {
  const stream = createWriteStream(path);
  stream.write(`${columns.join(',')}\n`);
  return {
    async write(payload) {
      if (payload.format !== 'csv') throw new TypeError('csvTableWriter needs CSV payloads');
      if (!stream.write(payload.bytes)) await once(stream, 'drain');
    },
    async close() {
      stream.end();
      await once(stream, 'finish');
    },
  };
}

/**
 * Parquet assembled from row groups the parsers already encoded (one per batch, so memory stays bounded): this
 * thread appends their bytes, moves their offsets to where they land in the file, and writes the footer.
 */
export function parquetTableWriter(path: string, columns: readonly string[]): TableWriter {
  const stream = createWriteStream(path);
  const rowGroups: RowGroup[] = [];
  stream.write(PARQUET_MAGIC);
  let position = PARQUET_MAGIC.length;
  return {
    async write(payload) {
      if (payload.format !== 'parquet') throw new TypeError('parquetTableWriter needs Parquet payloads');
      rowGroups.push(shifted(payload.rowGroup, position));
      position += payload.bytes.byteLength;
      if (!stream.write(payload.bytes)) await once(stream, 'drain');
    },
    async close() {
      stream.end(parquetFooter(parquetSchema(columns), rowGroups));
      await once(stream, 'finish');
    },
  };
}
