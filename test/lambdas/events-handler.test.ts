import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createEventsHandler } from '../../lambdas/events/handler.ts';
import { seededRandom } from '../../src/core/seeded-random.ts';
import { InvalidInputError, ThrottledError, UnavailableError } from '../../src/errors.ts';
import type { PutEventsRequest } from '../../src/recommender/types.ts';
import { type DeadLetterRecord, SqsDeadLetterQueue } from '../../src/serving/dead-letter.ts';
import { MemoryOnlineStore } from '../../src/serving/memory-online-store.ts';
import { recordingTelemetry } from '../serving/telemetry.ts';
import { apiEvent, bodyOf } from './events.ts';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/events-dlq';
const sqs = mockClient(SQSClient);

/** A PutEvents sink that fails the calls `failures` says, by call index (per chunk, counting retries). */
function sink(fail: (request: PutEventsRequest, attempt: number) => Error | undefined = () => undefined) {
  const calls: PutEventsRequest[] = [];
  const attempts = new Map<string, number>();
  return {
    calls,
    putEvents: async (request: PutEventsRequest) => {
      const key = request.eventList[0]?.eventId ?? '';
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      calls.push(request);
      const error = fail(request, attempt);
      if (error) throw error;
    },
  };
}

function events(count: number, start = 0) {
  return Array.from({ length: count }, (_, i) => ({
    eventType: 'click',
    itemId: `i${start + i}`,
    sentAt: 1_700_000_000 + start + i,
  }));
}

function setup(recommender: ReturnType<typeof sink>) {
  const telemetry = recordingTelemetry();
  const onlineStore = new MemoryOnlineStore({ now: () => 1_700_000_000_000 });
  const handler = createEventsHandler({
    recommender,
    deadLetters: new SqsDeadLetterQueue(new SQSClient({ region: 'us-east-1' }), QUEUE),
    onlineStore,
    random: seededRandom(5),
    sleep: async () => undefined,
    logger: telemetry.logger,
    metrics: telemetry.metrics,
  });
  return { handler, onlineStore, ...telemetry };
}

const deadLettered = () =>
  sqs
    .commandCalls(SendMessageCommand)
    .map((c) => JSON.parse(c.args[0].input.MessageBody ?? '') as DeadLetterRecord);

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
  vi.restoreAllMocks();
});

