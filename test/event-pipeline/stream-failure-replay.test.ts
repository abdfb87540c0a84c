import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
} from '@aws-sdk/client-kinesis';
import { PersonalizeEventsClient, PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStreamConsumerHandler } from '../../lambdas/stream-consumer/handler.ts';
import { replayThroughConsumer } from '../../lambdas/stream-consumer/replay.ts';
import { InvalidInputError, ResourceNotFoundError } from '../../src/errors.ts';
import { replayStreamFailures } from '../../src/event-pipeline/stream-failure-replay.ts';
import { DynamoDbFeatureStore } from '../../src/features/dynamodb-feature-store.ts';
import { PersonalizeRecommender } from '../../src/personalize/personalize-recommender.ts';
import { fakeTable } from '../features/fake-dynamodb-table.ts';
import { event, T0 } from '../features/fixtures.ts';
import { recordingTelemetry } from '../serving/telemetry.ts';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/consumer-failures';
const STREAM_ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/personalize-events-dev';
const SHARD = 'shardId-000000000003';
/** Real sequence numbers are up to 128-bit decimals: the replay must compare them as integers. */
const BASE = 49601189658422359378836298521827638475320189012309704722n;
const seqOf = (i: number) => String(BASE + BigInt(i) * 1_000_000_000_000n);

const sqs = mockClient(SQSClient);
const kinesis = mockClient(KinesisClient);
const documents = mockClient(DynamoDBDocumentClient);
const personalize = mockClient(PersonalizeEventsClient);

/** Six events in the shard, 0..5; the failed batch is 1..4. */
const events = Array.from({ length: 6 }, (_, i) =>
  event({ eventId: `e${i}`, timestamp: T0 + i, userId: 'u1', itemId: `i${i}`, eventType: 'purchase' }),
);
const shardRecord = (i: number): _Record => ({
  SequenceNumber: seqOf(i),
  PartitionKey: 'u1',
  Data: Buffer.from(JSON.stringify(events[i])),
  ApproximateArrivalTimestamp: new Date((T0 + i) * 1000),
});
const failureMessage = (body: unknown = {}) => ({
  MessageId: 'm1',
  ReceiptHandle: 'r1',
  Body: JSON.stringify({
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 6 },
    version: '1.0',
    KinesisBatchInfo: {
      shardId: SHARD,
      startSequenceNumber: seqOf(1),
      endSequenceNumber: seqOf(4),
      batchSize: 4,
      streamArn: STREAM_ARN,
    },
    ...(body as object),
  }),
});

/** The shard read from `first` on, in pages of two records, the last page caught up with the shard. */
function shardFrom(first: number) {
  const pages = [[first, first + 1], [first + 2, first + 3], [first + 4]].map((page) =>
    page.filter((i) => i < 6).map(shardRecord),
  );
  kinesis.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-0' });
  kinesis.on(GetRecordsCommand).callsFake((input: { ShardIterator: string }) => {
    const n = Number(input.ShardIterator.slice(3));
    return {
      Records: pages[n] ?? [],
      NextShardIterator: `it-${n + 1}`,
      MillisBehindLatest: n + 1 >= pages.length ? 0 : 1000,
    };
  });
}

function setup() {
  const telemetry = recordingTelemetry();
  const featureStore = new DynamoDbFeatureStore({
    tableName: 'personalize-features-dev',
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    now: () => (T0 + 60) * 1000,
    sleep: async () => {},
  });
  const handler = createStreamConsumerHandler({
    featureStore,
    recommender: new PersonalizeRecommender({
      trackingId: 'tracking-1',
      campaigns: {},
      maxAttempts: 2,
      runtimeClient: {} as never,
      eventsClient: new PersonalizeEventsClient({ region: 'us-east-1' }),
    }),
    logger: telemetry.logger,
    metrics: telemetry.metrics,
  });
  const failures: { id: string; error: unknown }[] = [];
  const replay = () =>
    replayStreamFailures({
      sqs: new SQSClient({ region: 'us-east-1' }),
      queueUrl: QUEUE,
      kinesis: new KinesisClient({ region: 'us-east-1' }),
      applied: (ids) => featureStore.appliedEventIds(ids),
      ...replayThroughConsumer(handler),
      onFailure: (id, error) => failures.push({ id, error }),
    });
  return { replay, featureStore, failures };
}

