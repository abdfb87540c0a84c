import { createRng } from '../core/random.ts';
import { catalogueCoverage, ndcgAtK, precisionAtK, reciprocalRank } from '../core/ranking-metrics.ts';
import type { Dataset } from '../local/data/types.ts';
import { subsetRows } from '../local/model/holdout.ts';
import { type TrainOptions, trainHybrid } from '../local/model/train.ts';
import type { HybridModel } from '../local/model/types.ts';
import { packHistories } from '../local/model/user-histories.ts';
import type { RecipeType } from './recipes.ts';

/** Share of users whose newest interactions are held out (Personalize: 90% train / 10% test). */
const TEST_USER_SHARE = 0.1;
/** Share of a test user's history, newest first, that is ground truth. */
const HELD_OUT_SHARE = 0.1;
/** Test users scored at most: bounds the cost on large data (a seeded sample beyond it). */
const MAX_TEST_USERS = 5000;
const K = 25;

/** Personalize's split: the train data plus, per test user, the held-out (newest) items. */
export interface PersonalizeSplit {
  readonly train: Dataset;
  readonly users: Int32Array;
  readonly relevant: readonly Set<number>[];
}

/**
 * Personalize's offline-metrics split (personalize-reference.md §4.3): a seeded 10% of the users with at least
 * 2 interactions are test users; the newest 10% (at least one) of each one's history is ground truth and the
 * rest stays in train with every other user's whole history.
 */
export function personalizeSplit(data: Dataset, seed = 42): PersonalizeSplit {
  const packed = packHistories(data);
  const userCount = data.users.ids.length;
  const candidates: number[] = [];
  for (let u = 0; u < userCount; u++) if (packed.start[u + 1]! - packed.start[u]! >= 2) candidates.push(u);
  const rng = createRng(seed);
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
  }
  const testCount = Math.min(MAX_TEST_USERS, Math.max(1, Math.round(candidates.length * TEST_USER_SHARE)));
  const users = Int32Array.from(candidates.slice(0, testCount)).sort();
  const keep = new Uint8Array(data.interactions.length).fill(1);
  const relevant = Array.from(users, (u) => {
    const to = packed.start[u + 1]!;
    const from = to - Math.max(1, Math.floor((to - packed.start[u]!) * HELD_OUT_SHARE));
    for (let slot = from; slot < to; slot++) keep[packed.rows[slot]!] = 0;
    return new Set(packed.items.subarray(from, to));
  });
  return { train: { ...data, interactions: subsetRows(data.interactions, keep) }, users, relevant };
}

/** The ranked list the recipe type answers for a test user: recommendations, or items similar to the last one seen. */
function rankedFor(model: HybridModel, recipeType: RecipeType, user: number): Int32Array {
  const history = model.userHistory(user);
  if (recipeType === 'RELATED_ITEMS') {
    const last = history.items[history.items.length - 1];
    return last === undefined ? model.popular(K).items : model.similarItems(last, K).items;
  }
  return model.recommend({ userIndex: user, history }, K).items;
}

/**
 * GetSolutionMetrics' keys for a model of `recipeType` trained like the solution version, on Personalize's
 * split of `data`: NDCG and precision at 5/10/25, MRR at 25 and catalogue coverage of the top 25.
 */
export function solutionMetrics(
  data: Dataset,
  recipeType: RecipeType,
  options: TrainOptions,
): Record<string, number> {
  const split = personalizeSplit(data);
  const model = trainHybrid(split.train, options);
  const lists: Int32Array[] = [];
  const sums = { ndcg5: 0, ndcg10: 0, ndcg25: 0, p5: 0, p10: 0, p25: 0, mrr: 0 };
  split.users.forEach((user, i) => {
    const ranked = rankedFor(model, recipeType, user);
    const relevant = split.relevant[i]!;
    lists.push(ranked);
    sums.ndcg5 += ndcgAtK(ranked, relevant, 5);
    sums.ndcg10 += ndcgAtK(ranked, relevant, 10);
    sums.ndcg25 += ndcgAtK(ranked, relevant, 25);
    sums.p5 += precisionAtK(ranked, relevant, 5);
    sums.p10 += precisionAtK(ranked, relevant, 10);
    sums.p25 += precisionAtK(ranked, relevant, 25);
    sums.mrr += reciprocalRank(ranked, relevant, 25);
  });
  const n = Math.max(1, split.users.length);
  const round = (value: number) => Math.round((value / n) * 1e4) / 1e4;
  return {
    coverage: Math.round(catalogueCoverage(lists, data.items.ids.length, K) * 1e4) / 1e4,
    mean_reciprocal_rank_at_25: round(sums.mrr),
    normalized_discounted_cumulative_gain_at_5: round(sums.ndcg5),
    normalized_discounted_cumulative_gain_at_10: round(sums.ndcg10),
    normalized_discounted_cumulative_gain_at_25: round(sums.ndcg25),
    precision_at_5: round(sums.p5),
    precision_at_10: round(sums.p10),
    precision_at_25: round(sums.p25),
  };
}
