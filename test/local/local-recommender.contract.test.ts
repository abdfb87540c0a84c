import { trainLocalRecommender } from '../../src/local/index.ts';
import { describeRecommenderContract } from '../contract/recommender.contract.ts';

describeRecommenderContract('LocalRecommender', (fixture) =>
  trainLocalRecommender({ ...fixture.files }, { filters: fixture.filters }),
);
