import type { LocalRecommender } from '../local/index.ts';
import type { Recommendations, Recommender } from '../recommender/types.ts';
import { probability, type Softmax, softmaxOf } from './softmax.ts';

/** The answer with each scored item's score mapped through `softmax`; unscored items stay unscored. */
function normalised(answer: Recommendations, softmax: Softmax): Recommendations {
  return {
    ...answer,
    items: answer.items.map((item) =>
      item.score === undefined ? item : { ...item, score: probability(item.score, softmax) },
    ),
  };
}

/**
 * A campaign's engine with Personalize's scores (AWS "How recommendation scoring works"): User-Personalization
 * scores are a softmax over the whole catalogue, so in (0, 1] and summing to 1 over every item; Personalized-
 * Ranking's a softmax over the ranked input items (unknown items stay last without score); SIMS answers carry
 * no score. The engine's own blend scores, which exceed 1 (a cold user's reach 2: popularity plus trending,
 * each scaled to 1), are the logits.
 */
export function personalizeScores(engine: LocalRecommender): Recommender {
  return {
    getRecommendations: async (request) => {
      const answer = await engine.getRecommendations(request);
      return normalised(answer, softmaxOf(engine.scoreItems(request.userId, request.context)));
    },
    getSimilarItems: async (request) => {
      const answer = await engine.getSimilarItems(request);
      return { ...answer, items: answer.items.map(({ score: _score, ...item }) => item) };
    },
    getPersonalizedRanking: async (request) => {
      const answer = await engine.getPersonalizedRanking(request);
      const scores = answer.items.flatMap((item) => (item.score === undefined ? [] : [item.score]));
      return scores.length === 0 ? answer : normalised(answer, softmaxOf(scores));
    },
    putEvents: (request) => engine.putEvents(request),
    putItems: (request) => engine.putItems(request),
    putUsers: (request) => engine.putUsers(request),
  };
}
