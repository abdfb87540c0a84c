import { open } from 'node:fs/promises';
import { fileReadError } from '../core/file-errors.ts';
import type { CsvRecord } from './record.ts';
import { CsvScanner, type CsvScannerOptions } from './scanner.ts';

const CHUNK_BYTES = 8 << 20;

export interface ScanCsvOptions extends CsvScannerOptions {
  /** Hears the bytes read so far after each read, and the file's size. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Bytes per read; a record larger than that grows the buffer. */
  readonly chunkBytes?: number;
}

async function openCsv(path: string): Promise<Awaited<ReturnType<typeof open>>> {
  // A directory opens fine on Linux and fails at the first read: check it here, where the path is known.
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw fileReadError(error, path);
  });
  if ((await handle.stat()).isDirectory()) {
    await handle.close();
    throw fileReadError(Object.assign(new Error('EISDIR'), { code: 'EISDIR' }), path);
  }
  return handle;
}

/**
 * Streams a CSV file through a CsvScanner, record by record (header first). Resolves to whether the file
 * had a header, i.e. any record at all. A missing file is a ResourceNotFoundError naming the path.
 */
export async function scanCsvFile(
  path: string,
  onRecord: (record: CsvRecord) => void,
  { onProgress, chunkBytes = CHUNK_BYTES, ...scanning }: ScanCsvOptions = {},
): Promise<boolean> {
  const handle = await openCsv(path);
  try {
    const total = (await handle.stat()).size;
    const scanner = new CsvScanner(path, onRecord, scanning);
    let buffer = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(total, 1)));
    let filled = 0;
    let bytesRead = 0;
    for (;;) {
      if (filled === buffer.length) {
        // One record is larger than the buffer: grow it so the record fits.
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
      }
      const { bytesRead: n } = await handle.read(buffer, filled, buffer.length - filled, null);
      bytesRead += n;
      filled += n;
      const final = n === 0;
      const consumed = scanner.scan(buffer, filled, final);
      buffer.copy(buffer, 0, consumed, filled);
      filled -= consumed;
      onProgress?.(bytesRead, total);
      if (final) return scanner.hasHeader;
    }
  } finally {
    await handle.close();
  }
}
