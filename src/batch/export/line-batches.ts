import type { Readable } from 'node:stream';

/**
 * Regroups a byte stream into buffers of whole lines of about `targetBytes` each (the last one may lack its
 * final newline). Whole-line batches can be parsed independently, e.g. by worker threads.
 */
export async function* readLineBatches(stream: Readable, targetBytes = 1 << 20): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    parts.push(buffer);
    size += buffer.length;
    if (size < targetBytes) continue;
    const joined = parts.length === 1 ? buffer : Buffer.concat(parts, size);
    const cut = joined.lastIndexOf(10);
    if (cut === -1) {
      // One line longer than the target: keep reading until it ends.
      parts = [joined];
      continue;
    }
    yield joined.subarray(0, cut + 1);
    const rest = joined.subarray(cut + 1);
    parts = rest.length > 0 ? [rest] : [];
    size = rest.length;
  }
  if (size > 0) yield parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
}
