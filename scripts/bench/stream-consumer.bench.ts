/**
 * `npm run bench -- stream-consumer`: the cloud consumer's cost per Kinesis batch of 100 records (the event
 * source mapping's batch size; 20 users, 50 items, three event types, every record a fresh event), measured
 * twice on the deployed handler (lambdas/stream-consumer/handler.ts) with the DynamoDB feature store and the
 * Personalize recommender:
 * - with mocked clients (`send` answers at once): the handler's and the store's own work (decoding and
 *   validating records, grouping PutEvents calls, building each event's transaction and updates);
 * - with the real SDK clients over an HTTP handler that answers 200 at once: adds the SDK's marshalling,
 *   serialization, middleware and signing, about 3 requests per event (for information).
 * Neither includes DynamoDB's or Personalize's latency.
 *
 * Target: the handler's own work at most 10 ms of CPU per batch (0.1 ms per record). Judged on CPU time (the
 * machine is shared); wall time printed beside.
 */
import os from 'node:os';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KinesisStreamEvent } from 'aws-lambda';
import { createStreamConsumerHandler } from '../../lambdas/stream-consumer/handler.ts';
import { seededRandom } from '../../src/core/seeded-random.ts';
import type { EventLogRecord } from '../../src/event-log/schema.ts';
import { DynamoDbFeatureStore } from '../../src/features/dynamodb-feature-store.ts';
import { PersonalizeRecommender } from '../../src/personalize/personalize-recommender.ts';

const BATCH = 100;
const BATCHES = 300;
const WARMUP = 30;
const TARGET_CPU_MS_PER_BATCH = 10;
const NOW = 1_796_083_200;

process.env.POWERTOOLS_METRICS_DISABLED = 'true';
let requests = 0;
/** Every AWS request answered at once: 200 with an empty JSON object. */
const instant = {
  handle: async () => {
    requests++;
    return { response: { statusCode: 200, headers: {}, body: Buffer.from('{}') } };
  },
};
const aws = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  requestHandler: instant as never,
};

const random = seededRandom(5);
const types = ['view', 'click', 'purchase'];
let next = 0;
function batch(): KinesisStreamEvent {
  return {
    Records: Array.from({ length: BATCH }, () => {
      const id = next++;
      const user = Math.floor(random() * 20);
      const record: EventLogRecord = {
        schemaVersion: 1,
        eventId: `evt-${id}`,
        eventType: types[id % types.length]!,
        userId: `u${user}`,
        sessionId: `s${user}`,
        itemId: `i${Math.floor(random() * 50)}`,
        value: null,
        timestamp: NOW - 60 + (id % 60),
        context: { DEVICE: 'mobile' },
        receivedAt: NOW,
      };
      return {
        kinesis: {
          data: Buffer.from(JSON.stringify(record)).toString('base64'),
          sequenceNumber: String(id).padStart(21, '0'),
          partitionKey: record.userId!,
          kinesisSchemaVersion: '1.0',
          approximateArrivalTimestamp: NOW,
        },
        eventSource: 'aws:kinesis',
        eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/personalize-events-dev',
        eventID: `shardId-000000000000:${id}`,
        eventName: 'aws:kinesis:record',
        eventVersion: '1.0',
        invokeIdentityArn: 'arn:aws:iam::123456789012:role/consumer',
        awsRegion: 'us-east-1',
      };
    }),
  } as KinesisStreamEvent;
}

/** The handler over the real feature store and Personalize client, sending through `documents` and `events`. */
function consumer(documents: DynamoDBDocumentClient, events: PersonalizeEventsClient) {
  return createStreamConsumerHandler({
    featureStore: new DynamoDbFeatureStore({
      tableName: 'personalize-features-dev',
      client: documents,
      now: () => NOW * 1000,
    }),
    recommender: new PersonalizeRecommender({
      campaigns: {},
      trackingId: 'bench-tracker',
      filters: {},
      timeoutMs: 1000,
      maxAttempts: 1,
      eventsClient: events,
      runtimeClient: {} as never,
    }),
    logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
    metrics: new Metrics({ serviceName: 'bench', namespace: 'Bench' }),
  });
}

interface Measured {
  readonly cpu: number[];
  readonly wall: number[];
  readonly requests: number;
}

async function measure(handler: ReturnType<typeof consumer>): Promise<Measured> {
  for (let i = 0; i < WARMUP; i++) await handler(batch());
  const batches = Array.from({ length: BATCHES }, batch);
  requests = 0;
  const cpu: number[] = [];
  const wall: number[] = [];
  for (const event of batches) {
    const c = process.cpuUsage();
    const t = performance.now();
    const reply = await handler(event);
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    if (reply.batchItemFailures.length > 0)
      throw new Error(`failures: ${JSON.stringify(reply.batchItemFailures)}`);
  }
  return { cpu, wall, requests };
}

// Mocked clients: `send` answers at once, so only the handler's and the store's own work is timed.
const mocked = {
  send: async () => {
    requests++;
    return {};
  },
};
const own = await measure(consumer(mocked as never, mocked as never));
// The real SDK clients over an instant HTTP answer: adds serialization, middleware and signing.
const sdk = await measure(
  consumer(
    DynamoDBDocumentClient.from(new DynamoDBClient(aws), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    new PersonalizeEventsClient(aws),
  ),
);

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const ms = (n: number) => `${n.toFixed(2)} ms`;
const line = (name: string, m: Measured) =>
  `${name}: CPU per batch of ${BATCH} mean ${ms(mean(m.cpu))} = ${(mean(m.cpu) / BATCH).toFixed(3)} ms per record, p50 ${ms(percentile(m.cpu, 50))}, p99 ${ms(percentile(m.cpu, 99))}; wall mean ${ms(mean(m.wall))}, p99 ${ms(percentile(m.wall, 99))}; ${(m.requests / BATCHES).toFixed(1)} requests per batch`;
console.log(line(`handler, mocked clients (target mean ≤ ${TARGET_CPU_MS_PER_BATCH} ms)`, own));
console.log(line('handler + AWS SDK over instant HTTP (for information)', sdk));
console.log(`load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`);
const ok = mean(own.cpu) <= TARGET_CPU_MS_PER_BATCH;
console.log(ok ? 'PASS' : 'FAIL');
process.exitCode = ok ? 0 : 1;
