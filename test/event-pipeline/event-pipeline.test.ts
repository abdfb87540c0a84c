import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInputError, ThrottledError, UnavailableError } from '../../src/errors.ts';
import { EventLogWriter, readEventLog } from '../../src/event-log/index.ts';
import type { EventLogRecord } from '../../src/event-log/schema.ts';
import {
  createLocalEventPipeline,
  type EventConsumer,
  EventPipeline,
  eventLogConsumer,
  featureStoreConsumer,
  putEventsCalls,
  recommenderConsumer,
} from '../../src/event-pipeline/index.ts';
import { MemoryFeatureStore } from '../../src/features/memory-feature-store.ts';
import type { PutEventsRequest } from '../../src/recommender/types.ts';
import { event, T0 } from '../features/fixtures.ts';

const root = mkdtempSync(join(tmpdir(), 'event-pipeline-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const noWait = { sleep: async () => {}, random: () => 0.5 };
const now = () => T0 * 1000;

/** A consumer that records what it got, optionally failing on some calls. */
function recorder(
  name: string,
  fail?: (batch: readonly EventLogRecord[], call: number) => Error | undefined,
) {
  const batches: string[][] = [];
  let calls = 0;
  const consumer: EventConsumer = {
    name,
    async consume(batch) {
      const error = fail?.(batch, ++calls);
      if (error) throw error;
      batches.push(batch.map((r) => r.eventId));
    },
  };
  return { consumer, batches, calls: () => calls };
}

/** A PutEvents target recording each call's event ids. */
function putEventsSpy(failOnCall?: number) {
  const calls: PutEventsRequest[] = [];
  let n = 0;
  return {
    calls,
    async putEvents(request: PutEventsRequest) {
      if (++n === failOnCall) throw new UnavailableError('personalize is down');
      calls.push(request);
    },
  };
}

const events = (n: number, fields: Partial<EventLogRecord> = {}) =>
  Array.from({ length: n }, (_, i) => event({ timestamp: T0 - n + i, itemId: `i${i % 7}`, ...fields }));

describe('Class: EventPipeline', () => {
  it('fans every event out to every consumer in order, in batches of at most batchSize', async () => {
    const a = recorder('a');
    const b = recorder('b');
    const pipeline = new EventPipeline({ consumers: [a.consumer, b.consumer], batchSize: 4, ...noWait });
    const first = events(3);
    const second = events(6);
    pipeline.offer(first);
    pipeline.offer(second);
    pipeline.start();
    await pipeline.stop();
    const ids = [...first, ...second].map((r) => r.eventId);
    expect(a.batches).toEqual([ids.slice(0, 4), ids.slice(4, 8), ids.slice(8)]);
    expect(b.batches).toEqual(a.batches);
    expect(pipeline.stats).toEqual({ published: 9, delivered: 9, deadLettered: 0, pending: 0 });
  });

  it('redelivered events are neither counted twice nor sent twice nor logged twice', async () => {
    // Prepare
    const store = new MemoryFeatureStore({ now });
    const personalize = putEventsSpy();
    const dir = join(root, 'redelivery');
    const writer = new EventLogWriter({ dir });
    const pipeline = new EventPipeline({
      consumers: [featureStoreConsumer(store), recommenderConsumer(personalize), eventLogConsumer(writer)],
      ...noWait,
    });
    pipeline.start();
    const batch = events(25, { userId: 'u1', itemId: 'hot' });
    // Act: the same batch three times, as at-least-once upstreams (or a resending client) deliver it.
    await pipeline.publish(batch);
    await pipeline.publish(batch);
    await pipeline.publish(batch.slice(5, 10));
    await pipeline.stop();
    await writer.close();
    // Assess
    const item = await store.readItem('hot', ['event_counts_1h']);
    expect(item.status === 'FOUND' && item.features.event_counts_1h).toEqual({ click: 25 });
    expect(personalize.calls.flatMap((c) => c.eventList.map((e) => e.eventId)).sort()).toEqual(
      batch.map((r) => r.eventId).sort(),
    );
    const logged: string[] = [];
    for await (const line of readEventLog({ dir, from: 0, to: T0 + 1 })) {
      if ('record' in line) logged.push(line.record.eventId);
    }
    expect(logged.sort()).toEqual(batch.map((r) => r.eventId).sort());
  });

  it('retries a batch after a transient failure without resending the calls that succeeded', async () => {
    const store = new MemoryFeatureStore({ now });
    const personalize = putEventsSpy(2);
    const pipeline = new EventPipeline({
      consumers: [featureStoreConsumer(store), recommenderConsumer(personalize)],
      ...noWait,
    });
    const batch = events(30, { userId: 'u1', itemId: 'i' });
    pipeline.offer(batch);
    await pipeline.stop();
    expect(personalize.calls.map((c) => c.eventList.length)).toEqual([10, 10, 10]);
    expect(new Set(personalize.calls.flatMap((c) => c.eventList.map((e) => e.eventId))).size).toBe(30);
    const user = await store.readUser('u1', ['event_counts_1h']);
    expect(user.status === 'FOUND' && user.features.event_counts_1h).toEqual({ click: 30 });
    expect(pipeline.deadLetters).toEqual([]);
  });

  it('isolates a poison event in the dead letters and stores the rest of its batch', async () => {
    // Prepare
    const batch = events(16);
    const poison = batch[11]!;
    const picky = recorder('picky', (b) =>
      b.some((r) => r.eventId === poison.eventId)
        ? new InvalidInputError('eventType: not accepted')
        : undefined,
    );
    const other = recorder('other');
    const seen: string[] = [];
    const pipeline = new EventPipeline({
      consumers: [picky.consumer, other.consumer],
      onDeadLetter: (letter) => seen.push(letter.record.eventId),
      now,
      ...noWait,
    });
    // Act
    pipeline.offer(batch);
    await pipeline.stop();
    // Assess
    expect(pipeline.deadLetters).toEqual([
      {
        consumer: 'picky',
        record: poison,
        error: { name: 'InvalidInputError', message: 'eventType: not accepted' },
        failedAt: T0 * 1000,
      },
    ]);
    expect(seen).toEqual([poison.eventId]);
    expect(picky.batches.flat()).toEqual(batch.filter((r) => r !== poison).map((r) => r.eventId));
    expect(other.batches.flat()).toEqual(batch.map((r) => r.eventId));
    // Bisection: log2(16) levels, two calls each, plus the first.
    expect(picky.calls()).toBeLessThanOrEqual(1 + 2 * 4);
    expect(pipeline.stats.deadLettered).toBe(1);
  });

  it('dead-letters a batch whose consumer stays down, after retrying it', async () => {
    const down = recorder('down', () => new UnavailableError('disk gone'));
    const pipeline = new EventPipeline({
      consumers: [down.consumer],
      maxAttempts: 2,
      onDeadLetter: () => {
        throw new Error('observer broken');
      },
      ...noWait,
    });
    pipeline.offer(events(2));
    await pipeline.stop();
    expect(pipeline.deadLetters.map((l) => l.error.message)).toEqual(['disk gone', 'disk gone']);
    // 2 attempts on the batch, then 2 on each half.
    expect(down.calls()).toBe(6);
  });

  it('refuses offers beyond its capacity and makes publishers wait for room', async () => {
    const slow = recorder('slow');
    const pipeline = new EventPipeline({ consumers: [slow.consumer], capacity: 5, batchSize: 5, ...noWait });
    pipeline.offer(events(4));
    expect(() => pipeline.offer(events(2))).toThrow(ThrottledError);
    const waiting = pipeline.publish(events(3));
    expect(pipeline.stats.pending).toBe(4);
    pipeline.start();
    await waiting;
    await pipeline.stop();
    expect(slow.batches.map((b) => b.length)).toEqual([4, 3]);
  });

  it('publishAndWait resolves only once every consumer has the events', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const got: string[] = [];
    const slow: EventConsumer = {
      name: 'slow',
      async consume(batch) {
        await gate;
        got.push(...batch.map((r) => r.eventId));
      },
    };
    const pipeline = new EventPipeline({ consumers: [slow], batchSize: 2, ...noWait });
    pipeline.start();
    const batch = events(5);
    let done = false;
    const waiting = pipeline.publishAndWait(batch).then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toBe(false);
    release();
    await waiting;
    expect(got).toEqual(batch.map((r) => r.eventId));
    await pipeline.stop();
  });

  it('fails on a non-positive size', () => {
    expect(() => new EventPipeline({ consumers: [], batchSize: 0 })).toThrow(
      /batchSize must be a positive integer/,
    );
  });
});

describe('Function: putEventsCalls', () => {
  it('groups by session and user into calls of 10, properties back in camelCase', () => {
    const records = [
      ...events(12, { sessionId: 's1', userId: 'u1' }),
      event({
        timestamp: T0,
        sessionId: 's2',
        userId: null,
        itemId: null,
        value: 3,
        context: { IS_GIFT: 'true' },
      }),
    ];
    const calls = putEventsCalls(records);
    expect(calls.map((c) => [c.sessionId, c.userId, c.eventList.length])).toEqual([
      ['s1', 'u1', 10],
      ['s1', 'u1', 2],
      ['s2', undefined, 1],
    ]);
    expect(calls[2]!.eventList[0]).toEqual({
      eventId: records[12]!.eventId,
      eventType: 'click',
      eventValue: 3,
      properties: { isGift: 'true' },
      sentAt: new Date(T0 * 1000),
    });
  });
});

describe('Function: createLocalEventPipeline', () => {
  it('serves as the events handler’s PutEvents target: the engine has the events when it resolves', async () => {
    const store = new MemoryFeatureStore({ now });
    const engine = putEventsSpy();
    const local = createLocalEventPipeline({ featureStore: store, recommender: engine, ...noWait });
    await local.putEvents({
      sessionId: 's1',
      userId: 'u1',
      eventList: [{ eventId: 'given', eventType: 'click', itemId: 'i1', sentAt: new Date(T0 * 1000) }],
    });
    expect(engine.calls.map((c) => c.eventList.map((e) => e.eventId))).toEqual([['given']]);
    expect((await store.readItem('i1', ['last_interaction'])).status).toBe('FOUND');
    await local.pipeline.stop();
  });

  it('takes a POST /events batch to the feature store, the engine and the event log', async () => {
    const store = new MemoryFeatureStore({ now });
    const engine = putEventsSpy();
    const dir = join(root, 'local');
    const writer = new EventLogWriter({ dir });
    const local = createLocalEventPipeline({
      featureStore: store,
      recommender: engine,
      eventLog: writer,
      ...noWait,
    });
    const records = local.ingest(
      {
        sessionId: 's9',
        userId: 'u9',
        events: [
          { eventType: 'purchase', itemId: 'i3', sentAt: new Date(T0 * 1000), properties: { device: 'tv' } },
        ],
      },
      new Date(T0 * 1000),
    );
    await local.pipeline.stop();
    await writer.close();
    expect(engine.calls).toEqual([
      {
        sessionId: 's9',
        userId: 'u9',
        eventList: [
          {
            eventId: records[0]!.eventId,
            eventType: 'purchase',
            itemId: 'i3',
            properties: { device: 'tv' },
            sentAt: new Date(T0 * 1000),
          },
        ],
      },
    ]);
    expect(await store.readUser('u9', ['recent_items'])).toEqual({
      id: 'u9',
      status: 'FOUND',
      features: { recent_items: ['i3'] },
    });
    const logged = [];
    for await (const line of readEventLog({ dir, from: 0, to: T0 + 1 })) logged.push(line);
    expect(logged).toEqual([{ record: records[0] }]);
  });
});
