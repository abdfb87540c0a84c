import { trainLocalRecommender } from '../../src/local/index.ts';
import { FallbackRecommender } from '../../src/serving/fallback-recommender.ts';
import { describeRecommenderContract } from '../contract/recommender.contract.ts';
import { personalizeOver } from '../personalize/personalize-over-local.ts';
import { recordingTelemetry } from './telemetry.ts';

// Personalize throttles every read, so the local model answers; writes reach it through Personalize's path.
describeRecommenderContract('FallbackRecommender (Personalize throttled → local model)', async (fixture) => {
  const engine = await trainLocalRecommender(fixture.files, { filters: fixture.filters });
  return new FallbackRecommender({
    primary: personalizeOver(engine, fixture.filters, { throttleReads: true }),
    local: async () => engine,
    ...recordingTelemetry(),
  });
});
