import type { ProgressReporter } from '../../core/progress.ts';
import { type CsvRecord, noHeaderError, scanCsvFile } from '../../csv/index.ts';
import { InvalidInputError } from '../../errors.ts';
import { timestampWarnings } from '../../recommender/timestamp-rule.ts';
import type { DatasetSchema, DatasetType } from '../../schemas/types.ts';
import { checkHeader } from './header.ts';
import { IdIndexBuilder } from './id-index.ts';
import { checkIdLengths } from './id-lengths.ts';
import {
  type ContextColumnBuilder,
  InteractionTableBuilder,
  MAX_CONTEXT_VALUES,
} from './interaction-builder.ts';
import { EMPTY_ATTRIBUTES, indexMetadata, readMetadataCsv } from './metadata.ts';
import type { Dataset } from './types.ts';

/** The schemas to read column kinds from; a dataset without one has its metadata kinds inferred. */
export type PartialSchemas = Readonly<Partial<Record<DatasetType, DatasetSchema>>>;

export interface DatasetFiles {
  /** Interactions CSV: USER_ID, ITEM_ID, TIMESTAMP required; EVENT_TYPE, EVENT_VALUE, context optional. */
  readonly interactions: string;
  /** Items CSV: ITEM_ID plus any metadata columns. */
  readonly items?: string;
  /** Users CSV: USER_ID plus any metadata columns. */
  readonly users?: string;
  readonly schemas?: PartialSchemas;
}

export const REQUIRED_INTERACTION_COLUMNS = ['USER_ID', 'ITEM_ID', 'TIMESTAMP'] as const;
/** Reserved interaction columns that are not contextual metadata. */
const RESERVED_INTERACTION_COLUMNS = new Set<string>([
  ...REQUIRED_INTERACTION_COLUMNS,
  'EVENT_TYPE',
  'EVENT_VALUE',
  'IMPRESSION',
  'RECOMMENDATION_ID',
  'EVENT_ATTRIBUTION_SOURCE',
]);
/** Without a schema, a column with more distinct values than this is not context (Personalize's value cap). */
const INFERRED_CONTEXT_MAX_VALUES = 1000;

/**
 * The interaction columns kept as categorical context: with a schema its categorical non-reserved fields;
 * without one every non-reserved column, later narrowed by `keepInferredContext`.
 */
export function contextColumnNames(header: readonly string[], schema?: DatasetSchema): string[] {
  const candidates = header
    .map((name) => name.trim())
    .filter((name) => !RESERVED_INTERACTION_COLUMNS.has(name));
  if (!schema) return candidates;
  return candidates.filter((name) => schema.fields.find((f) => f.name === name)?.categorical === true);
}

/** Inferred context columns survive when they are low-cardinality and not plain numbers. */
export function keepInferredContext(column: ContextColumnBuilder): boolean {
  return !column.overflowed && column.size - 1 <= INFERRED_CONTEXT_MAX_VALUES && !column.allNumeric();
}

/** Fails on a schema'd context column with more distinct values than its codes hold. */
export function keepSchemaContext(column: ContextColumnBuilder): boolean {
  if (column.overflowed) {
    throw new InvalidInputError([
      { field: column.name, message: `has more than ${MAX_CONTEXT_VALUES - 1} distinct values` },
    ]);
  }
  return true;
}

function fieldError(record: CsvRecord, column: string, message: string): InvalidInputError {
  return new InvalidInputError([{ field: `${record.where()}:${column}`, message }]);
}

