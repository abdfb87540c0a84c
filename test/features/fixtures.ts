import type { EventLogRecord } from '../../src/event-log/schema.ts';

/** 2026-12-01T00:00Z: minute- and hour-aligned. */
export const T0 = 1_796_083_200;
export const HOUR = 3600;
export const DAY = 86_400;

let sequence = 0;

/** An event-log record with a fresh id unless one is given. */
export function event(fields: Partial<EventLogRecord> & { timestamp: number }): EventLogRecord {
  return {
    schemaVersion: 1,
    eventId: `e${sequence++}`,
    eventType: 'click',
    userId: 'u1',
    sessionId: 's1',
    itemId: 'i1',
    value: null,
    context: {},
    receivedAt: fields.timestamp,
    ...fields,
  };
}

/** A settable clock in epoch seconds, read by stores as epoch milliseconds. */
export function clock(startSeconds: number) {
  let now = startSeconds;
  return {
    now: () => now * 1000,
    set(seconds: number) {
      now = seconds;
    },
  };
}
