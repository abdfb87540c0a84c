/**
 * Columnar, typed-array form of the three datasets that every local algorithm trains on. Ids are mapped
 * to dense indices once; hot paths never touch strings or per-interaction objects.
 */

/** Dense index of string ids (users or items), in first-seen order. */
export interface IdIndex {
  readonly ids: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
}

/** Interactions as parallel typed arrays, one slot per row. */
export interface InteractionTable {
  readonly length: number;
  readonly userIndex: Int32Array;
  readonly itemIndex: Int32Array;
  /** Unix epoch seconds. */
  readonly timestamp: Float64Array;
  /** Index into `Dataset.eventTypes`; 0 when the file has no EVENT_TYPE column. */
  readonly eventType: Uint8Array;
  /** EVENT_VALUE, NaN when absent. */
  readonly eventValue: Float32Array;
  /** Categorical contextual columns (e.g. DEVICE), one code per row; absent when the file has none. */
  readonly context?: readonly ContextColumn[];
}

/** A categorical column of the interactions, dictionary-coded: `values[codes[row]]`; code 0 is null (''). */
export interface ContextColumn {
  readonly name: string;
  readonly values: readonly string[];
  readonly codes: Uint16Array;
}

/** How a metadata column is used: filters and content features read `categorical`, `numeric`, `textual`. */
export type AttributeKind = 'categorical' | 'numeric' | 'textual';

/** One metadata column of the Items or Users dataset, aligned with that dataset's IdIndex. */
export type AttributeColumn =
  | {
      readonly name: string;
      readonly kind: 'categorical';
      /** Per row, the `|`-separated values split apart; empty array when null. */
      readonly values: readonly (readonly string[])[];
    }
  | {
      readonly name: string;
      readonly kind: 'numeric';
      /** NaN when null. */
      readonly values: Float64Array;
    }
  | {
      readonly name: string;
      readonly kind: 'textual';
      /** null when absent. */
      readonly values: readonly (string | null)[];
    };

export interface AttributeTable {
  readonly columns: readonly AttributeColumn[];
}

/** Everything a model is trained on. Items/users may exist with metadata only (no interactions). */
export interface Dataset {
  readonly users: IdIndex;
  readonly items: IdIndex;
  /** Distinct EVENT_TYPE values (at most 255); `['']` when the interactions have no event type. */
  readonly eventTypes: readonly string[];
  readonly interactions: InteractionTable;
  readonly itemAttributes: AttributeTable;
  readonly userAttributes: AttributeTable;
  /** Data that loaded but is probably wrong, e.g. millisecond timestamps (src/recommender/timestamp-rule.ts). */
  readonly warnings?: readonly string[];
}
