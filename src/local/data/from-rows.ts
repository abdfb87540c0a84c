import { InvalidInputError } from '../../errors.ts';
import { IdIndexBuilder } from './id-index.ts';
import { checkIdLengths } from './id-lengths.ts';
import { InteractionTableBuilder } from './interaction-builder.ts';
import { keepInferredContext, keepSchemaContext, type PartialSchemas } from './load.ts';
import { EMPTY_ATTRIBUTES, indexMetadata, type MetadataTable } from './metadata.ts';
import type { Dataset } from './types.ts';

/** One interaction given in memory (tests, PutEvents replay, the local recommender). */
export interface InteractionRow {
  readonly userId: string;
  readonly itemId: string;
  /** Unix epoch seconds. */
  readonly timestamp: number;
  readonly eventType?: string;
  readonly eventValue?: number | null;
  /** Categorical contextual metadata, e.g. `{ DEVICE: 'mobile' }`. */
  readonly context?: Readonly<Record<string, string | null>>;
}

/** One Items or Users row in memory, keyed by column name; must hold ITEM_ID or USER_ID. */
export type MetadataRow = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface DatasetRows {
  readonly interactions: readonly InteractionRow[];
  readonly items?: readonly MetadataRow[];
  readonly users?: readonly MetadataRow[];
  readonly schemas?: PartialSchemas;
}

function metadataTable(source: string, rows: readonly MetadataRow[]): MetadataTable {
  const header = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = rows.map((row) => header.map((name) => (row[name] == null ? '' : String(row[name]))));
  return { header, rows: cells, where: (row) => `${source}.${row}` };
}

/**
 * Builds a Dataset from in-memory rows with the same rules as `loadDataset`: items and users rows are
 * indexed first, metadata kinds come from the schemas or are inferred, context keys become context columns.
 */
export function datasetFromRows(input: DatasetRows): Dataset {
  const users = new IdIndexBuilder();
  const items = new IdIndexBuilder();
  const itemAttributes = input.items
    ? indexMetadata(metadataTable('items', input.items), 'items', 'ITEM_ID', items, input.schemas?.items)
    : () => EMPTY_ATTRIBUTES;
  const userAttributes = input.users
    ? indexMetadata(metadataTable('users', input.users), 'users', 'USER_ID', users, input.schemas?.users)
    : () => EMPTY_ATTRIBUTES;

  const contextNames = [...new Set(input.interactions.flatMap((row) => Object.keys(row.context ?? {})))];
  const builder = new InteractionTableBuilder(contextNames, input.interactions.length);
  const hasEventTypes = input.interactions.some((row) => row.eventType !== undefined);
  input.interactions.forEach((row, r) => {
    const where = `interactions.${r}`;
    if (!row.userId)
      throw new InvalidInputError([{ field: `${where}.userId`, message: 'must not be empty' }]);
    if (!row.itemId)
      throw new InvalidInputError([{ field: `${where}.itemId`, message: 'must not be empty' }]);
    if (!Number.isFinite(row.timestamp)) {
      throw new InvalidInputError([{ field: `${where}.timestamp`, message: 'must be epoch seconds' }]);
    }
    const eventType = hasEventTypes
      ? builder.checkEventType(builder.eventTypes.intern(row.eventType ?? ''), where)
      : 0;
    const at = builder.push(
      users.intern(row.userId),
      items.intern(row.itemId),
      row.timestamp,
      eventType,
      row.eventValue ?? Number.NaN,
    );
    contextNames.forEach((name, c) => {
      builder.setContext(c, at, row.context?.[name] ?? '');
    });
  });
  const { table, eventTypes } = builder.build(
    input.schemas?.interactions ? keepSchemaContext : keepInferredContext,
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
  };
}
