import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import { createLocalApi } from '../../lambdas/local/api.ts';
import { trainLocalRecommender } from '../../src/local/index.ts';
import { PersonalizeRecommender } from '../../src/personalize/index.ts';
import { DEFAULT_WIRE_CONFIG, wireArns } from '../../src/personalize-wire/index.ts';
import { describeRecommenderContract } from '../contract/recommender.contract.ts';
import { tempDir } from './helpers.ts';

// End to end: the Personalize implementation, with the real AWS SDK v3 clients, against the local server's
// Personalize-compatible endpoint, through the shared contract suite.
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describeRecommenderContract(
  'PersonalizeRecommender (real SDK) → local Personalize endpoint',
  async (fixture) => {
    const engine = await trainLocalRecommender({ ...fixture.files }, { filters: fixture.filters });
    const server = createLocalApi({ engine, deadLetterFile: `${tempDir()}/dead-letters.jsonl` });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const arns = wireArns(DEFAULT_WIRE_CONFIG);
    return new PersonalizeRecommender({
      clientConfig: {
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      },
      campaigns: {
        userPersonalization: arns.userPersonalizationCampaign,
        similarItems: arns.similarItemsCampaign,
        personalizedRanking: arns.personalizedRankingCampaign,
      },
      trackingId: DEFAULT_WIRE_CONFIG.trackingId,
      datasets: { items: arns.itemsDataset, users: arns.usersDataset },
      filters: Object.fromEntries(fixture.filters.map((f) => [f.name, arns.filter(f.name)])),
      timeoutMs: 10_000,
    });
  },
);
