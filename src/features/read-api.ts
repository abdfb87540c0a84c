import * as z from 'zod/mini';
import { idSchema, parseOrThrow } from '../recommender/request-validation.ts';
import {
  type BatchReadResult,
  type FeatureRow,
  type FeatureStore,
  ITEM_FEATURES,
  type ItemFeatureName,
  USER_FEATURES,
  type UserFeatureName,
} from './types.ts';

/**
 * The FeatureRead API, as request schemas and pure handlers over a FeatureStore, so each route is a few lines
 * of wiring:
 *
 * - `GET /users/{userId}/features?features=last_seen,recent_items` → `readUserFeatures`
 * - `GET /items/{itemId}/features?features=popularity` → `readItemFeatures`
 * - `POST /features/batch` `{users?, items?, features?: {user?, item?}}` → `readFeatureBatch`
 *
 * Every answer is 200: an entity without live events comes back as `{ id, status: 'NOT_FOUND' }`, as in
 * Feast's online read, so a batch never fails for one missing entity. Bad input throws InvalidInputError
 * naming the field (400 at the edge).
 */
export const FEATURE_READ_LIMITS = { maxEntities: 100 } as const;

const id = idSchema;

/** Feature names as a list or as comma-separated text (the query string form), each one checked. */
function featureList<const Names extends readonly string[]>(names: Names) {
  const name = z.enum(names, { error: () => `must be one of ${names.join(', ')}` });
  return z.pipe(
    z.union(
      [
        z.pipe(
          z.string(),
          z.transform((text: string) => text.split(',').filter((n) => n !== '')),
        ),
        z.array(z.unknown()),
      ],
      { error: () => 'must be a list of feature names or comma-separated text' },
    ),
    z.array(name).check(z.minLength(1, `must name at least one of ${names.join(', ')}`)),
  );
}

const userFeatureList = featureList(USER_FEATURES);
const itemFeatureList = featureList(ITEM_FEATURES);

/** `GET /users/{userId}/features`: the path's userId plus the query string. */
export const userFeaturesRequestSchema = z.strictObject({
  userId: id,
  features: z.optional(userFeatureList),
});

/** `GET /items/{itemId}/features`: the path's itemId plus the query string. */
export const itemFeaturesRequestSchema = z.strictObject({
  itemId: id,
  features: z.optional(itemFeatureList),
});

const entities = (what: string) =>
  z
    .array(id, `must be an array of ${what} ids`)
    .check(
      z.maxLength(
        FEATURE_READ_LIMITS.maxEntities,
        `must hold at most ${FEATURE_READ_LIMITS.maxEntities} ${what} ids`,
      ),
    );

/** `POST /features/batch` body. */
export const featureBatchRequestSchema = z
  .strictObject({
    users: z.optional(entities('user')),
    items: z.optional(entities('item')),
    features: z.optional(
      z.strictObject(
        { user: z.optional(userFeatureList), item: z.optional(itemFeatureList) },
        'must be an object',
      ),
    ),
  })
  .check(
    z.refine((body) => (body.users?.length ?? 0) + (body.items?.length ?? 0) > 0, {
      message: 'must name at least one user or item',
      path: ['users'],
    }),
  );

export type UserFeaturesRequest = z.output<typeof userFeaturesRequestSchema>;
export type ItemFeaturesRequest = z.output<typeof itemFeaturesRequestSchema>;
export type FeatureBatchRequest = z.output<typeof featureBatchRequestSchema>;

export const validateUserFeaturesRequest = (input: unknown): UserFeaturesRequest =>
  parseOrThrow(userFeaturesRequestSchema, input);
export const validateItemFeaturesRequest = (input: unknown): ItemFeaturesRequest =>
  parseOrThrow(itemFeaturesRequestSchema, input);
export const validateFeatureBatchRequest = (input: unknown): FeatureBatchRequest =>
  parseOrThrow(featureBatchRequestSchema, input);

export function readUserFeatures(
  store: Pick<FeatureStore, 'readUser'>,
  input: UserFeaturesRequest,
): Promise<FeatureRow<UserFeatureName>> {
  return store.readUser(input.userId, input.features);
}

export function readItemFeatures(
  store: Pick<FeatureStore, 'readItem'>,
  input: ItemFeaturesRequest,
): Promise<FeatureRow<ItemFeatureName>> {
  return store.readItem(input.itemId, input.features);
}

export function readFeatureBatch(
  store: Pick<FeatureStore, 'readBatch'>,
  input: FeatureBatchRequest,
): Promise<BatchReadResult> {
  return store.readBatch({
    users: input.users ?? [],
    items: input.items ?? [],
    ...(input.features && {
      features: {
        ...(input.features.user && { user: input.features.user }),
        ...(input.features.item && { item: input.features.item }),
      },
    }),
  });
}
