import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventsHandler } from '../../lambdas/events/handler.ts';
import { createRecommendHandler } from '../../lambdas/recommend/handler.ts';
import { livePopularRoutes, liveRefreshingEngine } from '../../lambdas/recommend/live-popular.ts';
import { createStreamConsumerHandler } from '../../lambdas/stream-consumer/handler.ts';
import { seededRandom } from '../../src/core/seeded-random.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { DynamoDbFeatureStore } from '../../src/features/dynamodb-feature-store.ts';
import { refreshingLivePopularity } from '../../src/features/live-popularity.ts';
import { loadDataset } from '../../src/local/data/load.ts';
import { LocalRecommender } from '../../src/local/index.ts';
import { trainHybrid } from '../../src/local/model/train.ts';
import { SqsDeadLetterQueue } from '../../src/serving/dead-letter.ts';
import { FallbackRecommender } from '../../src/serving/fallback-recommender.ts';
import { KinesisEventStream } from '../../src/serving/kinesis-event-stream.ts';
import { fakeTable } from '../features/fake-dynamodb-table.ts';
import { recordingTelemetry } from '../serving/telemetry.ts';
import { apiEvent, bodyOf } from './events.ts';
import { deliveredBatches } from './kinesis-events.ts';

const dir = mkdtempSync(join(tmpdir(), 'live-popularity-cloud-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** The generator's default end of the simulated period (2025-01-01). */
const NOW = 1_735_689_600;

const kinesis = mockClient(KinesisClient);
const sqs = mockClient(SQSClient);
const documents = mockClient(DynamoDBDocumentClient);

let engine: LocalRecommender;
let clock = NOW * 1000;
const put: PutRecordsRequestEntry[] = [];

beforeAll(async () => {
  const { files } = await generateDataset({
    outDir: dir,
    interactions: 20_000,
    users: 1000,
    items: 400,
    seed: 3,
  });
  engine = LocalRecommender.fromModel(trainHybrid(await loadDataset(files), { tune: false }));
}, 60_000);

/** The three Lambdas wired as the stacks wire them: events → stream → consumer → feature table ← recommend. */
function cloud() {
  kinesis.reset();
  sqs.reset();
  documents.reset();
  fakeTable(documents);
  kinesis.on(PutRecordsCommand).callsFake((input: { Records: PutRecordsRequestEntry[] }) => {
    put.push(...input.Records);
    return {
      FailedRecordCount: 0,
      Records: input.Records.map((_, i) => ({ SequenceNumber: `${put.length + i}`, ShardId: 's' })),
    };
  });
  const telemetry = recordingTelemetry();
  const featureStore = new DynamoDbFeatureStore({
    tableName: 'personalize-features-dev',
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    now: () => clock,
    sleep: async () => {},
  });
  const events = createEventsHandler({
    recommender: new KinesisEventStream({
      client: new KinesisClient({ region: 'us-east-1' }),
      streamName: 'personalize-events-dev',
      now: () => new Date(clock),
    }),
    deadLetters: new SqsDeadLetterQueue(new SQSClient({ region: 'us-east-1' }), 'https://sqs/dlq'),
    random: seededRandom(1),
    logger: telemetry.logger,
    metrics: telemetry.metrics,
  });
  const consumer = createStreamConsumerHandler({
    featureStore,
    logger: telemetry.logger,
    metrics: telemetry.metrics,
  });
  // The recommend Lambda's default: a ranking may be 5 s old.
  const live = refreshingLivePopularity(featureStore, { now: () => clock });
  engine.setLivePopularity({ source: live.source });
  const recommend = createRecommendHandler({
    // No campaign: the fallback chain answers from the local engine, as before a first training run.
    recommender: new FallbackRecommender({
      local: liveRefreshingEngine(async () => engine, live),
      logger: telemetry.logger,
      metrics: telemetry.metrics,
    }),
    popular: livePopularRoutes(async () => engine, live),
    features: featureStore,
    logger: telemetry.logger,
    metrics: telemetry.metrics,
  });
  return { events, consumer, recommend };
}

describe('Done when (cloud wiring): POST /events → Kinesis → consumer → DynamoDB feature table → GET /popular', () => {
  it('500 fresh purchases of the item ranked 100th put it in the top 10 (and in cold-start answers)', async () => {
    // Prepare
    engine.setLivePopularity(undefined);
    const hundredth = (await engine.getPopular({ numResults: 100 })).items[99]!.itemId;
    const wired = cloud();
    const topTen = async () =>
      (
        bodyOf(await wired.recommend(apiEvent('GET', '/popular?numResults=10'))).items as { itemId: string }[]
      ).map((i) => i.itemId);
    expect(await topTen()).not.toContain(hundredth);

    // Act: five sessions of 100 purchases (the most one request may carry), then the stream delivers them.
    for (let u = 0; u < 5; u++) {
      const reply = await wired.events(
        apiEvent('POST', '/events', {
          sessionId: `burst-s${u}`,
          userId: `burst-u${u}`,
          events: Array.from({ length: 100 }, (_, i) => ({
            eventType: 'purchase',
            itemId: hundredth,
            sentAt: NOW - i,
          })),
        }),
      );
      expect(reply.statusCode).toBe(200);
    }
    expect(await topTen()).not.toContain(hundredth);
    for (const batch of deliveredBatches(put))
      expect((await wired.consumer(batch)).batchItemFailures).toEqual([]);
    // Within the 5 s a ranking may be reused, the next GET /popular after it sees the burst.
    clock += 5000;

    // Assess
    const after = await topTen();
    expect(after).toContain(hundredth);
    expect(new Set(after).size).toBe(10);
    const item = bodyOf(
      await wired.recommend(apiEvent('GET', `/items/${hundredth}/features?features=event_counts_1h`)),
    );
    expect(item.features).toEqual({ event_counts_1h: { purchase: 500 } });
    // A user without history gets the same live activity in the cold-start answer.
    const coldStart = bodyOf(
      await wired.recommend(apiEvent('GET', '/recommendations?userId=newcomer&numResults=10')),
    );
    expect((coldStart.items as { itemId: string }[]).map((i) => i.itemId)).toContain(hundredth);
    expect(put).toHaveLength(500);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  }, 60_000);
});
