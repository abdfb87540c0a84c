import { describe, expect, it } from 'vitest';
import { MemoryFeatureStore } from '../../src/features/memory-feature-store.ts';
import { describeFeatureStoreContract } from './feature-store.contract.ts';
import { clock, DAY, event, T0 } from './fixtures.ts';

describeFeatureStoreContract('memory', (options) => new MemoryFeatureStore(options));

describe('Class: MemoryFeatureStore', () => {
  it('forgets the oldest ids beyond its memory bound', async () => {
    const store = new MemoryFeatureStore({ now: clock(T0).now, maxRememberedEvents: 2 });
    const [a, b, c] = [event({ timestamp: T0 }), event({ timestamp: T0 }), event({ timestamp: T0 })];
    await store.apply([a!, b!, c!]);
    expect(await store.apply([b!, c!])).toEqual({ applied: 0, duplicates: 2 });
    expect(await store.apply([a!])).toEqual({ applied: 1, duplicates: 0 });
  });

  it('drops entities silent past the TTL at its periodic sweep', async () => {
    const time = clock(T0);
    const store = new MemoryFeatureStore({ now: time.now, ttlSeconds: DAY, sweepEvery: 2 });
    await store.apply([event({ timestamp: T0, userId: 'old', itemId: 'old-item' })]);
    expect(store.size).toEqual({ users: 1, items: 1 });
    time.set(T0 + 2 * DAY);
    await store.apply([event({ timestamp: T0 + 2 * DAY, userId: 'new', itemId: 'new-item' })]);
    expect(store.size).toEqual({ users: 1, items: 1 });
    expect((await store.readUser('new')).status).toBe('FOUND');
  });

  it('remembers at most maxAnonymousSessions anonymous sessions, forgetting the one written longest ago', async () => {
    // Prepare
    const store = new MemoryFeatureStore({ now: clock(T0 + 100).now, maxAnonymousSessions: 2 });
    const anonymous = (sessionId: string, timestamp: number) =>
      event({ timestamp, userId: null, sessionId, itemId: `i-${sessionId}` });
    // Act
    await store.apply([
      anonymous('a', T0),
      anonymous('b', T0 + 1),
      anonymous('a', T0 + 2),
      anonymous('c', T0 + 3),
    ]);
    await store.apply([
      event({ timestamp: T0 + 4, userId: 'ua', sessionId: 'a', itemId: null }),
      event({ timestamp: T0 + 4, userId: 'ub', sessionId: 'b', itemId: null }),
    ]);
    // Assess
    expect(store.anonymousSessions).toBe(1);
    const items = async (userId: string) => {
      const row = await store.readUser(userId, ['recent_items']);
      return row.status === 'FOUND' ? row.features.recent_items : row.status;
    };
    expect(await items('ua')).toEqual(['i-a', 'i-a']);
    expect(await items('ub')).toEqual([]);
    expect((await store.readItem('i-b')).status).toBe('FOUND');
  });

  it('drops anonymous sessions silent past the TTL at its periodic sweep', async () => {
    const time = clock(T0);
    const store = new MemoryFeatureStore({ now: time.now, ttlSeconds: DAY, sweepEvery: 1 });
    await store.apply([event({ timestamp: T0, userId: null, sessionId: 'gone' })]);
    expect(store.anonymousSessions).toBe(1);
    time.set(T0 + 2 * DAY);
    await store.apply([event({ timestamp: T0 + 2 * DAY, userId: null, sessionId: 'live' })]);
    expect(store.anonymousSessions).toBe(1);
  });

  it('ranks items by live popularity', async () => {
    const store = new MemoryFeatureStore({ now: clock(T0 + DAY).now });
    await store.apply([
      event({ timestamp: T0, itemId: 'old-hit' }),
      event({ timestamp: T0, itemId: 'old-hit' }),
      event({ timestamp: T0, itemId: 'old-hit' }),
      event({ timestamp: T0 + DAY, itemId: 'fresh' }),
      event({ timestamp: T0 + DAY, itemId: 'fresh' }),
      event({ timestamp: T0 + DAY, itemId: 'b' }),
      event({ timestamp: T0 + DAY, itemId: 'a' }),
    ]);
    expect(store.topItems(3).map((s) => s.itemId)).toEqual(['fresh', 'old-hit', 'b']);
    expect(store.topItems(100)).toHaveLength(4);
    expect(store.topItems(10)[1]!.score).toBeCloseTo(1.5, 10);
  });

  it('fails on a non-positive size', () => {
    expect(() => new MemoryFeatureStore({ recentEvents: 0 })).toThrow(/recentEvents must be positive, got 0/);
    expect(() => new MemoryFeatureStore({ maxAnonymousSessions: 0 })).toThrow(
      /maxAnonymousSessions must be positive, got 0/,
    );
  });
});
