import { describe, expect, it } from 'vitest';
import type { EventLogRecord } from '../../src/event-log/schema.ts';
import type { FeatureRow, FeatureStore, FeatureStoreOptions } from '../../src/features/types.ts';
import { clock, DAY, event, HOUR, T0 } from './fixtures.ts';

const features = <N extends string>(row: FeatureRow<N>) => {
  if (row.status !== 'FOUND') throw new Error(`${row.id} not found`);
  return row.features;
};

/**
 * What every FeatureStore does, run against each implementation: windows at their boundaries, idempotency,
 * recent events, sessions, an anonymous session's join to the user it logs in as, NOT_FOUND, popularity
 * decay, batch reads.
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

    describe('Method: apply (events stamped in the future)', () => {
      it('counts a future event at its arrival: in the 1h window now, behind later events, never last seen ahead', async () => {
        // Prepare
        const time = clock(T0 + 100);
        const store = make({ now: time.now });
        // Act
        await store.apply([event({ timestamp: T0 + 30 * DAY, itemId: 'ahead' })]);
        time.set(T0 + 200);
        await store.apply([event({ timestamp: T0 + 200, itemId: 'normal', eventType: 'view' })]);
        // Assess
        const read = async () =>
          features(
            await store.readUser('u1', [
              'event_counts_1h',
              'recent_items',
              'last_seen',
              'session_length',
              'session_start',
            ]),
          );
        expect(await read()).toEqual({
          event_counts_1h: { click: 1, view: 1 },
          recent_items: ['normal', 'ahead'],
          last_seen: T0 + 200,
          session_length: 2,
          session_start: T0 + 100,
        });
        // It leaves the 1h window an hour after it arrived, not an hour after its stamp.
        time.set(T0 + HOUR + 150);
        expect((await read()).event_counts_1h).toEqual({ view: 1 });
      });

      it("counts a future event at its arrival in the item's features and the user's TTL", async () => {
        // Arriving mid-second: it counts at that whole second, as event-log timestamps are.
        const time = clock(T0 + 100.5);
        const store = make({ now: time.now, ttlSeconds: DAY });
        await store.apply([event({ timestamp: T0 + 30 * DAY, itemId: 'i9' })]);
        expect(features(await store.readItem('i9', ['last_interaction', 'popularity']))).toEqual({
          last_interaction: T0 + 100,
          popularity: expect.closeTo(2 ** (-0.5 / DAY), 12),
        });
        expect(features(await store.readUser('u1', ['last_seen'])).last_seen).toBe(T0 + 100);
        time.set(T0 + 101 + DAY);
        expect(await store.readUser('u1')).toEqual({ id: 'u1', status: 'NOT_FOUND' });
        expect(await store.readItem('i9')).toEqual({ id: 'i9', status: 'NOT_FOUND' });
      });

      it('carries a future anonymous event to the login at the time it arrived', async () => {
        const time = clock(T0 + 100);
        const store = make({ now: time.now });
        await store.apply([
          event({ timestamp: T0 + 30 * DAY, userId: null, sessionId: 'j', itemId: 'ahead' }),
        ]);
        time.set(T0 + 200);
        await store.apply([event({ timestamp: T0 + 200, userId: 'u7', sessionId: 'j', itemId: 'login' })]);
        expect(
          features(
            await store.readUser('u7', ['recent_items', 'last_seen', 'session_start', 'event_counts_1h']),
          ),
        ).toEqual({
          recent_items: ['login', 'ahead'],
          last_seen: T0 + 200,
          session_start: T0 + 100,
          event_counts_1h: { click: 2 },
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

    describe('Method: apply (session join)', () => {
      const anonymous = (fields: Partial<EventLogRecord> & { timestamp: number }) =>
        event({ userId: null, sessionId: 'join1', ...fields });
      const login = (fields: Partial<EventLogRecord> & { timestamp: number }) =>
        event({ userId: 'u7', sessionId: 'join1', ...fields });

      it("reads a user as if the session's earlier anonymous events had carried the userId", async () => {
        // Prepare
        const store = make({
          now: clock(T0 + 100).now,
          categoryOf: (itemId) => (itemId === 'i7' ? 'hats' : 'shoes'),
        });
        // Act
        await store.apply([
          anonymous({ timestamp: T0 + 2, itemId: 'i6' }),
          anonymous({ timestamp: T0 + 1, itemId: 'i5' }),
        ]);
        await store.apply([login({ timestamp: T0 + 3, itemId: 'i7', eventType: 'purchase' })]);
        // Assess
        expect(features(await store.readUser('u7'))).toEqual({
          recent_items: ['i7', 'i6', 'i5'],
          recent_event_types: ['purchase', 'click', 'click'],
          event_counts_1h: { click: 2, purchase: 1 },
          event_counts_24h: { click: 2, purchase: 1 },
          event_counts_7d: { click: 2, purchase: 1 },
          category_counts_1h: { shoes: 2, hats: 1 },
          category_counts_24h: { shoes: 2, hats: 1 },
          category_counts_7d: { shoes: 2, hats: 1 },
          session_id: 'join1',
          session_items: ['i7', 'i6', 'i5'],
          session_length: 3,
          session_start: T0 + 1,
          last_seen: T0 + 3,
        });
        expect(features(await store.readItem('i5', ['event_counts_1h']))).toEqual({
          event_counts_1h: { click: 1 },
        });
      });

      it('carries the anonymous events once: a later login event of the session adds only itself', async () => {
        const store = make({ now: clock(T0 + 100).now });
        await store.apply([anonymous({ timestamp: T0 + 1, itemId: 'i5' })]);
        await store.apply([login({ timestamp: T0 + 2, itemId: 'i6' })]);
        await store.apply([login({ timestamp: T0 + 3, itemId: 'i7' })]);
        expect(
          features(await store.readUser('u7', ['event_counts_1h', 'session_length', 'recent_items'])),
        ).toEqual({ event_counts_1h: { click: 3 }, session_length: 3, recent_items: ['i7', 'i6', 'i5'] });
      });

      it('never counts a redelivered anonymous batch twice, before or after the join', async () => {
        const store = make({ now: clock(T0 + 100).now });
        const batch = [
          anonymous({ timestamp: T0 + 1, itemId: 'i5' }),
          anonymous({ timestamp: T0 + 2, itemId: 'i6' }),
        ];
        expect(await store.apply(batch)).toEqual({ applied: 2, duplicates: 0 });
        expect(await store.apply(batch)).toEqual({ applied: 0, duplicates: 2 });
        const first = login({ timestamp: T0 + 3, itemId: 'i7' });
        await store.apply([first]);
        expect(await store.apply(batch)).toEqual({ applied: 0, duplicates: 2 });
        // The login event redelivered, and a new one, find nothing left to carry.
        expect(await store.apply([first, login({ timestamp: T0 + 4, itemId: null })])).toEqual({
          applied: 1,
          duplicates: 1,
        });
        expect(
          features(await store.readUser('u7', ['event_counts_1h', 'session_length', 'recent_items'])),
        ).toEqual({ event_counts_1h: { click: 4 }, session_length: 4, recent_items: ['i7', 'i6', 'i5'] });
        expect(features(await store.readItem('i5', ['event_counts_1h', 'popularity']))).toEqual({
          event_counts_1h: { click: 1 },
          popularity: expect.closeTo(2 ** (-99 / DAY), 12),
        });
      });

      it('leaves users untouched by a session that never logs in, and counts its items', async () => {
        const store = make({ now: clock(T0 + 100).now });
        await store.apply([
          anonymous({ timestamp: T0 + 1, itemId: 'i5', sessionId: 'never' }),
          event({ timestamp: T0 + 2, userId: 'u1', sessionId: 's1', itemId: 'i5' }),
        ]);
        await store.apply([anonymous({ timestamp: T0 + 3, itemId: 'i5', sessionId: 'never' })]);
        expect(
          features(await store.readUser('u1', ['event_counts_1h', 'recent_items', 'session_length'])),
        ).toEqual({ event_counts_1h: { click: 1 }, recent_items: ['i5'], session_length: 1 });
        expect(await store.readUser('u7')).toEqual({ id: 'u7', status: 'NOT_FOUND' });
        expect(features(await store.readItem('i5', ['event_counts_1h', 'last_interaction']))).toEqual({
          event_counts_1h: { click: 3 },
          last_interaction: T0 + 3,
        });
      });

      it('goes by arrival order within a batch: events after the login wait for the next one', async () => {
        const store = make({ now: clock(T0 + 100).now });
        await store.apply([
          anonymous({ timestamp: T0 + 1, itemId: 'a' }),
          login({ timestamp: T0 + 2, itemId: 'b' }),
          anonymous({ timestamp: T0 + 3, itemId: 'c' }),
        ]);
        expect(features(await store.readUser('u7', ['recent_items'])).recent_items).toEqual(['b', 'a']);
        await store.apply([login({ timestamp: T0 + 4, itemId: 'd', userId: 'u8' })]);
        expect(features(await store.readUser('u8', ['recent_items'])).recent_items).toEqual(['d', 'c']);
        expect(features(await store.readUser('u7', ['recent_items'])).recent_items).toEqual(['b', 'a']);
      });

      it('carries at most recentEvents anonymous events of a session, the newest', async () => {
        const store = make({ now: clock(T0 + 100).now, recentEvents: 3 });
        await store.apply([
          anonymous({ timestamp: T0 + 5, itemId: 'e' }),
          anonymous({ timestamp: T0 + 1, itemId: 'a' }),
          anonymous({ timestamp: T0 + 4, itemId: 'd' }),
        ]);
        await store.apply([
          anonymous({ timestamp: T0 + 2, itemId: 'b' }),
          anonymous({ timestamp: T0 + 3, itemId: 'c' }),
        ]);
        await store.apply([login({ timestamp: T0 + 6, itemId: null, eventType: 'visit' })]);
        expect(
          features(
            await store.readUser('u7', [
              'event_counts_1h',
              'recent_items',
              'session_length',
              'session_start',
            ]),
          ),
        ).toEqual({
          event_counts_1h: { click: 3, visit: 1 },
          recent_items: ['e', 'd'],
          session_length: 4,
          session_start: T0 + 3,
        });
        expect(features(await store.readItem('a', ['event_counts_1h']))).toEqual({
          event_counts_1h: { click: 1 },
        });
      });

      it('forgets anonymous events past the TTL', async () => {
        const time = clock(T0);
        const store = make({ now: time.now, ttlSeconds: DAY });
        await store.apply([anonymous({ timestamp: T0, itemId: 'old' })]);
        time.set(T0 + DAY / 2);
        await store.apply([anonymous({ timestamp: T0 + DAY / 2, itemId: 'fresh' })]);
        time.set(T0 + DAY + 1);
        await store.apply([login({ timestamp: T0 + DAY + 1, itemId: 'now' })]);
        expect(features(await store.readUser('u7', ['recent_items', 'session_length']))).toEqual({
          recent_items: ['now', 'fresh'],
          session_length: 2,
        });
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
