import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fileWriter, ParquetWriter } from 'hyparquet-writer';

/** Rows of (key, rank, id, score) written to a file, a bounded batch at a time. */
export interface TableWriter {
  /**
   * Buffers one ranked list as rows ranked 1..n. Returns a promise only when the buffer was flushed, so the
   * hot loop awaits once per flush rather than once per row.
   */
  writeRanked(
    key: string,
    ids: readonly string[],
    scores: readonly number[] | undefined,
  ): Promise<void> | undefined;
  close(): Promise<void>;
}

/** RFC 4180 quoting, only where needed. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

async function writeChunk(stream: WriteStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/** CSV with a header row; rows are joined into ~1 MB chunks and written with back-pressure. */
export function csvTableWriter(path: string, columns: readonly string[]): TableWriter {
  const stream = createWriteStream(path);
  let pending = `${columns.join(',')}\n`;
  return {
    writeRanked(key, ids, scores) {
      const quotedKey = csvField(key);
      for (let i = 0; i < ids.length; i++) {
        const score = scores?.[i];
        pending += `${quotedKey},${i + 1},${csvField(ids[i]!)},${score === undefined ? '' : score}\n`;
      }
      if (pending.length < 1 << 20) return undefined;
      const chunk = pending;
      pending = '';
      return writeChunk(stream, chunk);
    },
    async close() {
      await writeChunk(stream, pending);
      stream.end();
      await once(stream, 'finish');
    },
  };
}

/** Parquet (snappy) with one row group per `rowGroupSize` rows, so memory stays bounded. */
export function parquetTableWriter(
  path: string,
  columns: readonly string[],
  rowGroupSize = 100_000,
): TableWriter {
  const [keyName, rankName, idName, scoreName] = columns as [string, string, string, string];
  const writer = new ParquetWriter({
    writer: fileWriter(path),
    schema: [
      { name: 'root', num_children: 4 },
      { name: keyName, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: rankName, type: 'INT32', repetition_type: 'REQUIRED' },
      { name: idName, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: scoreName, type: 'DOUBLE', repetition_type: 'OPTIONAL' },
    ],
  });
  let keys: string[] = [];
  let ranks: number[] = [];
  let ids: string[] = [];
  let scores: (number | null)[] = [];
  const flush = async () => {
    if (keys.length === 0) return;
    await writer.write({
      columnData: [
        { name: keyName, data: keys },
        { name: rankName, data: ranks },
        { name: idName, data: ids },
        { name: scoreName, data: scores },
      ],
      rowGroupSize,
    });
    keys = [];
    ranks = [];
    ids = [];
    scores = [];
  };
  return {
    writeRanked(key, rankedIds, rankedScores) {
      for (let i = 0; i < rankedIds.length; i++) {
        keys.push(key);
        ranks.push(i + 1);
        ids.push(rankedIds[i]!);
        scores.push(rankedScores?.[i] ?? null);
      }
      return keys.length >= rowGroupSize ? flush() : undefined;
    },
    async close() {
      await flush();
      await writer.finish();
    },
  };
}
