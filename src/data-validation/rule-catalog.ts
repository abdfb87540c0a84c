import type { Severity } from './types.ts';

interface RuleInfo {
  readonly severity: Severity;
  readonly description: string;
}

/**
 * Every data rule the validator applies, with its severity (personalize-reference.md §2, §3.3, §3.4).
 * Schema rules come from src/schemas/rules.ts and carry their own severity.
 */
export const DATA_RULES = {
  'file-empty': { severity: 'error', description: 'the file has no header row' },
  'header-missing-column': { severity: 'error', description: 'a schema field has no column in the header' },
  'header-unknown-column': { severity: 'error', description: 'a header column is not a field of the schema' },
  'header-duplicate-column': { severity: 'error', description: 'a header column appears twice' },
  'header-column-order': {
    severity: 'warning',
    description: 'header columns are not in schema field order',
  },
  'csv-syntax': { severity: 'error', description: 'malformed CSV quoting' },
  'blank-line': { severity: 'warning', description: 'an empty line between records' },
  'row-column-count': { severity: 'error', description: 'a row has more or fewer columns than the header' },
  'field-type': {
    severity: 'error',
    description: 'a value does not match its Avro type (booleans must be lower-case true/false)',
  },
  'required-value': { severity: 'error', description: 'an empty value in a non-nullable field' },
  'timestamp-milliseconds': {
    severity: 'error',
    description: 'a timestamp above 1e11 is in milliseconds; Personalize wants Unix epoch seconds',
  },
  'timestamp-future': { severity: 'warning', description: 'a timestamp lies in the future' },
  'timestamp-too-old': { severity: 'warning', description: 'a timestamp before 2000-01-01 is implausible' },
  'id-length': { severity: 'error', description: 'USER_ID / ITEM_ID longer than 256 characters' },
  'categorical-length': {
    severity: 'error',
    description:
      'a categorical or IMPRESSION value (all |-separated parts together) longer than 1000 characters',
  },
  'textual-length': {
    severity: 'warning',
    description: 'a textual value longer than 20,000 characters is truncated by Personalize',
  },
  'duplicate-interaction': {
    severity: 'warning',
    description: 'an interactions row repeats an earlier row exactly',
  },
  'duplicate-id': { severity: 'error', description: 'an ITEM_ID / USER_ID appears on more than one row' },
  'unknown-user': {
    severity: 'warning',
    description: 'an interaction names a USER_ID missing from the users file',
  },
  'unknown-item': {
    severity: 'warning',
    description: 'an interaction names an ITEM_ID missing from the items file',
  },
  'min-interactions': { severity: 'error', description: 'training needs at least 1000 interactions' },
  'min-active-users': {
    severity: 'error',
    description: 'training needs at least 25 users with at least 2 interactions each',
  },
  'active-user-share': {
    severity: 'error',
    description: 'training needs at least 1% of users to have at least 2 interactions',
  },
  'event-type-count': {
    severity: 'error',
    description: 'distinct event types plus interaction metadata columns must be at most 10',
  },
  'event-type-distribution': { severity: 'info', description: 'rows per event type' },
} as const satisfies Record<string, RuleInfo>;

export type DataRuleId = keyof typeof DATA_RULES;

/** Training minimums and limits (personalize-reference.md §3.2–3.3). */
export const DATA_LIMITS = {
  minInteractions: 1000,
  minActiveUsers: 25,
  minActiveUserShare: 0.01,
  maxEventTypesPlusMetadata: 10,
  categoricalLength: 1000,
  textualLength: 20_000,
  /** 2000-01-01T00:00:00Z: earlier timestamps are flagged as implausible. */
  oldestPlausibleEpochSeconds: 946_684_800,
} as const;
