import type { PredictedItem, Recommendations } from '../recommender/types.ts';
import type { LocalEngine } from './local-engine.ts';

/**
 * The last tier of the fallback chain: answers built from the local model's popular items when its
 * personalised path failed. Popularity knows no filters, so requests with a filter never reach this tier.
 */

const POPULARITY_DEPTH = 500;

/**
 * The items without scores: popularity counts are not on the other tiers' scale (a probability), and
 * Personalize's own popular filler items carry no relevance score either.
 */
const answer = (items: readonly PredictedItem[], from: Recommendations): Recommendations => ({
  items: items.map(({ score: _score, ...item }) => item),
  recommendationId: from.recommendationId,
  source: 'popularity',
});

export async function popularForUser(engine: LocalEngine, numResults: number | undefined) {
  const popular = await engine.getPopular(numResults === undefined ? {} : { numResults });
  return answer(popular.items, popular);
}

export async function popularBesides(engine: LocalEngine, itemId: string, numResults = 25) {
  const popular = await engine.getPopular({ numResults: Math.min(numResults + 1, POPULARITY_DEPTH) });
  return answer(popular.items.filter((i) => i.itemId !== itemId).slice(0, numResults), popular);
}

/** The input list ordered by popularity; items outside the popular list keep their order, last, unscored. */
export async function rankByPopularity(engine: LocalEngine, inputList: readonly string[]) {
  const popular = await engine.getPopular({ numResults: POPULARITY_DEPTH });
  const rank = new Map(popular.items.map((item, index) => [item.itemId, index]));
  const unique = [...new Set(inputList)];
  const known = unique
    .filter((id) => rank.has(id))
    .sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0))
    .map((id) => popular.items[rank.get(id) ?? 0] as PredictedItem);
  const unknown = unique.filter((id) => !rank.has(id)).map((itemId) => ({ itemId }));
  return answer([...known, ...unknown], popular);
}
