import { trainLocalRecommender } from '../../src/local/index.ts';
import { describeRecommenderContract } from '../contract/recommender.contract.ts';
import { personalizeOver } from './personalize-over-local.ts';

describeRecommenderContract('PersonalizeRecommender (SDK mocked by the local engine)', async (fixture) =>
  personalizeOver(await trainLocalRecommender(fixture.files, { filters: fixture.filters }), fixture.filters),
);
