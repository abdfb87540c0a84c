import { describe, expect, it } from 'vitest';
import type { FeatureRow, FeatureStore, FeatureStoreOptions } from '../../src/features/types.ts';
import { clock, DAY, event, HOUR, T0 } from './fixtures.ts';

const features = <N extends string>(row: FeatureRow<N>) => {
  if (row.status !== 'FOUND') throw new Error(`${row.id} not found`);
  return row.features;
};

/**
 * What every FeatureStore does, run against each implementation: windows at their boundaries, idempotency,
 * recent events, sessions, NOT_FOUND, popularity decay, batch reads.
 */
export function describeFeatureStoreContract(
  name: string,
  make: (options: FeatureStoreOptions & { now: () => number }) => FeatureStore,
): void {
  describe(`Contract: FeatureStore (${name})`, () => {
    describe('Method: apply (windows)', () => {
      it('counts an event in the 1h window until 60 minute boundaries have passed', async () => {
        const time = clock(T0 + 30);
        const store = make({ now: time.now });
        await store.apply([event({ timestamp: T0 + 30 })]);
        const count = async () => features(await store.readUser('u1', ['event_counts_1h'])).event_counts_1h;
        expect(await count()).toEqual({ click: 1 });
        time.set(T0 + 59 * 60 + 59);
        expect(await count()).toEqual({ click: 1 });
        time.set(T0 + 60 * 60);
        expect(await count()).toEqual({});
      });

      it('counts an event in the 24h window for 24 hour buckets and in the 7d window for 168', async () => {
        const time = clock(T0 + 10);
        const store = make({ now: time.now });
        await store.apply([event({ timestamp: T0 + 10, eventType: 'purchase' })]);
        const read = async () =>
          features(await store.readItem('i1', ['event_counts_24h', 'event_counts_7d']));
        time.set(T0 + 24 * HOUR - 1);
        expect(await read()).toEqual({ event_counts_24h: { purchase: 1 }, event_counts_7d: { purchase: 1 } });
        time.set(T0 + 24 * HOUR);
        expect(await read()).toEqual({ event_counts_24h: {}, event_counts_7d: { purchase: 1 } });
        time.set(T0 + 168 * HOUR - 1);
        expect(await read()).toEqual({ event_counts_24h: {}, event_counts_7d: { purchase: 1 } });
        time.set(T0 + 168 * HOUR);
        expect(await read()).toEqual({ event_counts_24h: {}, event_counts_7d: {} });
      });

      it('places late events in their own bucket, ignores ones older than a week, counts future ones as now', async () => {
        const time = clock(T0 + 10 * DAY);
        const store = make({ now: time.now });
        await store.apply([
          event({ timestamp: T0 + 10 * DAY - 2 * HOUR }),
          event({ timestamp: T0 + 2 * DAY }),
          event({ timestamp: T0 + 10 * DAY + 500, eventType: 'view' }),
        ]);
        expect(
          features(await store.readUser('u1', ['event_counts_1h', 'event_counts_24h', 'event_counts_7d'])),
        ).toEqual({
          event_counts_1h: { view: 1 },
          event_counts_24h: { click: 1, view: 1 },
          event_counts_7d: { click: 1, view: 1 },
        });
      });

      it('stays correct when a window is refilled after its buckets went stale', async () => {
        const time = clock(T0);
        const store = make({ now: time.now });
        for (let minute = 0; minute < 200; minute++) {
          time.set(T0 + minute * 60);
          await store.apply([event({ timestamp: T0 + minute * 60 })]);
        }
        expect(features(await store.readUser('u1', ['event_counts_1h', 'event_counts_24h']))).toEqual({
          event_counts_1h: { click: 60 },
          event_counts_24h: { click: 200 },
        });
      });

      it('counts per item category from the lookup', async () => {
        const time = clock(T0);
        const store = make({
          now: time.now,
          categoryOf: (itemId) =>
            itemId === 'unknown' ? undefined : itemId.startsWith('s') ? 'shoes' : 'hats',
        });
        await store.apply([
          event({ timestamp: T0, itemId: 's1' }),
          event({ timestamp: T0, itemId: 's2' }),
          event({ timestamp: T0, itemId: 'h1' }),
          event({ timestamp: T0, itemId: 'unknown' }),
        ]);
        expect(features(await store.readUser('u1', ['category_counts_1h'])).category_counts_1h).toEqual({
          shoes: 2,
          hats: 1,
        });
      });
    });

    describe('Method: apply (idempotency)', () => {
      it('never counts a redelivered event twice', async () => {
        const time = clock(T0);
        const store = make({ now: time.now });
        const batch = [event({ timestamp: T0 }), event({ timestamp: T0, eventType: 'purchase' })];
        expect(await store.apply(batch)).toEqual({ applied: 2, duplicates: 0 });
        expect(await store.apply([...batch, event({ timestamp: T0 })])).toEqual({
          applied: 1,
          duplicates: 2,
        });
        expect(features(await store.readUser('u1'))).toMatchObject({
          event_counts_1h: { click: 2, purchase: 1 },
          session_length: 3,
          recent_event_types: ['click', 'purchase', 'click'],
        });
        expect(features(await store.readItem('i1', ['event_counts_1h']))).toEqual({
          event_counts_1h: { click: 2, purchase: 1 },
        });
      });

      it('tells which event ids it applied (what a replay skips)', async () => {
        const store = make({ now: clock(T0).now });
        await store.apply([event({ eventId: 'a', timestamp: T0 }), event({ eventId: 'b', timestamp: T0 })]);
        expect(await store.appliedEventIds(['b', 'x', 'a'])).toEqual(new Set(['a', 'b']));
        expect(await store.appliedEventIds([])).toEqual(new Set());
      });
    });

    describe('Method: readUser', () => {
      it('keeps the last N events newest first, late ones in place', async () => {
        const store = make({ now: clock(T0 + 100).now, recentEvents: 3 });
        await store.apply([
          event({ timestamp: T0 + 1, itemId: 'a' }),
          event({ timestamp: T0 + 3, itemId: 'c', eventType: 'purchase' }),
          event({ timestamp: T0 + 2, itemId: null, eventType: 'visit' }),
          event({ timestamp: T0 + 4, itemId: 'd' }),
          event({ timestamp: T0, itemId: 'too-old' }),
        ]);
        expect(
          features(await store.readUser('u1', ['recent_items', 'recent_event_types', 'last_seen'])),
        ).toEqual({
          recent_items: ['d', 'c'],
          recent_event_types: ['click', 'purchase', 'visit'],
          last_seen: T0 + 4,
        });
      });

      it('describes the session of the latest event, whatever order events arrive in', async () => {
        const store = make({ now: clock(T0 + 1000).now });
        await store.apply([
          event({ timestamp: T0 + 10, sessionId: 'old', itemId: 'a' }),
          event({ timestamp: T0 + 100, sessionId: 'new', itemId: 'b' }),
          event({ timestamp: T0 + 110, sessionId: 'new', itemId: 'c' }),
          event({ timestamp: T0 + 120, sessionId: 'new', itemId: 'b' }),
          event({ timestamp: T0 + 20, sessionId: 'old', itemId: 'z' }),
          event({ timestamp: T0 + 90, sessionId: 'new', itemId: 'e' }),
        ]);
        expect(
          features(
            await store.readUser('u1', ['session_id', 'session_items', 'session_length', 'session_start']),
          ),
        ).toEqual({
          session_id: 'new',
          session_items: ['b', 'c', 'e'],
          session_length: 4,
          session_start: T0 + 90,
        });
      });

      it('answers NOT_FOUND for unknown users, anonymous events and users silent past the TTL', async () => {
        const time = clock(T0);
        const store = make({ now: time.now, ttlSeconds: DAY });
        await store.apply([
          event({ timestamp: T0, userId: null, itemId: 'i9' }),
          event({ timestamp: T0, userId: 'u2' }),
        ]);
        expect(await store.readUser('nobody')).toEqual({ id: 'nobody', status: 'NOT_FOUND' });
        expect((await store.readUser('u2')).status).toBe('FOUND');
        expect((await store.readItem('i9')).status).toBe('FOUND');
        time.set(T0 + DAY + 1);
        expect(await store.readUser('u2')).toEqual({ id: 'u2', status: 'NOT_FOUND' });
        expect(await store.readItem('i9')).toEqual({ id: 'i9', status: 'NOT_FOUND' });
      });
    });

    describe('Method: readItem and topItems', () => {
      it('decays popularity by half every half-life, weighting event types', async () => {
        const time = clock(T0);
        const store = make({
          now: time.now,
          halfLifeSeconds: HOUR,
          eventWeights: { purchase: 4 },
        });
        await store.apply([event({ timestamp: T0 }), event({ timestamp: T0, eventType: 'purchase' })]);
        const read = async () => features(await store.readItem('i1', ['popularity', 'last_interaction']));
        expect(await read()).toEqual({ popularity: 5, last_interaction: T0 });
        time.set(T0 + 2 * HOUR);
        expect((await read()).popularity).toBeCloseTo(1.25, 10);
        // Far beyond the 32-half-life period, terms are rebased without losing precision.
        time.set(T0 + 40 * HOUR);
        await store.apply([event({ timestamp: T0 + 40 * HOUR, itemId: 'i1' })]);
        expect((await read()).popularity).toBeCloseTo(1 + 5 * 2 ** -40, 12);
      });
    });

    describe('Method: readBatch', () => {
      it('answers every entity in request order with NOT_FOUND for the missing ones', async () => {
        const store = make({ now: clock(T0).now });
        await store.apply([event({ timestamp: T0, userId: 'u1', itemId: 'i1' })]);
        expect(
          await store.readBatch({
            users: ['ghost', 'u1'],
            items: ['i1', 'gone'],
            features: { user: ['last_seen'], item: ['last_interaction'] },
          }),
        ).toEqual({
          users: [
            { id: 'ghost', status: 'NOT_FOUND' },
            { id: 'u1', status: 'FOUND', features: { last_seen: T0 } },
          ],
          items: [
            { id: 'i1', status: 'FOUND', features: { last_interaction: T0 } },
            { id: 'gone', status: 'NOT_FOUND' },
          ],
        });
      });
    });
  });
}
