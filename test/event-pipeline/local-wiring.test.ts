import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventsHandler } from '../../lambdas/events/handler.ts';
import { createRecommendHandler } from '../../lambdas/recommend/handler.ts';
import { seededRandom } from '../../src/core/seeded-random.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { EventLogWriter, eventLogToInteractions } from '../../src/event-log/index.ts';
import { createLocalEventPipeline } from '../../src/event-pipeline/index.ts';
import { livePopularity } from '../../src/features/live-popularity.ts';
import { MemoryFeatureStore } from '../../src/features/memory-feature-store.ts';
import { readUserFeatures, validateUserFeaturesRequest } from '../../src/features/read-api.ts';
import { type LocalRecommender, trainLocalRecommender } from '../../src/local/index.ts';
import { MemoryOnlineStore } from '../../src/serving/memory-online-store.ts';
import { apiEvent, bodyOf } from '../lambdas/events.ts';
import { recordingTelemetry } from '../serving/telemetry.ts';

const dir = mkdtempSync(join(tmpdir(), 'local-wiring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let engine: LocalRecommender;
beforeAll(async () => {
  const { files } = await generateDataset({
    outDir: dir,
    interactions: 20_000,
    users: 1000,
    items: 400,
    seed: 5,
  });
  engine = await trainLocalRecommender(files, { training: { tune: false } });
}, 60_000);

describe('Wiring: the real-time pipeline behind the local API', () => {
  it('POST /events feeds the engine, the feature store and the event log; GET /popular sees the burst', async () => {
    // Prepare: the wiring the local API does (lambdas/local/api.ts).
    const telemetry = recordingTelemetry();
    const featureStore = new MemoryFeatureStore({ categoryOf: (itemId) => engine.categoryOf(itemId) });
    const eventLog = new EventLogWriter({ dir: join(dir, 'event-log') });
    const pipeline = createLocalEventPipeline({ featureStore, recommender: engine, eventLog });
    engine.setLivePopularity({ source: livePopularity(featureStore, { cacheMs: 0 }) });
    const events = createEventsHandler({
      recommender: pipeline,
      deadLetters: { send: async () => {} },
      onlineStore: new MemoryOnlineStore(),
      random: seededRandom(1),
      logger: telemetry.logger,
      metrics: telemetry.metrics,
    });
    const recommend = createRecommendHandler({
      recommender: engine,
      popular: engine,
      features: featureStore,
      ...telemetry,
    });
    const popular = async () =>
      (bodyOf(await recommend(apiEvent('GET', '/popular?numResults=10'))).items as { itemId: string }[]).map(
        (i) => i.itemId,
      );
    const hundredth = (await engine.getPopular({ numResults: 100 })).items[99]!.itemId;
    expect(await popular()).not.toContain(hundredth);
    const nowSeconds = Math.floor(Date.now() / 1000);

    // Act: 5 users buy the item 100 times each.
    for (let u = 0; u < 5; u++) {
      const body = {
        sessionId: `live-s${u}`,
        userId: `live-u${u}`,
        events: Array.from({ length: 100 }, (_, i) => ({
          eventType: 'purchase',
          itemId: hundredth,
          sentAt: nowSeconds - i,
          properties: { device: 'mobile' },
        })),
      };
      const reply = await events(apiEvent('POST', '/events', body));
      expect(reply.statusCode).toBe(200);
    }

    // Assess
    expect(await popular()).toContain(hundredth);
    const features = await readUserFeatures(
      featureStore,
      validateUserFeaturesRequest({
        userId: 'live-u0',
        features: 'event_counts_1h,recent_items,category_counts_1h',
      }),
    );
    expect(features).toEqual({
      id: 'live-u0',
      status: 'FOUND',
      features: {
        event_counts_1h: { purchase: 100 },
        recent_items: Array.from({ length: 20 }, () => hundredth),
        category_counts_1h: { [engine.categoryOf(hundredth)!]: 100 },
      },
    });
    await pipeline.pipeline.stop();
    await eventLog.close();
    const report = await eventLogToInteractions({
      dir: join(dir, 'event-log'),
      from: nowSeconds - 3600,
      to: nowSeconds + 1,
      out: join(dir, 'retrain.csv'),
    });
    expect(report.written).toBe(500);
    expect(pipeline.pipeline.deadLetters).toEqual([]);
  });
});
