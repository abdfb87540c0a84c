/**
 * Parquet encoding split across threads: a worker encodes a batch's rows into one self-contained row group
 * (column chunks plus their metadata), and the thread that owns the file only appends the bytes and writes the
 * footer. The pages are assembled here from bytes the collector already holds (dictionaries in PLAIN form,
 * indexes, doubles); the library supplies snappy and the Thrift page headers and footer.
 */
import { ByteWriter } from 'hyparquet-writer';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import { ByteBuffer } from './byte-buffer.ts';
import { appendRleHybrid } from './rle-hybrid.ts';

// The writer's own view of the metadata types (it depends on an older hyparquet than the reader we install).
type FileMetaData = Parameters<typeof writeMetadata>[1];
type SchemaElement = FileMetaData['schema'][number];
export type RowGroup = FileMetaData['row_groups'][number];
type ColumnChunk = RowGroup['columns'][number];
type Codec = 'SNAPPY' | 'UNCOMPRESSED';

/** A dictionary page body (PLAIN values) and how many values it holds. */
export interface PlainDictionary {
  readonly plain: Uint8Array;
  readonly size: number;
}

/** The rows of one batch: `counts[line]` ranked rows for each line's key. */
export interface CollectedRows {
  /** One key per line (a key on two lines is listed twice, which readers accept). */
  readonly keys: PlainDictionary;
  readonly counts: Int32Array;
  readonly ids: PlainDictionary;
  /** Per row, the index of its id in `ids`. */
  readonly idIndexes: Int32Array;
  /** Per row; NaN where the line had no scores (JSON cannot hold NaN, so it is unambiguous). */
  readonly scores: Float64Array;
}

/** One encoded row group; its offsets count from the start of `bytes`. */
export interface EncodedRowGroup {
  readonly bytes: Uint8Array;
  readonly rowGroup: RowGroup;
}

/** Opens and closes every Parquet file. */
export const PARQUET_MAGIC: Uint8Array = new TextEncoder().encode('PAR1');

