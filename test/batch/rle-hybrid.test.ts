import fc from 'fast-check';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { describe, expect, it } from 'vitest';
import { ByteBuffer } from '../../src/batch/export/byte-buffer.ts';
import { appendRleHybrid } from '../../src/batch/export/rle-hybrid.ts';

/** Decodes with the reader's own implementation of the encoding. */
function decode(bytes: Uint8Array, bitWidth: number, count: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const output = new Array<number>(count);
  readRleBitPackedHybrid({ view, offset: 0 }, bitWidth, output, bytes.length);
  return output;
}

/** Values with runs of repeats (keys along a line) between scattered ones (ids). */
const valuesWithRuns = (max: number) =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max }), fc.integer({ min: 1, max: 30 })), { maxLength: 60 })
    .map((runs) => Int32Array.from(runs.flatMap(([value, length]) => Array<number>(length).fill(value))));

describe('appendRleHybrid', () => {
  it.each([1, 3, 8, 13, 20, 24])('round-trips through the Parquet reader at bit width %i', (bitWidth) => {
    fc.assert(
      fc.property(valuesWithRuns(2 ** bitWidth - 1), (values) => {
        const out = new ByteBuffer(8);
        appendRleHybrid(out, values, bitWidth);
        expect(decode(out.view(), bitWidth, values.length)).toEqual([...values]);
      }),
      { numRuns: 100 },
    );
  });

  it('writes a run of one value as one RLE run, and nothing at bit width 0', () => {
    const out = new ByteBuffer(8);
    appendRleHybrid(out, new Int32Array(25).fill(3), 2);
    expect([...out.view()]).toEqual([25 << 1, 3]);
    const zero = new ByteBuffer(8);
    appendRleHybrid(zero, new Int32Array(10), 0);
    expect(decode(zero.view(), 0, 10)).toEqual(new Array(10).fill(0));
  });

  it('refuses bit widths it cannot pack', () => {
    expect(() => appendRleHybrid(new ByteBuffer(8), new Int32Array(1), 25)).toThrow(RangeError);
  });
});
