import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { InvalidInputError } from '../errors.ts';
import { DEFAULT_SCHEMA_DIR } from './default-dir.ts';
import {
  DATASET_TYPES,
  type DatasetSchema,
  type DatasetSchemas,
  type DatasetType,
  type FieldSpec,
  type FieldType,
} from './types.ts';

export { DEFAULT_SCHEMA_DIR };

const PRIMITIVES = new Set<FieldType>(['string', 'int', 'long', 'float', 'double', 'boolean']);

interface AvroField {
  name: string;
  type: unknown;
  categorical?: boolean;
  textual?: boolean;
}

function fieldSpec(field: AvroField, source: string): FieldSpec {
  const members = Array.isArray(field.type) ? field.type : [field.type];
  const nonNull = members.filter((m) => m !== 'null');
  const type = nonNull[0];
  if (nonNull.length !== 1 || typeof type !== 'string' || !PRIMITIVES.has(type as FieldType)) {
    throw new InvalidInputError([
      {
        field: `${source}:${field.name}`,
        message: `type ${JSON.stringify(field.type)} is not allowed; use one of ${[...PRIMITIVES].join(', ')}, optionally in a union with "null"`,
      },
    ]);
  }
  return {
    name: field.name,
    type: type as FieldType,
    nullable: members.includes('null'),
    categorical: field.categorical === true,
    textual: field.textual === true,
  };
}

/** Parses Avro schema text for a dataset type; throws InvalidInputError when avsc rejects it. */
export function parseSchema(
  datasetType: DatasetType,
  text: string,
  source: string = datasetType,
): DatasetSchema {
  let json: { name?: string; fields?: AvroField[] };
  try {
    json = JSON.parse(text);
    // avsc checks the Avro grammar; Personalize's extra attributes (categorical, textual) are ignored by it.
    avro.Type.forSchema(json as avro.Schema);
  } catch (error) {
    throw new InvalidInputError(
      [{ field: source, message: `not a valid Avro schema: ${(error as Error).message}` }],
      {
        cause: error,
      },
    );
  }
  if (!Array.isArray(json.fields)) {
    throw new InvalidInputError([{ field: source, message: 'must be an Avro record with a "fields" array' }]);
  }
  return {
    datasetType,
    recordName: json.name ?? '',
    fields: json.fields.map((f) => fieldSpec(f, source)),
    avro: text,
  };
}

/** Reads `<dir>/<type>.json` for one dataset type. */
export function loadSchema(datasetType: DatasetType, dir = DEFAULT_SCHEMA_DIR): DatasetSchema {
  const path = join(dir, `${datasetType}.json`);
  return parseSchema(datasetType, readFileSync(path, 'utf8'), path);
}

/** Reads the three schemas from `dir` (default: the repository's `schemas/`). */
export function loadSchemas(dir = DEFAULT_SCHEMA_DIR): DatasetSchemas {
  return Object.fromEntries(DATASET_TYPES.map((t) => [t, loadSchema(t, dir)])) as Record<
    DatasetType,
    DatasetSchema
  >;
}
