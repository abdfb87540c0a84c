import * as z from 'zod/mini';
import { LIMITS } from '../recommender/limits.ts';
import { described } from '../recommender/schema-helpers.ts';

/**
 * The HTTP API's reply bodies, as zod schemas so the OpenAPI document is generated from them. The handlers
 * build these bodies from the contract's types (src/recommender/types.ts); the test of the document checks
 * real replies against them.
 */

export const recommendationsResponse = described(
  z.object({
    items: z.array(
      z.object({
        itemId: z.string(),
        score: described(
          z.optional(z.number()),
          "Personalize's rule whichever engine answers: recommendations a probability over the whole catalogue, " +
            'rankings over the ranked items (each in (0, 1]); absent for similar items and from the popularity ' +
            "tier. GET /popular: the item's popularity scaled to the best item's.",
        ),
        metadata: z.optional(z.record(z.string(), z.string())),
      }),
    ),
    recommendationId: z.string().check(z.maxLength(LIMITS.recommendationIdLength)),
    source: described(z.enum(['personalize', 'local', 'popularity']), 'The engine that answered.'),
    requestId: z.string(),
  }),
  'Items, best first, and the engine that answered.',
);

export const usersResponse = described(
  z.object({ userIds: z.array(z.string()), requestId: z.string() }),
  "The model's users, first seen in training first.",
);

export const historyResponse = described(
  z.object({
    items: z.array(
      z.object({
        itemId: z.string(),
        eventType: z.string(),
        timestamp: described(z.number(), 'Unix epoch seconds.'),
        metadata: z.optional(z.record(z.string(), z.string())),
      }),
    ),
    requestId: z.string(),
  }),
  'Training interactions and real-time events, newest first.',
);

export const ingestionResponse = described(
  z.object({
    stored: z.int(),
    duplicates: described(z.int(), 'Already stored (sent before, or twice in the batch): not stored again.'),
    deadLettered: described(z.int(), 'Queued for replay (`npm run replay-dlq`).'),
    lost: described(z.int(), 'Neither stored nor queued: resend the batch.'),
    warnings: described(
      z.optional(z.array(z.string())),
      'Stored but probably wrong, e.g. `sentAt` more than a day in the future.',
    ),
    message: z.optional(z.string()),
    requestId: z.string(),
  }),
  'How many events were stored, dead-lettered and lost.',
);

const featureValue = z.union([
  z.number(),
  z.string(),
  z.null(),
  z.array(z.string()),
  z.record(z.string(), z.number()),
]);

/** One entity's online features; FOUND rows carry `features`, NOT_FOUND rows only the id (Feast's online read). */
const featureRow = z.object({
  id: z.string(),
  status: z.enum(['FOUND', 'NOT_FOUND']),
  features: described(
    z.optional(z.record(z.string(), featureValue)),
    'Feature name → value; window counts are objects of event type (or category) → count.',
  ),
});

export const featuresResponse = described(
  z.extend(featureRow, { requestId: z.string() }),
  "An entity's online features, or NOT_FOUND when it has no live event.",
);

export const featureBatchResponse = described(
  z.object({ users: z.array(featureRow), items: z.array(featureRow), requestId: z.string() }),
  'One row per requested user and item, in request order; NOT_FOUND per missing entity.',
);

export const errorResponse = described(
  z.object({
    message: z.string(),
    requestId: z.string(),
    issues: described(
      z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
      'Every bad field of a 400, with the limit it broke.',
    ),
  }),
  'An error; a 400 names each bad field and its limit.',
);
