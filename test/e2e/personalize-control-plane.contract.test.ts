import { afterAll } from 'vitest';
import { PersonalizeRecommender } from '../../src/personalize/index.ts';
import { describeRecommenderContract } from '../contract/recommender.contract.ts';
import { startTestServer, type TestServer } from '../local-personalize/server.ts';
import { provisionGroup } from './provision.ts';

// No mock of Personalize anywhere: every resource the recommender talks to was created through the local
// control plane with the real SDK, and every call it makes goes over HTTP to the local server.
const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.stop())));

describeRecommenderContract(
  'PersonalizeRecommender (real SDK) → campaigns created through the local control plane',
  async (fixture) => {
    const server = await startTestServer();
    servers.push(server);
    const group = await provisionGroup(server.personalize, {
      name: 'contract',
      s3Dir: server.s3Dir,
      files: fixture.files,
      filters: fixture.filters,
    });
    return new PersonalizeRecommender({
      runtimeClient: server.runtime,
      eventsClient: server.events,
      campaigns: group.campaigns,
      trackingId: group.trackingId,
      datasets: { items: group.datasets.items, users: group.datasets.users },
      filters: group.filters,
      timeoutMs: 10_000,
    });
  },
);
