import { ByteBuffer } from './byte-buffer.ts';
import { ByteDictionary } from './byte-dictionary.ts';
import { grown } from './grow.ts';
import { jsonNumberAt } from './json-number.ts';
import type { LineScanner } from './line-scanner.ts';
import { type EncodedRowGroup, encodeRowGroup } from './parquet-row-group.ts';

/**
 * Rows of one batch collected column by column for a Parquet row group: keys and ids go straight from the
 * input bytes into dictionaries, scores into doubles. Lines read by JSON.parse are UTF-8-encoded into a
 * scratch buffer and take the same route.
 */
export class ParquetRows {
  rows = 0;
  private readonly keys = new ByteBuffer(1 << 16);
  private readonly ids: ByteDictionary;
  private readonly scratch = new ByteBuffer(256);
  private lines = 0;
  private counts = new Int32Array(1024);
  private idIndexes: Int32Array;
  private scores: Float64Array;

  /** `capacity`: expected rows (arrays grow past it). */
  constructor(capacity: number) {
    // A first guess at distinct ids that spares most rehashing; the table grows past it.
    this.ids = new ByteDictionary(capacity >> 4);
    this.idIndexes = new Int32Array(Math.max(capacity, 64));
    this.scores = new Float64Array(Math.max(capacity, 64));
  }

  scanned(bytes: Uint8Array, line: LineScanner): void {
    this.startLine(bytes, line.keyStart, line.keyEnd, line.count);
    const row = this.rows;
    for (let i = 0; i < line.count; i++) {
      this.idIndexes[row + i] = this.ids.indexOf(bytes, line.idStart[i]!, line.idEnd[i]!);
      this.scores[row + i] = line.hasScores
        ? jsonNumberAt(bytes, line.scoreStart[i]!, line.scoreEnd[i]!)
        : Number.NaN;
    }
    this.rows += line.count;
  }

  parsed(key: string, ids: readonly string[], scores: readonly (number | null)[] | undefined): void {
    const scratch = this.scratch;
    scratch.length = 0;
    scratch.text(key);
    this.startLine(scratch.bytes, 0, scratch.length, ids.length);
    for (let i = 0; i < ids.length; i++) {
      scratch.length = 0;
      scratch.text(ids[i]!);
      this.idIndexes[this.rows + i] = this.ids.indexOf(scratch.bytes, 0, scratch.length);
      this.scores[this.rows + i] = scores?.[i] ?? Number.NaN;
    }
    this.rows += ids.length;
  }

  encode(columns: readonly string[]): EncodedRowGroup {
    return encodeRowGroup(columns, {
      keys: { plain: this.keys.view(), size: this.lines },
      counts: this.counts.subarray(0, this.lines),
      ids: { plain: this.ids.plain.view(), size: this.ids.size },
      idIndexes: this.idIndexes.subarray(0, this.rows),
      scores: this.scores.subarray(0, this.rows),
    });
  }

  /** Adds the line's key and makes room for its `count` rows. */
  private startLine(source: Uint8Array, start: number, end: number, count: number): void {
    this.keys.ensure(4 + end - start);
    this.keys.uint32(end - start);
    this.keys.span(source, start, end);
    if (this.lines === this.counts.length) this.counts = grown(this.counts);
    this.counts[this.lines++] = count;
    if (this.rows + count > this.idIndexes.length) {
      this.idIndexes = grown(this.idIndexes, this.rows + count);
      this.scores = grown(this.scores, this.rows + count);
    }
  }
}
