import { decayedScore } from './decay.ts';
import type { FeatureValue, ItemFeatureName, UserFeatureName } from './types.ts';
import { type CountSource, type Granularity, WINDOWS, windowCounts } from './windows.ts';

/** One kept event of a user. */
export interface KeptEvent {
  readonly eventId: string;
  readonly eventType: string;
  readonly itemId: string | null;
  readonly sessionId: string;
  readonly timestamp: number;
}

/**
 * The event as a feature store counts it: at min(its time, now), for every feature (windows, last seen,
 * recent and session order, TTL). A client clock ahead must not move a user's features into the future
 * (a month ahead would pin last_seen and the newest recent item for a month); the event log keeps the
 * original timestamp for retraining.
 */
export function countedAt<T extends KeptEvent>(event: T, nowSeconds: number): T {
  // Whole seconds, as the event log's timestamps are.
  const now = Math.floor(nowSeconds);
  return event.timestamp <= now ? event : { ...event, timestamp: now };
}

/** What a store holds about a user; both implementations turn it into features the same way. */
export interface UserSnapshot {
  /** The last events, newest first. */
  readonly recent: readonly KeptEvent[];
  readonly minutes: CountSource;
  readonly hours: CountSource;
  /** Counters of the session of `recent[0]`. */
  readonly session: { readonly length: number; readonly start: number } | undefined;
}

export interface ItemSnapshot {
  readonly minutes: CountSource;
  readonly hours: CountSource;
  /** Decay terms `[ref, value]` (see decay.ts). */
  readonly popularity: Iterable<readonly [number, number]>;
  readonly lastInteraction: number;
}

type Counts = { types: Record<string, number>; categories: Record<string, number> };

function windowed(
  snapshot: { readonly minutes: CountSource; readonly hours: CountSource },
  suffix: string,
  nowSeconds: number,
): Counts {
  const window = WINDOWS.find((w) => w.suffix === suffix)!;
  const buckets = (g: Granularity) => (g === 'minute' ? snapshot.minutes : snapshot.hours);
  return windowCounts(buckets(window.granularity), window.granularity, window.span, nowSeconds);
}

/** The requested user features from a snapshot, as of `nowSeconds`. */
export function userFeatures(
  snapshot: UserSnapshot,
  names: readonly UserFeatureName[],
  nowSeconds: number,
): Partial<Record<UserFeatureName, FeatureValue>> {
  const counts = new Map<string, Counts>();
  const countsFor = (suffix: string) => {
    let c = counts.get(suffix);
    if (!c) counts.set(suffix, (c = windowed(snapshot, suffix, nowSeconds)));
    return c;
  };
  const latest = snapshot.recent[0];
  const out: Partial<Record<UserFeatureName, FeatureValue>> = {};
  for (const name of names) {
    switch (name) {
      case 'recent_items':
        out[name] = snapshot.recent.flatMap((e) => (e.itemId === null ? [] : [e.itemId]));
        break;
      case 'recent_event_types':
        out[name] = snapshot.recent.map((e) => e.eventType);
        break;
      case 'event_counts_1h':
      case 'event_counts_24h':
      case 'event_counts_7d':
        out[name] = countsFor(name.slice('event_counts_'.length)).types;
        break;
      case 'category_counts_1h':
      case 'category_counts_24h':
      case 'category_counts_7d':
        out[name] = countsFor(name.slice('category_counts_'.length)).categories;
        break;
      case 'session_id':
        out[name] = latest?.sessionId ?? null;
        break;
      case 'session_items': {
        const items = new Set<string>();
        for (const e of snapshot.recent) {
          if (e.sessionId === latest?.sessionId && e.itemId !== null) items.add(e.itemId);
        }
        out[name] = [...items];
        break;
      }
      case 'session_length':
        out[name] = snapshot.session?.length ?? 0;
        break;
      case 'session_start':
        out[name] = snapshot.session?.start ?? null;
        break;
      case 'last_seen':
        out[name] = latest?.timestamp ?? null;
        break;
    }
  }
  return out;
}

/** The requested item features from a snapshot, as of `nowSeconds`. */
export function itemFeatures(
  snapshot: ItemSnapshot,
  names: readonly ItemFeatureName[],
  nowSeconds: number,
  halfLifeSeconds: number,
): Partial<Record<ItemFeatureName, FeatureValue>> {
  const out: Partial<Record<ItemFeatureName, FeatureValue>> = {};
  for (const name of names) {
    switch (name) {
      case 'event_counts_1h':
      case 'event_counts_24h':
      case 'event_counts_7d':
        out[name] = windowed(snapshot, name.slice('event_counts_'.length), nowSeconds).types;
        break;
      case 'popularity':
        out[name] = decayedScore(snapshot.popularity, nowSeconds, halfLifeSeconds);
        break;
      case 'last_interaction':
        out[name] = snapshot.lastInteraction;
        break;
    }
  }
  return out;
}
