import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PersonalizeEventsClient, PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KinesisStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStreamConsumerHandler } from '../../lambdas/stream-consumer/handler.ts';
import type { EventLogRecord } from '../../src/event-log/schema.ts';
import { DynamoDbFeatureStore } from '../../src/features/dynamodb-feature-store.ts';
import { PersonalizeRecommender } from '../../src/personalize/personalize-recommender.ts';
import { fakeTable } from '../features/fake-dynamodb-table.ts';
import { event, T0 } from '../features/fixtures.ts';
import { recordingTelemetry } from '../serving/telemetry.ts';

const documents = mockClient(DynamoDBDocumentClient);
const personalize = mockClient(PersonalizeEventsClient);
beforeEach(() => {
  documents.reset();
  personalize.reset();
  fakeTable(documents);
});

function kinesis(entries: readonly (EventLogRecord | string)[]): KinesisStreamEvent {
  return {
    Records: entries.map((entry, i) => ({
      kinesis: {
        data: Buffer.from(typeof entry === 'string' ? entry : JSON.stringify(entry)).toString('base64'),
        sequenceNumber: `seq-${i}`,
        partitionKey: 'u1',
        kinesisSchemaVersion: '1.0',
        approximateArrivalTimestamp: T0,
      },
      eventSource: 'aws:kinesis',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/events',
      eventID: `shardId-0:seq-${i}`,
      eventName: 'aws:kinesis:record',
      eventVersion: '1.0',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/consumer',
      awsRegion: 'us-east-1',
    })),
  } as KinesisStreamEvent;
}

function setup() {
  const telemetry = recordingTelemetry();
  const featureStore = new DynamoDbFeatureStore({
    tableName: 'features',
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    now: () => (T0 + 60) * 1000,
    sleep: async () => {},
  });
  const recommender = new PersonalizeRecommender({
    trackingId: 'tracking-1',
    campaigns: {},
    maxAttempts: 3,
    runtimeClient: {} as never,
    eventsClient: new PersonalizeEventsClient({ region: 'us-east-1' }),
  });
  const handler = createStreamConsumerHandler({
    featureStore,
    recommender,
    logger: telemetry.logger,
    metrics: telemetry.metrics,
  });
  return { handler, featureStore };
}

const clicks = (n: number, itemId = 'i1') =>
  Array.from({ length: n }, (_, i) => event({ timestamp: T0 + i, itemId, eventType: 'click' }));
const sentEvents = () =>
  personalize
    .commandCalls(PutEventsCommand)
    .reduce((sum, call) => sum + (call.args[0].input.eventList?.length ?? 0), 0);

describe('Lambda: stream consumer (Kinesis → feature store, PutEvents)', () => {
  it('a redelivered batch is neither counted nor sent twice', async () => {
    // Prepare
    personalize.on(PutEventsCommand).resolves({});
    const { handler, featureStore } = setup();
    const batch = kinesis(clicks(12));

    // Act
    const first = await handler(batch);
    const again = await handler(batch);

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    expect(await featureStore.readItem('i1', ['event_counts_1h'])).toEqual({
      id: 'i1',
      status: 'FOUND',
      features: { event_counts_1h: { click: 12 } },
    });
    expect(personalize.commandCalls(PutEventsCommand)).toHaveLength(2); // 10 + 2, once
    expect(sentEvents()).toBe(12);
  });

  it('a poison record is reported as a batch item failure; the rest of its batch is stored and sent', async () => {
    personalize.on(PutEventsCommand).resolves({});
    const { handler, featureStore } = setup();
    const [a, b] = clicks(2, 'i2');
    const reply = await handler(kinesis([a!, 'not json {', { ...b!, eventType: '' } as EventLogRecord]));
    expect(reply.batchItemFailures).toEqual([{ itemIdentifier: 'seq-1' }, { itemIdentifier: 'seq-2' }]);
    expect(await featureStore.readItem('i2', ['event_counts_1h'])).toMatchObject({
      features: { event_counts_1h: { click: 1 } },
    });
    expect(sentEvents()).toBe(1);
  });

  it('PutEvents throttling is retried, then its records are reported (nothing lost) and sent on redelivery', async () => {
    // Prepare: throttled on every attempt of the first delivery.
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
      $fault: 'client',
    });
    personalize.on(PutEventsCommand).rejects(throttled);
    const { handler, featureStore } = setup();
    const batch = kinesis(clicks(3, 'i3'));

    // Act
    const first = await handler(batch);
    const attempts = personalize.commandCalls(PutEventsCommand).length;
    personalize.reset();
    personalize.on(PutEventsCommand).resolves({});
    const retried = await handler(batch);

    // Assess
    expect(first.batchItemFailures).toEqual([
      { itemIdentifier: 'seq-0' },
      { itemIdentifier: 'seq-1' },
      { itemIdentifier: 'seq-2' },
    ]);
    expect(attempts).toBe(3); // one call, maxAttempts 3
    expect(retried.batchItemFailures).toEqual([]);
    expect(sentEvents()).toBe(3);
    expect(await featureStore.readItem('i3', ['event_counts_1h'])).toMatchObject({
      features: { event_counts_1h: { click: 3 } },
    });
  });
});
