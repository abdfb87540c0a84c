import type { Readable } from 'node:stream';

/**
 * Yields the lines of a byte stream (LF or CRLF), without the terminator. Splits on raw bytes and decodes
 * each line once, which is several times faster than `readline` for large JSON-lines files.
 */
export async function* readLines(stream: Readable): AsyncGenerator<string> {
  let carry: Buffer | undefined;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (carry) {
      buffer = Buffer.concat([carry, buffer]);
      carry = undefined;
    }
    let start = 0;
    let newline = buffer.indexOf(10, start);
    while (newline !== -1) {
      const end = newline > start && buffer[newline - 1] === 13 ? newline - 1 : newline;
      yield buffer.toString('utf8', start, end);
      start = newline + 1;
      newline = buffer.indexOf(10, start);
    }
    if (start < buffer.length) carry = buffer.subarray(start);
  }
  if (carry && carry.length > 0) {
    const end = carry[carry.length - 1] === 13 ? carry.length - 1 : carry.length;
    yield carry.toString('utf8', 0, end);
  }
}