const sentIds = () =>
  personalize.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.eventList?.map((e) => e.eventId));
const deleted = () => sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle);

beforeEach(() => {
  for (const client of [sqs, kinesis, documents, personalize]) client.reset();
  fakeTable(documents);
  personalize.on(PutEventsCommand).resolves({});
});

describe('Function: replayStreamFailures (the consumer on-failure queue)', () => {
  it('reads the range back, skips applied event ids, runs the rest through the consumer, then deletes the message', async () => {
    // Prepare: e1 was applied before the batch failed.
    shardFrom(1);
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [failureMessage()] })
      .resolves({});
    const { replay, featureStore } = setup();
    await featureStore.apply([events[1]!]);

    // Act
    const result = await replay();

    // Assess
    expect(result).toEqual({ replayed: 1, records: 3, skipped: 1, failed: 0 });
    expect(kinesis.commandCalls(GetShardIteratorCommand)[0]?.args[0].input).toMatchObject({
      StreamARN: STREAM_ARN,
      ShardId: SHARD,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: seqOf(1),
    });
    expect(sentIds()).toEqual(['e2', 'e3', 'e4']);
    expect([...(await featureStore.appliedEventIds(events.map((e) => e.eventId)))].sort()).toEqual([
      'e1',
      'e2',
      'e3',
      'e4',
    ]);
    expect(deleted()).toEqual(['r1']);
  });

  it('is idempotent: the same message replayed again applies and sends nothing more', async () => {
    shardFrom(1);
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [failureMessage()] })
      .resolvesOnce({ Messages: [failureMessage()] })
      .resolves({});
    const { replay } = setup();

    const result = await replay();

    expect(result).toEqual({ replayed: 2, records: 4, skipped: 4, failed: 0 });
    expect(sentIds()).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  it('keeps the message when records fail again (PutEvents throttled), saying how many', async () => {
    shardFrom(1);
    personalize.reset();
    personalize
      .on(PutEventsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' }));
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [failureMessage()] })
      .resolves({});
    const { replay, featureStore, failures } = setup();

    const result = await replay();

    expect(result).toMatchObject({ replayed: 0, failed: 1 });
    expect(deleted()).toEqual([]);
    expect((failures[0]!.error as Error).message).toMatch(/^4 of 4 record\(s\) failed again/);
    // Not applied either: the next replay sends them.
    expect((await featureStore.appliedEventIds(['e1', 'e2'])).size).toBe(0);
  });

  it('keeps the message and points to the event log when the range is past the stream retention', async () => {
    shardFrom(3); // records 1 and 2 were trimmed
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [failureMessage()] })
      .resolves({});
    const { replay, failures } = setup();

    const result = await replay();

    expect(result).toMatchObject({ replayed: 0, failed: 1 });
    expect(failures[0]?.error).toBeInstanceOf(ResourceNotFoundError);
    expect((failures[0]!.error as Error).message).toContain('event log');
    expect(sentIds()).toEqual([]);
    expect(deleted()).toEqual([]);
  });

  it('keeps a message that is not a Kinesis on-failure record, naming what is missing', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [failureMessage({ KinesisBatchInfo: { shardId: SHARD } })] })
      .resolves({});
    const { replay, failures } = setup();

    const result = await replay();

    expect(result).toMatchObject({ failed: 1 });
    expect(failures[0]?.error).toBeInstanceOf(InvalidInputError);
    expect((failures[0]!.error as InvalidInputError).issues[0]?.field).toBe(
      'KinesisBatchInfo.startSequenceNumber',
    );
  });
});
