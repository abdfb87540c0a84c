import { InvalidInputError } from '../errors.ts';
import { toColumnName } from '../local/recommender/column-name.ts';
import { withEventIds } from '../recommender/event-ids.ts';
import type { InteractionEvent, PropertyValue } from '../recommender/types.ts';
import { EVENT_LOG_SCHEMA_VERSION, type EventLogRecord } from './schema.ts';

/** One session's validated events, as `POST /events` (EventsBatch) and PutEvents hand them over. */
export interface SessionEvents {
  readonly sessionId: string;
  readonly userId?: string;
  readonly events: readonly InteractionEvent[];
}

const COLUMN = /^[A-Z0-9_]+$/;

/**
 * The event-log records of one session's events, received at `receivedAt`. Events without an id get the
 * content-derived id ingestion gives them, so the log, the feature store and Personalize agree on it.
 * Property keys become context columns (`device` → `DEVICE`), null values are left out, other values are
 * written as text; InvalidInputError names a key that cannot be a column.
 */
export function toEventLogRecords(batch: SessionEvents, receivedAt: Date): EventLogRecord[] {
  const received = receivedAt.getTime() / 1000;
  return withEventIds(batch.sessionId, batch.events).map((event, i) => ({
    schemaVersion: EVENT_LOG_SCHEMA_VERSION,
    eventId: event.eventId!,
    eventType: event.eventType,
    userId: batch.userId ?? null,
    sessionId: batch.sessionId,
    itemId: event.itemId ?? null,
    value: event.eventValue ?? null,
    timestamp: event.sentAt.getTime() / 1000,
    context: contextOf(event.properties, `events.${i}.properties`),
    receivedAt: received,
  }));
}

function contextOf(
  properties: Readonly<Record<string, PropertyValue>> | undefined,
  field: string,
): Record<string, string> {
  const context: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties ?? {})) {
    const column = toColumnName(key);
    if (!COLUMN.test(column)) {
      throw new InvalidInputError([
        { field: `${field}.${key}`, message: 'must name an interactions column: letters, digits and _ only' },
      ]);
    }
    if (value !== null) context[column] = String(value);
  }
  return context;
}