describe('Function: createEventsHandler', () => {
  it('splits a batch into PutEvents calls of at most 10 and answers 200 when all are stored', async () => {
    const recommender = sink();
    const { handler, onlineStore } = setup(recommender);
    const result = await handler(
      apiEvent('POST', '/events', { sessionId: 's1', userId: 'u1', events: events(25) }),
    );
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({ stored: 25, deadLettered: 0, lost: 0 });
    expect(recommender.calls.map((c) => c.eventList.length)).toEqual([10, 10, 5]);
    expect(recommender.calls.every((c) => c.sessionId === 's1' && c.userId === 'u1')).toBe(true);
    expect(recommender.calls[0]?.eventList[0]?.sentAt).toEqual(new Date(1_700_000_000_000));
    expect((await onlineStore.recent('u1', 100)).map((e) => e.itemId)).toHaveLength(25);
  });

  it('gives events without an id one derived from their content, the same on a resend', async () => {
    const first = sink();
    const second = sink();
    const body = { sessionId: 's1', events: events(2) };
    await setup(first).handler(apiEvent('POST', '/events', body));
    await setup(second).handler(apiEvent('POST', '/events', body));
    const ids = first.calls[0]?.eventList.map((e) => e.eventId);
    expect(ids?.[0]).toMatch(/^evt-[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(2);
    expect(second.calls[0]?.eventList.map((e) => e.eventId)).toEqual(ids);
  });

  it('reports events sent again (or twice in a batch) as duplicates, stored once', async () => {
    const recommender = sink();
    const { handler } = setup(recommender);
    const batch = { sessionId: 's1', userId: 'u1', events: [...events(3), ...events(1)] };

    const first = await handler(apiEvent('POST', '/events', batch));
    const again = await handler(apiEvent('POST', '/events', { ...batch, events: events(4) }));

    expect(first.statusCode).toBe(200);
    expect(bodyOf(first)).toMatchObject({ stored: 3, duplicates: 1, deadLettered: 0, lost: 0 });
    expect(again.statusCode).toBe(200);
    expect(bodyOf(again)).toMatchObject({ stored: 1, duplicates: 3, deadLettered: 0, lost: 0 });
    expect(recommender.calls.flatMap((c) => c.eventList.map((e) => e.itemId))).toEqual([
      'i0',
      'i1',
      'i2',
      'i3',
    ]);
  });

  it('stores again an event whose first attempt was dead-lettered', async () => {
    let failing = true;
    const recommender = sink(() => (failing ? new InvalidInputError('refused') : undefined));
    const { handler } = setup(recommender);
    const body = { sessionId: 's1', events: events(2) };

    const first = await handler(apiEvent('POST', '/events', body));
    failing = false;
    const again = await handler(apiEvent('POST', '/events', body));

    expect(bodyOf(first)).toMatchObject({ stored: 0, duplicates: 0, deadLettered: 2 });
    expect(bodyOf(again)).toMatchObject({ stored: 2, duplicates: 0, deadLettered: 0 });
  });

  it('retries transient failures and stores the events', async () => {
    const recommender = sink((_r, attempt) => (attempt < 3 ? new ThrottledError('slow down') : undefined));
    const { handler } = setup(recommender);
    const result = await handler(apiEvent('POST', '/events', { sessionId: 's1', events: events(12) }));
    expect(bodyOf(result)).toMatchObject({ stored: 12, deadLettered: 0, lost: 0 });
    expect(recommender.calls).toHaveLength(6);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('dead-letters what still fails, with the request, the error and the attempts, and answers 202', async () => {
    const recommender = sink((request) =>
      request.eventList[0]?.itemId === 'i10' ? new UnavailableError('Personalize is down') : undefined,
    );
    const { handler, recorded } = setup(recommender);
    const result = await handler(
      apiEvent('POST', '/events', { sessionId: 's1', userId: 'u1', events: events(25) }),
    );
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result)).toMatchObject({ stored: 15, deadLettered: 10, lost: 0 });
    const [record] = deadLettered();
    expect(record).toMatchObject({
      kind: 'PutEvents',
      attempts: 3,
      error: { name: 'UnavailableError', message: 'Personalize is down' },
      requestId: bodyOf(result).requestId,
      request: { sessionId: 's1', userId: 'u1' },
    });
    expect(record?.request.eventList).toHaveLength(10);
    expect(record?.request.eventList[0]).toMatchObject({ itemId: 'i10', sentAt: 1_700_000_010 });
    expect(recorded).toContainEqual({ name: 'EventsDeadLettered', value: 10, dimensions: {} });
  });

  it('dead-letters events the service refuses without retrying them', async () => {
    const recommender = sink(() => new InvalidInputError('unknown trackingId'));
    const { handler } = setup(recommender);
    const result = await handler(apiEvent('POST', '/events', { sessionId: 's1', events: events(3) }));
    expect(bodyOf(result)).toMatchObject({ stored: 0, deadLettered: 3, lost: 0 });
    expect(recommender.calls).toHaveLength(1);
    expect(deadLettered()[0]?.attempts).toBe(1);
  });

  it('answers 503 with the count at risk when the dead-letter queue fails too', async () => {
    sqs.reset();
    sqs.on(SendMessageCommand).rejects(new Error('SQS down'));
    const recommender = sink((request) =>
      request.eventList[0]?.itemId === 'i0' ? new UnavailableError('down') : undefined,
    );
    const { handler, errors } = setup(recommender);
    const result = await handler(apiEvent('POST', '/events', { sessionId: 's1', events: events(14) }));
    expect(result.statusCode).toBe(503);
    expect(bodyOf(result)).toMatchObject({ stored: 4, deadLettered: 0, lost: 10 });
    expect(bodyOf(result).message).toContain('resend');
    expect(errors).toHaveBeenCalledWith('events neither stored nor dead-lettered', expect.anything());
  });

  it.each([
    [{ sessionId: 's1', events: events(101) }, 'events', 'must hold 1 to 100 events'],
    [{ sessionId: 's1', events: [] }, 'events', 'must hold 1 to 100 events'],
    [{ events: events(1) }, 'sessionId', 'is required'],
    [
      { sessionId: 's1', events: [{ eventType: 'click', sentAt: 1_700_000_000_000 }] },
      'events.0.sentAt',
      'milliseconds',
    ],
    [{ sessionId: 's1', events: [{ sentAt: 1 }] }, 'events.0.eventType', 'is required'],
    [
      { sessionId: 's1', events: [{ eventType: 'c', sentAt: 1, properties: { userId: 'x' } }] },
      'events.0.properties',
      'reserved',
    ],
    [
      { sessionId: 's1', events: [{ eventType: 'c', sentAt: 1, impression: [] }] },
      'events.0.impression',
      '1 to 25',
    ],
    [{ sessionId: 's1', events: events(1), trackingId: 't' }, 'trackingId', 'is not a known field'],
  ])('refuses %j with 400 naming %s', async (body, field, message) => {
    const recommender = sink();
    const { handler } = setup(recommender);
    const result = await handler(apiEvent('POST', '/events', body));
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).issues).toContainEqual({ field, message: expect.stringContaining(message) });
    expect(recommender.calls).toHaveLength(0);
  });

  it('answers 405 for GET /events and 404 elsewhere', async () => {
    const { handler } = setup(sink());
    const get = await handler(apiEvent('GET', '/events'));
    expect(get.statusCode).toBe(405);
    expect(get.headers?.Allow).toBe('POST, OPTIONS');
    expect((await handler(apiEvent('POST', '/event'))).statusCode).toBe(404);
  });
});
