import { LIMITS } from '../recommender/limits.ts';

/** Personalize's limits on one batch job input file (personalize-reference.md §6.1–6.2). */
export const BATCH_LIMITS = {
  maxLines: 50_000_000,
  maxBytes: 1024 ** 3,
  idLength: LIMITS.idLength,
  /** Ranking lines rank at most this many items (the inputList limit). */
  itemListLength: LIMITS.inputList.max,
  numResults: { min: 1, max: 500, default: 25 },
  /** Batch segment: Item-Affinity queries per input file. */
  segmentItemQueries: 500,
} as const;

/** The recipe families a batch inference job can run, and what each input line carries. */
export type BatchRecipe = 'user-personalization' | 'sims' | 'ranking';
export const BATCH_RECIPES: readonly BatchRecipe[] = ['user-personalization', 'sims', 'ranking'];
