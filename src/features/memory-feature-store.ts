import { RecentIds } from '../core/recent-ids.ts';
import { topK } from '../core/top-k.ts';
import type { EventLogRecord } from '../event-log/schema.ts';
import { BucketRing } from './bucket-ring.ts';
import { decayedScore, decayTerm, isStaleTerm } from './decay.ts';
import { countedAt, itemFeatures, type KeptEvent, userFeatures } from './snapshot.ts';
import {
  type ApplyResult,
  type BatchReadRequest,
  type BatchReadResult,
  type FeatureRow,
  type FeatureStore,
  type FeatureStoreOptions,
  ITEM_FEATURES,
  type ItemFeatureName,
  USER_FEATURES,
  type UserFeatureName,
} from './types.ts';
import { type CountSource, HOUR_BUCKETS, MINUTE_BUCKETS } from './windows.ts';

export interface MemoryFeatureStoreOptions extends FeatureStoreOptions {
  /**
   * Event ids remembered for idempotency (oldest forgotten first); a batch redelivered after this many newer
   * events would count again.
   * @default 1_000_000
   */
  readonly maxRememberedEvents?: number;
  /**
   * Entities silent past `ttlSeconds` are dropped after every this many applied events, so memory follows
   * the active users and items, not every one ever seen.
   * @default 100_000
   */
  readonly sweepEvery?: number;
  /**
   * Anonymous sessions whose recent events are remembered for the user they may log in as; beyond it the
   * session written longest ago is forgotten (its events then never reach a user).
   * @default 10_000
   */
  readonly maxAnonymousSessions?: number;
}

/** Sessions whose counters a user keeps: the current one plus a few for late events of earlier ones. */
const SESSIONS_KEPT = 4;

interface UserState {
  readonly minutes: BucketRing;
  readonly hours: BucketRing;
  /** Newest first. */
  readonly recent: KeptEvent[];
  readonly sessions: Map<string, { length: number; start: number }>;
  lastSeen: number;
}

/** An anonymous session's events still waiting for a login. */
interface AnonymousSession {
  /** Newest first, at most `recentEvents`. */
  readonly events: KeptEvent[];
  /** Time of the newest event: the session expires with it. */
  lastSeen: number;
}

interface ItemState {
  readonly minutes: BucketRing;
  readonly hours: BucketRing;
  readonly popularity: Map<number, number>;
  lastInteraction: number;
}

/** An item's live popularity, for ranking (see live-popularity.ts). */
export interface ScoredItem {
  readonly itemId: string;
  readonly score: number;
}

/**
 * The feature store inside one process, for `npm start`, tests and benchmarks: sparse bucket rings per
 * entity, O(1) work per event, reads in microseconds. State lives as long as the process.
 */
export class MemoryFeatureStore implements FeatureStore {
  private readonly users = new Map<string, UserState>();
  /** Count keys (`t:click`, `c:shoes`) as small integers for the rings, and back. */
  private readonly typeKeys = new Map<string, number>();
  private readonly categoryKeys = new Map<string, number>();
  private readonly keyNames: string[] = [];
  private readonly items = new Map<string, ItemState>();
  /**
   * Anonymous sessions in the order they were last written (a Map keeps insertion order), capped at
   * `maxAnonymousSessions`: unlike users, their number has no natural bound (bots, one-page visits, every
   * session before a login), most never log in, and the TTL sweep alone would keep 30 days of them. The
   * default 10,000 holds at most 200,000 kept events (at the default 20 per session, tens of MB); a session
   * pushed out has been silent while 10,000 others were active, long past when a visitor usually logs in.
   */
  private readonly anonymous = new Map<string, AnonymousSession>();
  private readonly maxAnonymousSessions: number;
  private readonly applied: RecentIds;
  private readonly sweepEvery: number;
  private sinceSweep = 0;
  private appliedCount = 0;
  private readonly recentEvents: number;
  private readonly halfLife: number;
  private readonly ttl: number;
  private readonly weights: Readonly<Record<string, number>>;
  private readonly categoryOf: ((itemId: string) => string | undefined) | undefined;
  private readonly now: () => number;

  constructor(options: MemoryFeatureStoreOptions = {}) {
    this.recentEvents = options.recentEvents ?? 20;
    this.halfLife = options.halfLifeSeconds ?? 86_400;
    this.ttl = options.ttlSeconds ?? 30 * 86_400;
    this.weights = options.eventWeights ?? {};
    this.categoryOf = options.categoryOf;
    this.now = options.now ?? Date.now;
    for (const [name, value] of Object.entries({
      recentEvents: this.recentEvents,
      halfLifeSeconds: this.halfLife,
      ttlSeconds: this.ttl,
      sweepEvery: options.sweepEvery ?? 1,
      maxAnonymousSessions: options.maxAnonymousSessions ?? 1,
    })) {
      if (!(value > 0)) throw new RangeError(`MemoryFeatureStore: ${name} must be positive, got ${value}`);
    }
    this.applied = new RecentIds(options.maxRememberedEvents ?? 1_000_000);
    this.sweepEvery = options.sweepEvery ?? 100_000;
    this.maxAnonymousSessions = options.maxAnonymousSessions ?? 10_000;
  }

