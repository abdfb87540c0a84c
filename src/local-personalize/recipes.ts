import { ResourceNotFoundError } from '../errors.ts';

/** Which runtime call a recipe's campaigns answer (personalize-reference.md §4.1). */
export type RecipeType =
  | 'USER_PERSONALIZATION'
  | 'RELATED_ITEMS'
  | 'PERSONALIZED_RANKING'
  | 'USER_SEGMENTATION';

export interface Recipe {
  readonly name: string;
  readonly recipeArn: string;
  readonly algorithmArn: string;
  readonly featureTransformationArn?: string;
  readonly recipeType: RecipeType;
  readonly description: string;
}

const recipe = (
  name: string,
  arnName: string,
  recipeType: RecipeType,
  description: string,
  featureTransformation?: string,
): Recipe => ({
  name,
  recipeArn: `arn:aws:personalize:::recipe/${arnName}`,
  algorithmArn: `arn:aws:personalize:::algorithm/${arnName}`,
  ...(featureTransformation && {
    featureTransformationArn: `arn:aws:personalize:::feature-transformation/${featureTransformation}`,
  }),
  recipeType,
  description,
});

/**
 * The custom recipes the local engine trains; each is the same hybrid model, answered through its recipe type's
 * call (USER_SEGMENTATION: batch segment jobs only, ranking users by the model's probability for the items).
 */
export const RECIPES: readonly Recipe[] = [
  recipe(
    'aws-user-personalization-v2',
    'aws-user-personalization-v2',
    'USER_PERSONALIZATION',
    'Personalized recommendations for a user (local hybrid engine).',
  ),
  recipe(
    'aws-user-personalization',
    'aws-user-personalization',
    'USER_PERSONALIZATION',
    'Personalized recommendations for a user, with exploration (local hybrid engine).',
  ),
  recipe(
    'aws-personalized-ranking-v2',
    'aws-personalized-ranking-v2',
    'PERSONALIZED_RANKING',
    'Ranks a list of items for a user (local hybrid engine).',
  ),
  recipe(
    'aws-personalized-ranking',
    'aws-personalized-ranking',
    'PERSONALIZED_RANKING',
    'Ranks a list of items for a user (local hybrid engine).',
    'JSON-percentile-filtering',
  ),
  recipe('aws-sims', 'aws-sims', 'RELATED_ITEMS', 'Items similar to an item (local hybrid engine).', 'sims'),
  recipe(
    'aws-item-affinity',
    'aws-item-affinity',
    'USER_SEGMENTATION',
    'Users most likely to interact with an item (local hybrid engine).',
  ),
  recipe(
    'aws-item-attribute-affinity',
    'aws-item-attribute-affinity',
    'USER_SEGMENTATION',
    'Users with the most affinity to items with given attributes (local hybrid engine).',
  ),
];

/** The recipe at `recipeArn`; ResourceNotFoundError naming the recipes served otherwise. */
export function recipeByArn(recipeArn: string): Recipe {
  const found = RECIPES.find((r) => r.recipeArn === recipeArn);
  if (!found) {
    throw new ResourceNotFoundError(
      `recipe ${recipeArn} does not exist locally (recipes: ${RECIPES.map((r) => r.name).join(', ')})`,
    );
  }
  return found;
}
