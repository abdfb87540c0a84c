import { LIMITS } from '../../recommender/limits.ts';

/** The recipe families a batch inference job can run, and what each input line carries. */
export type BatchRecipe = 'user-personalization' | 'sims' | 'ranking';
export const BATCH_RECIPES: readonly BatchRecipe[] = ['user-personalization', 'sims', 'ranking'];

/**
 * The USER_SEGMENTATION recipes a batch segment job can run: users for each item id (Item-Affinity) or for
 * each item attribute query (Item-Attribute-Affinity).
 */
export type SegmentRecipe = 'item-affinity' | 'item-attribute-affinity';
export const SEGMENT_RECIPES: readonly SegmentRecipe[] = ['item-affinity', 'item-attribute-affinity'];

/** Any recipe a batch job (inference or segment) can run. */
export type JobRecipe = BatchRecipe | SegmentRecipe;

export const isSegmentRecipe = (recipe: JobRecipe): recipe is SegmentRecipe =>
  (SEGMENT_RECIPES as readonly string[]).includes(recipe);

/** Recipe names as Personalize's documentation writes them, for messages. */
export const RECIPE_NAMES: Readonly<Record<JobRecipe, string>> = {
  'user-personalization': 'User-Personalization',
  sims: 'SIMS',
  ranking: 'Personalized-Ranking',
  'item-affinity': 'Item-Affinity',
  'item-attribute-affinity': 'Item-Attribute-Affinity',
};

/** Personalize's limits on one batch job input file (personalize-reference.md §6.1–6.2). */
export const BATCH_LIMITS = {
  maxLines: 50_000_000,
  maxBytes: 1024 ** 3,
  idLength: LIMITS.idLength,
  /** Ranking lines rank at most this many items (the inputList limit). */
  itemListLength: LIMITS.inputList.max,
  /** Batch inference: items per input line. */
  numResults: { min: 1, max: 500, default: 25 },
  /** Batch segment: users per segment (the documented ceiling). */
  segmentNumResults: { min: 1, max: 5_000_000, default: 25 },
  /** Batch segment: queries (input lines) per input file. */
  segmentQueries: { 'item-affinity': 500, 'item-attribute-affinity': 10 } satisfies Record<
    SegmentRecipe,
    number
  >,
} as const;
