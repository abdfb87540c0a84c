import { RecentIds } from '../core/recent-ids.ts';
import type { EventLogRecord } from '../event-log/schema.ts';
import type { EventLogWriter } from '../event-log/writer.ts';
import type { FeatureStore } from '../features/types.ts';
import { LIMITS } from '../recommender/limits.ts';
import type { InteractionEvent, PutEventsRequest, Recommender } from '../recommender/types.ts';
import type { EventConsumer } from './types.ts';

export interface DedupOptions {
  /**
   * Event ids remembered as already handled.
   * @default 1_000_000
   */
  readonly rememberedEvents?: number;
}

/** Applies events to the online feature store (idempotent by itself: it keeps event ids). */
export function featureStoreConsumer(store: Pick<FeatureStore, 'apply'>): EventConsumer {
  return {
    name: 'feature-store',
    async consume(batch) {
      await store.apply(batch);
    },
  };
}

/**
 * Appends events to the event log, each id once: a redelivered batch writes only what was not written.
 * (A crash between the write and remembering it can still repeat lines; the log's readers drop repeats.)
 */
export function eventLogConsumer(
  writer: Pick<EventLogWriter, 'write'>,
  options: DedupOptions = {},
): EventConsumer {
  const written = new RecentIds(options.rememberedEvents ?? 1_000_000);
  return {
    name: 'event-log',
    async consume(batch) {
      const fresh = batch.filter((record) => !written.has(record.eventId));
      if (fresh.length === 0) return;
      await writer.write(fresh);
      for (const record of fresh) written.add(record.eventId);
    },
  };
}

/**
 * Sends events to the recommender's PutEvents (Personalize or the local engine), in calls of at most 10
 * events of one session and user. Each call's ids are remembered once it succeeds, so a batch retried after
 * a partial failure sends only the calls that failed.
 */
export function recommenderConsumer(
  recommender: Pick<Recommender, 'putEvents'>,
  options: DedupOptions = {},
): EventConsumer {
  const sent = new RecentIds(options.rememberedEvents ?? 1_000_000);
  return {
    name: 'recommender',
    async consume(batch) {
      for (const call of putEventsCalls(batch.filter((record) => !sent.has(record.eventId)))) {
        await recommender.putEvents(call);
        for (const event of call.eventList) sent.add(event.eventId!);
      }
    },
  };
}

/** Groups records by session and user, in order, into PutEvents calls of at most 10 events. */
export function putEventsCalls(records: readonly EventLogRecord[]): PutEventsRequest[] {
  const groups = new Map<string, { sessionId: string; userId: string | null; events: InteractionEvent[] }>();
  for (const record of records) {
    const key = JSON.stringify([record.sessionId, record.userId]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { sessionId: record.sessionId, userId: record.userId, events: [] }));
    group.events.push(toInteractionEvent(record));
  }
  const calls: PutEventsRequest[] = [];
  for (const { sessionId, userId, events } of groups.values()) {
    for (let start = 0; start < events.length; start += LIMITS.eventList.max) {
      calls.push({
        sessionId,
        ...(userId !== null && { userId }),
        eventList: events.slice(start, start + LIMITS.eventList.max),
      });
    }
  }
  return calls;
}

/** Context columns go back to camelCase properties (`DEVICE` → `device`, `IS_GIFT` → `isGift`). */
function toInteractionEvent(record: EventLogRecord): InteractionEvent {
  const properties = Object.fromEntries(
    Object.entries(record.context).map(([column, value]) => [
      column.toLowerCase().replace(/_([a-z\d])/g, (_, c: string) => c.toUpperCase()),
      value,
    ]),
  );
  return {
    eventId: record.eventId,
    eventType: record.eventType,
    ...(record.itemId !== null && { itemId: record.itemId }),
    ...(record.value !== null && { eventValue: record.value }),
    ...(Object.keys(properties).length > 0 && { properties }),
    sentAt: new Date(record.timestamp * 1000),
  };
}
