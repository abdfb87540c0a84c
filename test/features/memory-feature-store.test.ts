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
  });
});
