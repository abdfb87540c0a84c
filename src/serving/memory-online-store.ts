import type { OnlineStore, RecentEvent } from './online-store.ts';

export interface MemoryOnlineStoreOptions {
  /**
   * Events kept per user; older ones are dropped first.
   * @default 100
   */
  readonly maxEventsPerUser?: number;
  /**
   * Events older than this (by `sentAt`) are no longer returned, like DynamoDB's TTL.
   * @default 30 days
   */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/** The online store inside one process: for the local server and tests. */
export class MemoryOnlineStore implements OnlineStore {
  private readonly byUser = new Map<string, RecentEvent[]>();
  private readonly maxEvents: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: MemoryOnlineStoreOptions = {}) {
    this.maxEvents = options.maxEventsPerUser ?? 100;
    this.ttlMs = options.ttlMs ?? 30 * 24 * 3600 * 1000;
    this.now = options.now ?? Date.now;
  }

  async record(userId: string, events: readonly RecentEvent[]): Promise<void> {
    const kept = this.byUser.get(userId) ?? [];
    const seen = new Set(kept.map((e) => e.eventId));
    for (const event of events) {
      if (!seen.has(event.eventId)) kept.push(event);
      seen.add(event.eventId);
    }
    kept.sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
    this.byUser.set(userId, kept.slice(-this.maxEvents));
  }

  async recent(userId: string, limit: number): Promise<RecentEvent[]> {
    const oldest = this.now() - this.ttlMs;
    const fresh = (this.byUser.get(userId) ?? []).filter((e) => e.sentAt.getTime() >= oldest);
    return fresh.slice(-limit);
  }
}
