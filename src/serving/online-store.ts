import type { InteractionEvent } from '../recommender/types.ts';

/** One recent interaction of a user, as the online store keeps it. */
export interface RecentEvent {
  readonly eventId: string;
  readonly eventType: string;
  readonly itemId?: string;
  readonly eventValue?: number;
  readonly sentAt: Date;
}

/**
 * Users' recent events, written by the events Lambda and read by the fallback chain so the local model sees
 * real-time history it was not trained on. Anonymous sessions are not kept: reads are by userId.
 */
export interface OnlineStore {
  /** Adds events to the user's history (an event id already kept is kept once). */
  record(userId: string, events: readonly RecentEvent[]): Promise<void>;
  /** The user's most recent events, at most `limit`, oldest first. */
  recent(userId: string, limit: number): Promise<RecentEvent[]>;
}

/** The events the model can learn from: those about an item, with the fields the store keeps. */
export function toRecentEvents(events: readonly InteractionEvent[]): RecentEvent[] {
  const recent: RecentEvent[] = [];
  for (const event of events) {
    if (event.itemId === undefined || event.eventId === undefined) continue;
    recent.push({
      eventId: event.eventId,
      eventType: event.eventType,
      itemId: event.itemId,
      ...(event.eventValue !== undefined && { eventValue: event.eventValue }),
      sentAt: event.sentAt,
    });
  }
  return recent;
}

export function toInteractionEvents(events: readonly RecentEvent[]): InteractionEvent[] {
  return events.map((event) => ({
    eventId: event.eventId,
    eventType: event.eventType,
    ...(event.itemId !== undefined && { itemId: event.itemId }),
    ...(event.eventValue !== undefined && { eventValue: event.eventValue }),
    sentAt: event.sentAt,
  }));
}
