/**
 * The hyperparameters Personalize documents for each recipe the local engine serves, with their ranges
 * (personalize-reference.md §4.2). CreateSolution checks `solutionConfig` against its recipe's: the service
 * rejects a documented hyperparameter whose value is not of its kind or out of range. Other names are left to
 * the model's bounds of the maps (≤100 entries, values ≤1000 characters): the reference documents no rule for
 * them, and the local engine trains the same way whatever they hold.
 */
import * as z from 'zod/mini';
import type { Recipe } from './recipes.ts';
import { booleanText, decimalText, integerText } from './text-numbers.ts';

type Documented = Readonly<Record<string, z.ZodMiniType>>;

interface RecipeHyperParameters {
  /** Keys of `algorithmHyperParameters`. */
  readonly algorithm: Documented;
  /** Keys of `featureTransformationParameters`. */
  readonly feature: Documented;
}

const percentile = decimalText(0, 1);
const hiddenDimension = { hidden_dimension: integerText(32, 256) };
const userHistory = {
  min_user_history_length_percentile: percentile,
  max_user_history_length_percentile: percentile,
};
/** User-Personalization and Personalized-Ranking share their hyperparameters. */
const sequenceModel: RecipeHyperParameters = {
  algorithm: { ...hiddenDimension, bptt: integerText(2, 32), recency_mask: booleanText() },
  feature: userHistory,
};
const affinity: RecipeHyperParameters = { algorithm: hiddenDimension, feature: {} };

/**
 * By recipe name. The v2 recipes are absent: the reference lists only `apply_recency_bias` for them,
 * unconfirmed and without saying which map holds it.
 */
const DOCUMENTED: Readonly<Record<string, RecipeHyperParameters>> = {
  'aws-user-personalization': sequenceModel,
  'aws-personalized-ranking': sequenceModel,
  'aws-sims': {
    algorithm: { popularity_discount_factor: decimalText(0, 1), min_cointeraction_count: integerText(0, 10) },
    feature: {
      ...userHistory,
      min_item_interaction_count_percentile: percentile,
      max_item_interaction_count_percentile: percentile,
    },
  },
  'aws-item-affinity': affinity,
  'aws-item-attribute-affinity': affinity,
};

const optionalMembers = (documented: Documented) =>
  z.looseObject(
    Object.fromEntries(Object.entries(documented).map(([key, shape]) => [key, z.optional(shape)])),
  );

const shapes = new Map<string, z.ZodMiniType>();

/**
 * A shape of the CreateSolution body holding `recipe`'s documented hyperparameters to their ranges (built
 * once per recipe; issues are reported at `solutionConfig.algorithmHyperParameters.<key>`).
 */
export function hyperParametersShape(recipe: Recipe): z.ZodMiniType {
  let shape = shapes.get(recipe.name);
  if (shape === undefined) {
    const documented = DOCUMENTED[recipe.name] ?? { algorithm: {}, feature: {} };
    shape = z.looseObject({
      solutionConfig: z.optional(
        z.looseObject({
          algorithmHyperParameters: z.optional(optionalMembers(documented.algorithm)),
          featureTransformationParameters: z.optional(optionalMembers(documented.feature)),
        }),
      ),
    });
    shapes.set(recipe.name, shape);
  }
  return shape;
}
