/** The three Personalize dataset types this toolkit handles. */
export type DatasetType = 'interactions' | 'items' | 'users';

export const DATASET_TYPES: readonly DatasetType[] = ['interactions', 'items', 'users'];

/** Avro primitive types Personalize accepts in a dataset schema. */
export type FieldType = 'string' | 'int' | 'long' | 'float' | 'double' | 'boolean';

/** One column of a dataset, flattened from its Avro field. */
export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** The Avro type is a union with "null": empty CSV cells are allowed. */
  readonly nullable: boolean;
  /** `"categorical": true`: `|`-separated values, usable in filters. */
  readonly categorical: boolean;
  /** `"textual": true` (Items only): free text, tokenised for content similarity. */
  readonly textual: boolean;
}

/** A parsed dataset schema: the columns in CSV order plus the Avro text Personalize receives. */
export interface DatasetSchema {
  readonly datasetType: DatasetType;
  /** The Avro record name, e.g. `Interactions`. */
  readonly recordName: string;
  readonly fields: readonly FieldSpec[];
  /** The schema's Avro JSON text, as CreateSchema takes it. */
  readonly avro: string;
}

export type DatasetSchemas = Readonly<Record<DatasetType, DatasetSchema>>;
