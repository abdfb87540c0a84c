import * as z from 'zod';
import { LIMITS } from '../recommender/limits.ts';

/**
 * The HTTP API's reply bodies, as zod schemas so the OpenAPI document is generated from them. The handlers
 * build these bodies from the contract's types (src/recommender/types.ts); the test of the document checks
 * real replies against them.
 */

export const recommendationsResponse = z
  .object({
    items: z.array(
      z.object({
        itemId: z.string(),
        score: z
          .number()
          .optional()
          .meta({ description: 'Higher is better; absent where Personalize omits it.' }),
        metadata: z.record(z.string(), z.string()).optional(),
      }),
    ),
    recommendationId: z.string().max(LIMITS.recommendationIdLength),
    source: z.enum(['personalize', 'local', 'popularity']).meta({ description: 'The engine that answered.' }),
    requestId: z.string(),
  })
  .meta({ description: 'Items, best first, and the engine that answered.' });

export const usersResponse = z
  .object({ userIds: z.array(z.string()), requestId: z.string() })
  .meta({ description: "The model's users, first seen in training first." });

export const historyResponse = z
  .object({
    items: z.array(
      z.object({
        itemId: z.string(),
        eventType: z.string(),
        timestamp: z.number().meta({ description: 'Unix epoch seconds.' }),
        metadata: z.record(z.string(), z.string()).optional(),
      }),
    ),
    requestId: z.string(),
  })
  .meta({ description: 'Training interactions and real-time events, newest first.' });

export const ingestionResponse = z
  .object({
    stored: z.number().int(),
    duplicates: z
      .number()
      .int()
      .meta({ description: 'Already stored (sent before, or twice in the batch): not stored again.' }),
    deadLettered: z.number().int().meta({ description: 'Queued for replay (`npm run replay-dlq`).' }),
    lost: z.number().int().meta({ description: 'Neither stored nor queued: resend the batch.' }),
    warnings: z
      .array(z.string())
      .optional()
      .meta({ description: 'Stored but probably wrong, e.g. `sentAt` more than a day in the future.' }),
    message: z.string().optional(),
    requestId: z.string(),
  })
  .meta({ description: 'How many events were stored, dead-lettered and lost.' });

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
  features: z.record(z.string(), featureValue).optional().meta({
    description: 'Feature name → value; window counts are objects of event type (or category) → count.',
  }),
});

export const featuresResponse = featureRow
  .extend({ requestId: z.string() })
  .meta({ description: "An entity's online features, or NOT_FOUND when it has no live event." });

export const featureBatchResponse = z
  .object({ users: z.array(featureRow), items: z.array(featureRow), requestId: z.string() })
  .meta({
    description: 'One row per requested user and item, in request order; NOT_FOUND per missing entity.',
  });

export const errorResponse = z
  .object({
    message: z.string(),
    requestId: z.string(),
    issues: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Every bad field of a 400, with the limit it broke.' }),
  })
  .meta({ description: 'An error; a 400 names each bad field and its limit.' });