  async apply(records: readonly EventLogRecord[]): Promise<ApplyResult> {
    return this.applySync(records);
  }

  async appliedEventIds(eventIds: readonly string[]): Promise<Set<string>> {
    return new Set(eventIds.filter((id) => this.applied.has(id)));
  }

  /** `apply` without the promise, for in-process callers on the hot path. */
  applySync(records: readonly EventLogRecord[]): ApplyResult {
    const nowSeconds = this.now() / 1000;
    let applied = 0;
    for (const logged of records) {
      // Before the duplicate check, as the DynamoDB store does: any login event of the session carries them.
      if (logged.userId !== null) this.join(logged.userId, logged.sessionId, nowSeconds);
      if (this.applied.has(logged.eventId)) continue;
      this.applied.add(logged.eventId);
      applied++;
      const record = countedAt(logged, nowSeconds);
      if (record.userId !== null) this.applyToUser(record.userId, record, nowSeconds);
      else this.remember(record);
      if (record.itemId !== null) this.applyToItem(record.itemId, record, nowSeconds);
    }
    this.sinceSweep += applied;
    this.appliedCount += applied;
    if (this.sinceSweep >= this.sweepEvery) this.sweep(nowSeconds);
    return { applied, duplicates: records.length - applied };
  }

  /** Changes whenever an event is applied (a live ranking is current while it stays the same). */
  get version(): number {
    return this.appliedCount;
  }

  /** Anonymous sessions whose events wait for a login (including expired ones not yet swept). */
  get anonymousSessions(): number {
    return this.anonymous.size;
  }

  /** Users and items held (including expired ones not yet swept). */
  get size(): { readonly users: number; readonly items: number } {
    return { users: this.users.size, items: this.items.size };
  }

  private sweep(nowSeconds: number): void {
    this.sinceSweep = 0;
    const oldest = nowSeconds - this.ttl;
    for (const [id, state] of this.users) if (state.lastSeen < oldest) this.users.delete(id);
    for (const [id, state] of this.items) if (state.lastInteraction < oldest) this.items.delete(id);
    for (const [id, session] of this.anonymous) if (session.lastSeen <= oldest) this.anonymous.delete(id);
  }

  /** Keeps an anonymous event for the user its session may log in as. */
  private remember(record: EventLogRecord): void {
    let session = this.anonymous.get(record.sessionId);
    if (session) this.anonymous.delete(record.sessionId);
    else session = { events: [], lastSeen: Number.NEGATIVE_INFINITY };
    // Re-inserted: the Map's first entry is the session written longest ago, the one the cap forgets.
    this.anonymous.set(record.sessionId, session);
    if (this.anonymous.size > this.maxAnonymousSessions) {
      this.anonymous.delete(this.anonymous.keys().next().value!);
    }
    keepRecent(session.events, record, this.recentEvents);
    if (record.timestamp > session.lastSeen) session.lastSeen = record.timestamp;
  }

  /** Applies the session's remembered anonymous events to the user it logged in as, oldest first, once. */
  private join(userId: string, sessionId: string, nowSeconds: number): void {
    const session = this.anonymous.get(sessionId);
    if (!session) return;
    this.anonymous.delete(sessionId);
    for (let i = session.events.length - 1; i >= 0; i--) {
      const kept = session.events[i]!;
      if (kept.timestamp + this.ttl > nowSeconds) this.applyToUser(userId, kept, nowSeconds);
    }
  }

  async readUser(
    userId: string,
    features: readonly UserFeatureName[] = USER_FEATURES,
  ): Promise<FeatureRow<UserFeatureName>> {
    return this.readUserSync(userId, features);
  }

  readUserSync(
    userId: string,
    features: readonly UserFeatureName[] = USER_FEATURES,
  ): FeatureRow<UserFeatureName> {
    const nowSeconds = this.now() / 1000;
    const state = this.users.get(userId);
    if (!state || state.lastSeen < nowSeconds - this.ttl) return { id: userId, status: 'NOT_FOUND' };
    const session = state.recent[0] && state.sessions.get(state.recent[0].sessionId);
    return {
      id: userId,
      status: 'FOUND',
      features: userFeatures(
        {
          recent: state.recent,
          minutes: this.counts(state.minutes),
          hours: this.counts(state.hours),
          session,
        },
        features,
        nowSeconds,
      ),
    };
  }

  async readItem(
    itemId: string,
    features: readonly ItemFeatureName[] = ITEM_FEATURES,
  ): Promise<FeatureRow<ItemFeatureName>> {
    return this.readItemSync(itemId, features);
  }

  readItemSync(
    itemId: string,
    features: readonly ItemFeatureName[] = ITEM_FEATURES,
  ): FeatureRow<ItemFeatureName> {
    const nowSeconds = this.now() / 1000;
    const state = this.items.get(itemId);
    if (!state || state.lastInteraction < nowSeconds - this.ttl) return { id: itemId, status: 'NOT_FOUND' };
    return {
      id: itemId,
      status: 'FOUND',
      features: itemFeatures(
        {
          minutes: this.counts(state.minutes),
          hours: this.counts(state.hours),
          popularity: state.popularity,
          lastInteraction: state.lastInteraction,
        },
        features,
        nowSeconds,
        this.halfLife,
      ),
    };
  }

