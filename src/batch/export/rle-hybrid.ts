import type { ByteBuffer } from './byte-buffer.ts';

/** Shortest repeat written as an RLE run rather than bit-packed (one 8-value group). */
const MIN_RUN = 8;

/**
 * Appends `values` in Parquet's RLE / bit-packing hybrid encoding with `bitWidth` bits each: repeats of 8 or
 * more become RLE runs (a key along its line), the rest bit-packed groups of 8 (ids, ranks). Written straight
 * into bytes: the dictionary indexes of every row pass through here.
 */
export function appendRleHybrid(out: ByteBuffer, values: Int32Array, bitWidth: number): void {
  if (bitWidth > 24) throw new RangeError(`appendRleHybrid: bitWidth must be at most 24, got ${bitWidth}`);
  const n = values.length;
  let packedFrom = 0;
  let groups = 0;
  let i = 0;
  while (i < n) {
    const value = values[i]!;
    let run = 1;
    while (i + run < n && values[i + run] === value) run++;
    if (run >= MIN_RUN) {
      appendPacked(out, values, packedFrom, groups, bitWidth);
      groups = 0;
      appendRun(out, value, run, bitWidth);
      i += run;
      packedFrom = i;
    } else {
      groups++;
      i += MIN_RUN;
    }
  }
  appendPacked(out, values, packedFrom, groups, bitWidth);
}

function appendVarInt(out: ByteBuffer, value: number): void {
  out.ensure(5);
  while (value > 0x7f) {
    out.byte((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  out.byte(value);
}

function appendRun(out: ByteBuffer, value: number, count: number, bitWidth: number): void {
  appendVarInt(out, count << 1);
  out.ensure(4);
  for (let shift = 0; shift < bitWidth; shift += 8) out.byte((value >>> shift) & 0xff);
}

/** `groups` groups of 8 values from `from`, LSB first; values past the end pad the last group with 0. */
function appendPacked(
  out: ByteBuffer,
  values: Int32Array,
  from: number,
  groups: number,
  bitWidth: number,
): void {
  if (groups === 0) return;
  appendVarInt(out, (groups << 1) | 1);
  out.ensure(groups * bitWidth);
  const bytes = out.bytes;
  let at = out.length;
  const end = Math.min(from + groups * MIN_RUN, values.length);
  let buffer = 0;
  let bits = 0;
  for (let i = from; i < end; i++) {
    buffer |= values[i]! << bits;
    bits += bitWidth;
    while (bits >= 8) {
      bytes[at++] = buffer & 0xff;
      buffer >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) bytes[at++] = buffer & 0xff;
  // Padding values are 0: their bytes are already 0 or are written as 0 here.
  const packedEnd = out.length + groups * bitWidth;
  while (at < packedEnd) bytes[at++] = 0;
  out.length = packedEnd;
}
