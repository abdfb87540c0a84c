import { LruMap } from '../no-repeat/lru-map.ts';

/** One real-time event as kept for scoring and filters. */
export interface LiveEvent {
  readonly eventId?: string | undefined;
  /** Kept even when the item is unknown: it starts to count once the item is added. */
  readonly itemId?: string | undefined;
  readonly eventType: string;
  /** Unix epoch seconds. */
  readonly timestamp: number;
}

export interface LiveHistoriesOptions {
  /** Events kept per user or session (the newest). @default 200 */
  readonly maxEventsPerUser?: number;
  /** Users plus anonymous sessions tracked at once (LRU). @default 100_000 */
  readonly maxTracked?: number;
}

/**
 * Interactions received through PutEvents since the model was trained, per user or anonymous session, in
 * bounded memory. As in Personalize, a session first seen without a user id and later sent with one is joined
 * to that user (its events merged into the user's), and later anonymous events of that session go to the user.
 * A repeated eventId is stored once (within the events still kept).
 */
export class LiveHistories {
  private readonly maxEvents: number;
  private readonly histories: LruMap<string, LiveEvent[]>;
  private readonly sessionOwners: LruMap<string, string>;

  constructor(options: LiveHistoriesOptions = {}) {
    this.maxEvents = options.maxEventsPerUser ?? 200;
    const maxTracked = options.maxTracked ?? 100_000;
    this.histories = new LruMap(maxTracked);
    this.sessionOwners = new LruMap(maxTracked);
  }

  get tracked(): number {
    return this.histories.size;
  }

  record(sessionId: string, userId: string | undefined, events: readonly LiveEvent[]): void {
    const owner = userId ?? this.sessionOwners.get(sessionId);
    let history =
      owner === undefined ? this.histories.get(sessionKey(sessionId)) : this.histories.get(userKey(owner));
    history ??= [];
    if (owner !== undefined) {
      this.sessionOwners.set(sessionId, owner);
      const anonymous = this.histories.peek(sessionKey(sessionId));
      if (anonymous !== undefined) {
        this.histories.delete(sessionKey(sessionId));
        this.append(history, anonymous);
      }
    }
    this.append(history, events);
    this.histories.set(owner === undefined ? sessionKey(sessionId) : userKey(owner), history);
  }

  /**
   * The events of a user, oldest first; for an id never sent as a user id, those of the anonymous session with
   * that id (Personalize serves anonymous sessions by passing the session id as the user id).
   */
  eventsOf(id: string): readonly LiveEvent[] {
    return this.histories.get(userKey(id)) ?? this.histories.get(sessionKey(id)) ?? [];
  }

  private append(history: LiveEvent[], events: readonly LiveEvent[]): void {
    const seen = new Set(history.map((e) => e.eventId).filter((id) => id !== undefined));
    for (const event of events) {
      if (event.eventId !== undefined) {
        if (seen.has(event.eventId)) continue;
        seen.add(event.eventId);
      }
      history.push(event);
    }
    history.sort((a, b) => a.timestamp - b.timestamp);
    if (history.length > this.maxEvents) history.splice(0, history.length - this.maxEvents);
  }
}

const userKey = (id: string) => `u:${id}`;
const sessionKey = (id: string) => `s:${id}`;