  async readBatch(request: BatchReadRequest): Promise<BatchReadResult> {
    return {
      users: (request.users ?? []).map((id) => this.readUserSync(id, request.features?.user)),
      items: (request.items ?? []).map((id) => this.readItemSync(id, request.features?.item)),
    };
  }

  /** The `k` items with the highest decayed popularity now, best first (ties: the item seen first). */
  topItems(k: number): ScoredItem[] {
    const nowSeconds = this.now() / 1000;
    const ids: string[] = [];
    const scores = new Float32Array(this.items.size);
    for (const [itemId, state] of this.items) {
      scores[ids.length] = decayedScore(state.popularity, nowSeconds, this.halfLife);
      ids.push(itemId);
    }
    const best = topK(scores, Math.min(k, ids.length));
    const ranked: ScoredItem[] = [];
    best.items.forEach((index, i) => {
      if (best.scores[i]! > 0) ranked.push({ itemId: ids[index]!, score: best.scores[i]! });
    });
    return ranked;
  }

  private keyOf(keys: Map<string, number>, prefix: string, name: string): number {
    let key = keys.get(name);
    if (key === undefined) {
      key = this.keyNames.push(`${prefix}${name}`) - 1;
      keys.set(name, key);
    }
    return key;
  }

  /** The ring's counts with key names, as the snapshot reads them. */
  private counts(ring: BucketRing): CountSource {
    return (visit) =>
      ring.forEach((bucket, key, count) => {
        visit(bucket, this.keyNames[key]!, count);
      });
  }

  private applyToUser(userId: string, record: KeptEvent, nowSeconds: number): void {
    const category = record.itemId === null ? undefined : this.categoryOf?.(record.itemId);
    let state = this.users.get(userId);
    if (!state) {
      state = {
        minutes: new BucketRing('minute', MINUTE_BUCKETS),
        hours: new BucketRing('hour', HOUR_BUCKETS),
        recent: [],
        sessions: new Map(),
        lastSeen: Number.NEGATIVE_INFINITY,
      };
      this.users.set(userId, state);
    }
    const { timestamp } = record;
    const typeKey = this.keyOf(this.typeKeys, 't:', record.eventType);
    state.minutes.add(typeKey, timestamp, nowSeconds);
    state.hours.add(typeKey, timestamp, nowSeconds);
    if (category !== undefined) {
      const categoryKey = this.keyOf(this.categoryKeys, 'c:', category);
      state.minutes.add(categoryKey, timestamp, nowSeconds);
      state.hours.add(categoryKey, timestamp, nowSeconds);
    }
    if (timestamp > state.lastSeen) state.lastSeen = timestamp;
    keepRecent(state.recent, record, this.recentEvents);
    const session = state.sessions.get(record.sessionId);
    if (session) {
      session.length++;
      if (timestamp < session.start) session.start = timestamp;
    } else {
      state.sessions.set(record.sessionId, { length: 1, start: timestamp });
      if (state.sessions.size > SESSIONS_KEPT) state.sessions.delete(state.sessions.keys().next().value!);
    }
  }

  private applyToItem(itemId: string, record: EventLogRecord, nowSeconds: number): void {
    let state = this.items.get(itemId);
    if (!state) {
      state = {
        minutes: new BucketRing('minute', MINUTE_BUCKETS),
        hours: new BucketRing('hour', HOUR_BUCKETS),
        popularity: new Map(),
        lastInteraction: Number.NEGATIVE_INFINITY,
      };
      this.items.set(itemId, state);
    }
    const { timestamp } = record;
    const typeKey = this.keyOf(this.typeKeys, 't:', record.eventType);
    state.minutes.add(typeKey, timestamp, nowSeconds);
    state.hours.add(typeKey, timestamp, nowSeconds);
    if (timestamp > state.lastInteraction) state.lastInteraction = timestamp;
    const weight = this.weights[record.eventType] ?? 1;
    if (weight !== 0) {
      const term = decayTerm(timestamp, weight, this.halfLife);
      state.popularity.set(term.ref, (state.popularity.get(term.ref) ?? 0) + term.value);
      if (state.popularity.size > 2) {
        for (const ref of state.popularity.keys()) {
          if (isStaleTerm(ref, nowSeconds, this.halfLife)) state.popularity.delete(ref);
        }
      }
    }
  }
}

/** Inserts the event into the newest-first list by time, keeping at most `max`. */
function keepRecent(recent: KeptEvent[], record: KeptEvent, max: number): void {
  let at = 0;
  while (at < recent.length && recent[at]!.timestamp > record.timestamp) at++;
  if (at >= max) return;
  // The record itself is kept: it is immutable, and a copy would only be more garbage.
  recent.splice(at, 0, record);
  if (recent.length > max) recent.pop();
}
