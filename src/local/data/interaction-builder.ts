import { InvalidInputError } from '../../errors.ts';
import { IdIndexBuilder } from './id-index.ts';
import type { ContextColumn, InteractionTable } from './types.ts';

/** Personalize's limit on distinct event types fits a Uint8Array code. */
export const MAX_EVENT_TYPES = 255;
/** Distinct values a context column can code (Uint16Array codes, 0 being null). */
export const MAX_CONTEXT_VALUES = 65_535;

type Column = Int32Array | Float64Array | Uint8Array | Float32Array | Uint16Array;

function grow<T extends Column>(array: T, capacity: number): T {
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array);
  return next;
}

/** Trims to `length`, copying only when the spare capacity is worth returning to the allocator. */
function trim<T extends Column>(array: T, length: number): T {
  return (array.length - length > length / 8 ? array.slice(0, length) : array.subarray(0, length)) as T;
}

/** A categorical context column being filled: values are coded as they arrive, '' (null) being code 0. */
export class ContextColumnBuilder {
  readonly dictionary = new IdIndexBuilder();
  codes: Uint16Array;
  /** Set when the column has more distinct values than the codes can hold. */
  overflowed = false;

  constructor(
    readonly name: string,
    capacity: number,
  ) {
    this.dictionary.intern('');
    this.codes = new Uint16Array(capacity);
  }

  /** Distinct values seen, null ('') included. */
  get size(): number {
    return this.dictionary.ids.length;
  }

  /** True when every non-null value is a number (inference does not treat such columns as context). */
  allNumeric(): boolean {
    return this.dictionary.ids.every((value) => value === '' || Number.isFinite(Number(value)));
  }

  set(row: number, code: number): void {
    if (code >= MAX_CONTEXT_VALUES) this.overflowed = true;
    else this.codes[row] = code;
  }

  build(length: number): ContextColumn {
    return { name: this.name, values: this.dictionary.ids, codes: trim(this.codes, length) };
  }
}

/** Fills the columnar InteractionTable row by row, doubling its typed arrays as needed. */
export class InteractionTableBuilder {
  length = 0;
  private capacity: number;
  private userIndex: Int32Array;
  private itemIndex: Int32Array;
  private timestamp: Float64Array;
  private eventType: Uint8Array;
  private eventValue: Float32Array;
  readonly eventTypes = new IdIndexBuilder();
  readonly context: ContextColumnBuilder[];

  constructor(contextNames: readonly string[] = [], capacity = 1024) {
    this.capacity = Math.max(16, capacity);
    this.userIndex = new Int32Array(this.capacity);
    this.itemIndex = new Int32Array(this.capacity);
    this.timestamp = new Float64Array(this.capacity);
    this.eventType = new Uint8Array(this.capacity);
    this.eventValue = new Float32Array(this.capacity);
    this.context = contextNames.map((name) => new ContextColumnBuilder(name, this.capacity));
  }

  /** Grows the arrays to at least `capacity` rows at once (e.g. from an estimate of the file's rows). */
  reserve(capacity: number): void {
    if (capacity <= this.capacity) return;
    this.capacity = capacity;
    this.userIndex = grow(this.userIndex, capacity);
    this.itemIndex = grow(this.itemIndex, capacity);
    this.timestamp = grow(this.timestamp, capacity);
    this.eventType = grow(this.eventType, capacity);
    this.eventValue = grow(this.eventValue, capacity);
    for (const column of this.context) column.codes = grow(column.codes, capacity);
  }

  /** Checks the code an event type got from `eventTypes`; `where` names the row for the error. */
  checkEventType(code: number, where: string): number {
    if (code >= MAX_EVENT_TYPES) {
      throw new InvalidInputError([
        { field: `${where}:EVENT_TYPE`, message: `more than ${MAX_EVENT_TYPES} distinct event types` },
      ]);
    }
    return code;
  }

  /** Appends one row and returns its position (context codes are set through `setContext`). */
  push(user: number, item: number, timestamp: number, eventType: number, eventValue: number): number {
    if (this.length === this.capacity) this.reserve(this.capacity * 2);
    const row = this.length++;
    this.userIndex[row] = user;
    this.itemIndex[row] = item;
    this.timestamp[row] = timestamp;
    this.eventType[row] = eventType;
    this.eventValue[row] = eventValue;
    return row;
  }

  setContext(column: number, row: number, value: string): void {
    const builder = this.context[column]!;
    builder.set(row, builder.dictionary.intern(value));
  }

  /**
   * The finished table. `keepContext` decides which context columns survive (inference drops numeric or
   * high-cardinality ones); event types default to `['']` when the data had none.
   */
  build(keepContext: (column: ContextColumnBuilder) => boolean): {
    table: InteractionTable;
    eventTypes: string[];
  } {
    const n = this.length;
    const context = this.context.filter(keepContext).map((c) => c.build(n));
    const table: InteractionTable = {
      length: n,
      userIndex: trim(this.userIndex, n),
      itemIndex: trim(this.itemIndex, n),
      timestamp: trim(this.timestamp, n),
      eventType: trim(this.eventType, n),
      eventValue: trim(this.eventValue, n),
      ...(context.length > 0 ? { context } : {}),
    };
    const eventTypes = this.eventTypes.ids;
    return { table, eventTypes: eventTypes.length > 0 ? eventTypes : [''] };
  }
}
