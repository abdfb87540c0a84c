/**
 * Parquet encoding split across threads: a worker encodes a batch's rows into one self-contained row group
 * (column chunks plus their metadata), and the thread that owns the file only appends the bytes and writes the
 * footer. Encoding (dictionaries, snappy) is most of the cost of Parquet output, so it runs in parallel.
 */
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { writeDataPageV2 } from 'hyparquet-writer/src/datapage.js';
import { writeDictionaryPage } from 'hyparquet-writer/src/dictionary.js';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';

// The writer's own view of the metadata types (it depends on an older hyparquet than the reader we install).
type FileMetaData = Parameters<typeof writeMetadata>[1];
type SchemaElement = FileMetaData['schema'][number];
export type RowGroup = FileMetaData['row_groups'][number];
type ColumnChunk = RowGroup['columns'][number];

/** The rows of one batch: `counts[i]` ranked rows for `keys[i]`. */
export interface RankedRows {
  readonly keys: readonly string[];
  readonly counts: Int32Array;
  readonly ids: readonly string[];
  /** NaN where the line had no scores (JSON cannot hold NaN, so it is unambiguous). */
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

/** A string column as a dictionary and, per row, an index into it. */
interface DictionaryColumn {
  readonly dictionary: readonly string[];
  readonly indexes: Int32Array;
}

/**
 * Encodes rows as one snappy row group. Key and id columns are dictionary-encoded (ids repeat across lines),
 * with dictionaries built here: the key dictionary is simply one entry per line (a key on two lines is listed
 * twice, which readers accept), and the library's generic
 * dictionary builder (size estimates, UTF-8 encoding of every value) cost more than all the rest of the
 * encoding. Offset indexes are left out: they would live after the row groups, outside these bytes.
 */
export function encodeRowGroup(columns: readonly string[], rows: RankedRows): EncodedRowGroup {
  const schema = parquetSchema(columns);
  const [, keyElement, rankElement, idElement, scoreElement] = schema as [
    SchemaElement,
    SchemaElement,
    SchemaElement,
    SchemaElement,
    SchemaElement,
  ];
  const total = rows.ids.length;
  const keyIndexes = new Int32Array(total);
  const ranks = new Int32Array(total);
  let row = 0;
  for (let line = 0; line < rows.keys.length; line++) {
    for (let rank = 1; rank <= rows.counts[line]!; rank++, row++) {
      keyIndexes[row] = line;
      ranks[row] = rank;
    }
  }
  const scores = rows.scores.some(Number.isNaN)
    ? Array.from(rows.scores, (s) => (Number.isNaN(s) ? null : s))
    : rows.scores;

  // The numeric columns go through the library's writer (its leading magic is dropped below).
  const bytes = new ByteWriter(total * 8);
  const numbers = new ParquetWriter({
    writer: bytes,
    schema: [{ name: 'root', num_children: 2 }, rankElement, scoreElement],
  });
  void numbers.write({
    columnData: [
      { name: rankElement.name, data: ranks, statistics: false, offsetIndex: false },
      { name: scoreElement.name, data: scores, offsetIndex: false },
    ],
    rowGroupSize: total,
  });
  const [rankChunk, scoreChunk] = numbers.row_groups[0]!.columns as [ColumnChunk, ColumnChunk];
  const keyChunk = writeDictionaryColumn(bytes, keyElement, { dictionary: rows.keys, indexes: keyIndexes });
  const idChunk = writeDictionaryColumn(bytes, idElement, dictionaryOf(rows.ids));

  const chunks = [keyChunk, rankChunk, idChunk, scoreChunk];
  const rowGroup: RowGroup = {
    columns: chunks,
    total_byte_size: chunks.reduce((sum, c) => sum + (c.meta_data?.total_uncompressed_size ?? 0n), 0n),
    num_rows: BigInt(total),
    total_compressed_size: BigInt(bytes.offset - PARQUET_MAGIC.length),
  };
  // Own, exact-size bytes without the leading magic, so they can be transferred and appended as they are.
  const encoded = new Uint8Array(bytes.getBuffer(), PARQUET_MAGIC.length);
  return { bytes: encoded, rowGroup: shifted(rowGroup, -PARQUET_MAGIC.length) };
}

function dictionaryOf(values: readonly string[]): DictionaryColumn {
  const dictionary: string[] = [];
  const indexes = new Int32Array(values.length);
  const indexOf = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    let index = indexOf.get(value);
    if (index === undefined) {
      index = dictionary.push(value) - 1;
      indexOf.set(value, index);
    }
    indexes[i] = index;
  }
  return { dictionary, indexes };
}

/** Writes a required string column as a snappy dictionary page and one RLE_DICTIONARY data page. */
function writeDictionaryColumn(
  writer: ByteWriter,
  element: SchemaElement,
  column: DictionaryColumn,
): ColumnChunk {
  const encoder: Parameters<typeof writeDataPageV2>[0]['column'] = {
    columnName: element.name,
    element,
    schemaPath: [element],
    codec: 'SNAPPY',
    compressors: { SNAPPY: snappyCompress },
    stats: false,
    pageSize: Number.POSITIVE_INFINITY,
    columnIndex: false,
    offsetIndex: false,
  };
  const start = writer.offset;
  let uncompressed = writeDictionaryPage(writer, encoder, column.dictionary as string[]);
  const dataStart = writer.offset;
  uncompressed += writeDataPageV2({
    writer,
    column: encoder,
    encoding: 'RLE_DICTIONARY',
    pageData: { values: column.indexes, definitionLevels: [], repetitionLevels: [], maxDefinitionLevel: 0 },
  });
  return {
    file_offset: BigInt(start),
    meta_data: {
      type: 'BYTE_ARRAY',
      encodings: ['PLAIN', 'RLE_DICTIONARY'],
      path_in_schema: [element.name],
      codec: 'SNAPPY',
      num_values: BigInt(column.indexes.length),
      total_compressed_size: BigInt(writer.offset - start),
      total_uncompressed_size: BigInt(uncompressed),
      data_page_offset: BigInt(dataStart),
      dictionary_page_offset: BigInt(start),
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
