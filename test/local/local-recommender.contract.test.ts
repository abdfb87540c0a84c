import { LocalRecommender } from '../../src/local/index.ts';
import { describeRecommenderContract } from '../contract/recommender.contract.ts';

describeRecommenderContract('LocalRecommender', (fixture) =>
  LocalRecommender.train({ ...fixture.files }, { filters: fixture.filters }),
);