export function parquetSchema(columns: readonly string[]): SchemaElement[] {
  const [keyName, rankName, idName, scoreName] = columns as [string, string, string, string];
  return [
    { name: 'root', num_children: 4 },
    { name: keyName, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    { name: rankName, type: 'INT32', repetition_type: 'REQUIRED' },
    { name: idName, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    { name: scoreName, type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  ];
}

/**
 * Encodes rows as one row group. Key, rank and id are dictionary-encoded (keys repeat along a line, ranks and
 * ids across lines); dictionary pages are snappy-compressed, while index pages (bit-packed, nearly random) and
 * doubles are left as they are, which snappy would only slow down. Offset indexes are left out: they would
 * live after the row groups, outside these bytes.
 */
export function encodeRowGroup(columns: readonly string[], rows: CollectedRows): EncodedRowGroup {
  const [, keyElement, rankElement, idElement, scoreElement] = parquetSchema(columns) as [
    SchemaElement,
    SchemaElement,
    SchemaElement,
    SchemaElement,
    SchemaElement,
  ];
  const total = rows.idIndexes.length;
  const keyIndexes = new Int32Array(total);
  const rankIndexes = new Int32Array(total);
  let maxRank = 0;
  for (let line = 0, row = 0; line < rows.counts.length; line++) {
    const count = rows.counts[line]!;
    for (let rank = 0; rank < count; rank++, row++) {
      keyIndexes[row] = line;
      rankIndexes[row] = rank;
    }
    maxRank = Math.max(maxRank, count);
  }
  const ranks = new Int32Array(maxRank);
  for (let r = 0; r < maxRank; r++) ranks[r] = r + 1;

  const writer = new ByteWriter(total * 4 + rows.keys.plain.length + rows.ids.plain.length);
  const chunks = [
    writeDictionaryColumn(writer, keyElement, rows.keys, keyIndexes),
    writeDictionaryColumn(writer, rankElement, { plain: bytesOf(ranks), size: maxRank }, rankIndexes),
    writeDictionaryColumn(writer, idElement, rows.ids, rows.idIndexes),
    writeScoreColumn(writer, scoreElement, rows.scores),
  ];
  const rowGroup: RowGroup = {
    columns: chunks,
    total_byte_size: chunks.reduce((sum, c) => sum + (c.meta_data?.total_uncompressed_size ?? 0n), 0n),
    num_rows: BigInt(total),
    total_compressed_size: BigInt(writer.offset),
  };
  return { bytes: writer.getBytes(), rowGroup };
}

const bytesOf = (array: Int32Array | Float64Array) =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** A required column as a dictionary page and one RLE_DICTIONARY data page of `indexes`. */
function writeDictionaryColumn(
  writer: ByteWriter,
  element: SchemaElement,
  dictionary: PlainDictionary,
  indexes: Int32Array,
): ColumnChunk {
  const start = writer.offset;
  const compressed = snappyCompress(dictionary.plain);
  writePageHeader(writer, {
    type: 'DICTIONARY_PAGE',
    uncompressed_page_size: dictionary.plain.length,
    compressed_page_size: compressed.length,
    dictionary_page_header: { num_values: dictionary.size, encoding: 'PLAIN' },
  });
  writer.appendBytes(compressed);
  let uncompressed = writer.offset - start - compressed.length + dictionary.plain.length;

  const bitWidth = dictionary.size > 1 ? 32 - Math.clz32(dictionary.size - 1) : 0;
  const body = new ByteBuffer(Math.ceil((indexes.length * bitWidth) / 8) + 64);
  body.byte(bitWidth);
  appendRleHybrid(body, indexes, bitWidth);
  const dataStart = writer.offset;
  uncompressed += writeDataPage(writer, {
    encoding: 'RLE_DICTIONARY',
    rows: indexes.length,
    nulls: 0,
    levels: new Uint8Array(0),
    body: body.view(),
  });
  return chunkOf(element, 'SNAPPY', ['PLAIN', 'RLE_DICTIONARY'], {
    values: indexes.length,
    start,
    dataStart,
    end: writer.offset,
    uncompressed,
  });
}

/** The optional score column: definition levels (runs per line), then PLAIN doubles of the present ones. */
function writeScoreColumn(writer: ByteWriter, element: SchemaElement, scores: Float64Array): ColumnChunk {
  const levels = new Int32Array(scores.length);
  const present = new Float64Array(scores.length);
  let count = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    if (Number.isNaN(score)) continue;
    levels[i] = 1;
    present[count++] = score;
    if (score < min) min = score;
    if (score > max) max = score;
  }
  const levelBytes = new ByteBuffer(64);
  appendRleHybrid(levelBytes, levels, 1);
  const start = writer.offset;
  const uncompressed = writeDataPage(writer, {
    encoding: 'PLAIN',
    rows: scores.length,
    nulls: scores.length - count,
    levels: levelBytes.view(),
    body: bytesOf(present.subarray(0, count)),
  });
  const chunk = chunkOf(element, 'UNCOMPRESSED', ['PLAIN', 'RLE'], {
    values: scores.length,
    start,
    dataStart: start,
    end: writer.offset,
    uncompressed,
  });
  const statistics =
    count > 0
      ? { null_count: BigInt(scores.length - count), min_value: min, max_value: max }
      : { null_count: BigInt(scores.length) };
  return { ...chunk, meta_data: { ...chunk.meta_data!, statistics } };
}

interface DataPage {
  readonly encoding: 'PLAIN' | 'RLE_DICTIONARY';
  readonly rows: number;
  readonly nulls: number;
  /** RLE definition levels (empty for a required column). */
  readonly levels: Uint8Array;
  readonly body: Uint8Array;
}

/** A data page v2 left uncompressed (`is_compressed: false`); returns its size with the header. */
function writeDataPage(writer: ByteWriter, page: DataPage): number {
  const start = writer.offset;
  const size = page.levels.length + page.body.length;
  writePageHeader(writer, {
    type: 'DATA_PAGE_V2',
    uncompressed_page_size: size,
    compressed_page_size: size,
    data_page_header_v2: {
      num_values: page.rows,
      num_nulls: page.nulls,
      num_rows: page.rows,
      encoding: page.encoding,
      definition_levels_byte_length: page.levels.length,
      repetition_levels_byte_length: 0,
      is_compressed: false,
    },
  });
  writer.appendBytes(page.levels);
  writer.appendBytes(page.body);
  return writer.offset - start;
}

function chunkOf(
  element: SchemaElement,
  codec: Codec,
  encodings: ('PLAIN' | 'RLE' | 'RLE_DICTIONARY')[],
  at: { values: number; start: number; dataStart: number; end: number; uncompressed: number },
): ColumnChunk {
  const hasDictionary = at.dataStart !== at.start;
  return {
    file_offset: BigInt(at.start),
    meta_data: {
      type: element.type!,
      encodings,
      path_in_schema: [element.name],
      codec,
      num_values: BigInt(at.values),
      total_compressed_size: BigInt(at.end - at.start),
      total_uncompressed_size: BigInt(at.uncompressed),
      data_page_offset: BigInt(at.dataStart),
      ...(hasDictionary ? { dictionary_page_offset: BigInt(at.start) } : {}),
    },
  };
}

/** The row group with every file position moved by `delta` bytes. */
export function shifted(group: RowGroup, delta: number): RowGroup {
  const d = BigInt(delta);
  const move = (offset: bigint | undefined) => (offset === undefined ? undefined : offset + d);
  return {
    ...group,
    columns: group.columns.map((chunk) => ({
      ...chunk,
      file_offset: chunk.file_offset + d,
      meta_data: chunk.meta_data && {
        ...chunk.meta_data,
        data_page_offset: chunk.meta_data.data_page_offset + d,
        dictionary_page_offset: move(chunk.meta_data.dictionary_page_offset),
      },
    })),
  };
}

/** The file footer: metadata of all row groups, its length and the closing magic. */
export function parquetFooter(schema: SchemaElement[], rowGroups: RowGroup[]): Uint8Array {
  const metadata: FileMetaData = {
    version: 2,
    created_by: 'hyparquet',
    schema,
    num_rows: rowGroups.reduce((sum, g) => sum + g.num_rows, 0n),
    row_groups: rowGroups,
    metadata_length: 0,
  };
  const writer = new ByteWriter();
  writeMetadata(writer, metadata);
  writer.appendBytes(PARQUET_MAGIC);
  return writer.getBytes();
}