async function readInteractions(
  path: string,
  users: IdIndexBuilder,
  items: IdIndexBuilder,
  schema: DatasetSchema | undefined,
  progress: ProgressReporter | undefined,
): Promise<ReturnType<InteractionTableBuilder['build']>> {
  let builder: InteractionTableBuilder | undefined;
  let userAt = 0;
  let itemAt = 0;
  let timeAt = 0;
  let eventAt = -1;
  let valueAt = -1;
  let contextAt: number[] = [];
  let started = false;

  const onRecord = (record: CsvRecord): void => {
    if (builder === undefined) {
      const header = record.strings();
      const positions = checkHeader(path, header, REQUIRED_INTERACTION_COLUMNS, schema);
      userAt = positions.get('USER_ID')!;
      itemAt = positions.get('ITEM_ID')!;
      timeAt = positions.get('TIMESTAMP')!;
      eventAt = positions.get('EVENT_TYPE') ?? -1;
      valueAt = positions.get('EVENT_VALUE') ?? -1;
      const contextNames = contextColumnNames(header, schema);
      contextAt = contextNames.map((name) => positions.get(name)!);
      builder = new InteractionTableBuilder(contextNames);
      return;
    }
    if (record.isEmpty(userAt)) throw fieldError(record, 'USER_ID', 'must not be empty');
    if (record.isEmpty(itemAt)) throw fieldError(record, 'ITEM_ID', 'must not be empty');
    const user = record.intern(userAt, users);
    const item = record.intern(itemAt, items);
    const timestamp = record.number(timeAt);
    if (!Number.isFinite(timestamp)) {
      throw fieldError(record, 'TIMESTAMP', `must be epoch seconds, got "${record.text(timeAt)}"`);
    }
    const eventType =
      eventAt >= 0 ? builder.checkEventType(record.intern(eventAt, builder.eventTypes), record.where()) : 0;
    let eventValue = Number.NaN;
    if (valueAt >= 0 && !record.isEmpty(valueAt)) {
      eventValue = record.number(valueAt);
      if (Number.isNaN(eventValue)) {
        throw fieldError(record, 'EVENT_VALUE', `must be a number, got "${record.text(valueAt)}"`);
      }
    }
    const row = builder.push(user, item, timestamp, eventType, eventValue);
    for (let c = 0; c < contextAt.length; c++) {
      const column = builder.context[c]!;
      column.set(row, record.intern(contextAt[c]!, column.dictionary));
    }
  };

  const onProgress = (bytesRead: number, total: number): void => {
    if (!started) {
      started = true;
      progress?.start(`reading ${path}`, total);
      // Size the arrays once from the first chunk's bytes per row instead of doubling through the file.
      if (builder && builder.length > 0 && bytesRead < total) {
        builder.reserve(Math.ceil((total / bytesRead) * builder.length * 1.05));
      }
    }
    progress?.update(bytesRead);
  };

  try {
    await scanCsvFile(path, onRecord, { onProgress });
  } finally {
    if (started) progress?.stop();
  }
  if (builder === undefined) throw noHeaderError(path);
  return builder.build(schema ? keepSchemaContext : keepInferredContext);
}

/**
 * Loads the Interactions CSV and, when given, the Items and Users CSVs into a Dataset. Items and users
 * files are indexed first, so their ids keep file order and those without interactions (cold items) are
 * still reachable. Column kinds come from `schemas` or, without one, are inferred from the values.
 */
export async function loadDataset(files: DatasetFiles, progress?: ProgressReporter): Promise<Dataset> {
  const users = new IdIndexBuilder();
  const items = new IdIndexBuilder();
  const itemAttributes = files.items
    ? indexMetadata(await readMetadataCsv(files.items), files.items, 'ITEM_ID', items, files.schemas?.items)
    : () => EMPTY_ATTRIBUTES;
  const userAttributes = files.users
    ? indexMetadata(await readMetadataCsv(files.users), files.users, 'USER_ID', users, files.schemas?.users)
    : () => EMPTY_ATTRIBUTES;
  const { table, eventTypes } = await readInteractions(
    files.interactions,
    users,
    items,
    files.schemas?.interactions,
    progress,
  );
  checkIdLengths(users.ids, 'USER_ID');
  checkIdLengths(items.ids, 'ITEM_ID');
  return {
    users,
    items,
    eventTypes,
    interactions: table,
    itemAttributes: itemAttributes(),
    userAttributes: userAttributes(),
    warnings: timestampWarnings(files.interactions, table.timestamp),
  };
}
