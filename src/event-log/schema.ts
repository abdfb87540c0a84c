import * as z from 'zod/mini';
import { LIMITS } from '../recommender/limits.ts';

/**
 * The event log: one JSON object per line, one line per accepted event, the record retraining reads.
 * `schemas/event-log.json` is the published JSON Schema (draft 2020-12) of the same record; a test keeps
 * the two equal. Add fields only as nullable, and bump `EVENT_LOG_SCHEMA_VERSION` on any other change, so
 * readers of older partitions can tell the shapes apart.
 *
 * Mapping to Personalize's Interactions dataset (`eventLogToInteractions`):
 *
 * | event log    | Interactions column | notes |
 * |--------------|---------------------|-------|
 * | `userId`     | `USER_ID`           | an anonymous session's records get the user the session logs in as later in the range; the rest are rejected: `no-user` |
 * | `itemId`     | `ITEM_ID`           | records without an item (e.g. a page visit) are rejected: `no-item` |
 * | `timestamp`  | `TIMESTAMP`         | whole epoch seconds (floored); the range `[from, to)` selects on it |
 * | `eventType`  | `EVENT_TYPE`        | |
 * | `value`      | `EVENT_VALUE`       | empty when null |
 * | `context.X`  | column `X`          | any other column of the interactions schema, e.g. `DEVICE`; empty when absent; a record missing a required (non-null) column is rejected: `missing-column` |
 * | `eventId`    | (none)              | a repeated id is written once: `duplicate` |
 * | `sessionId`, `receivedAt`, `schemaVersion` | (none) | kept for audit and for partitioning |
 *
 * Lines that are not JSON or do not match this schema are rejected as `malformed`.
 */
export const EVENT_LOG_SCHEMA_VERSION = 1;

const id = z.string().check(z.minLength(1), z.maxLength(LIMITS.idLength));
/** Epoch seconds; larger values are milliseconds by mistake. */
const epochSeconds = z.number().check(z.gte(0), z.lte(LIMITS.maxEpochSeconds));

export const eventLogRecordSchema = z.strictObject({
  schemaVersion: z.literal(EVENT_LOG_SCHEMA_VERSION),
  eventId: id,
  eventType: id,
  userId: z.nullable(id),
  sessionId: id,
  itemId: z.nullable(id),
  value: z.nullable(z.number()),
  timestamp: epochSeconds,
  context: z.record(
    z.string().check(z.minLength(1), z.maxLength(LIMITS.context.keyLength), z.regex(/^[A-Z0-9_]+$/)),
    z.string().check(z.maxLength(LIMITS.context.valueLength)),
  ),
  receivedAt: epochSeconds,
});

export type EventLogRecord = z.infer<typeof eventLogRecordSchema>;
