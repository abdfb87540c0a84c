import * as z from 'zod';
import { LIMITS } from '../../recommender/limits.ts';
import { parseOrThrow } from '../../recommender/request-validation.ts';

/** `GET /popular`: the most popular items, optionally within one category. */
export interface PopularRequest {
  /** 1..500, default 25. */
  readonly numResults?: number;
  /** A value of the Items dataset's category column (see LocalRecommenderOptions.categoryColumn). */
  readonly category?: string;
}

const popularSchema = z
  .object({
    numResults: z
      .number('must be an integer')
      .int('must be an integer')
      .min(LIMITS.numResults.min, `must be ${LIMITS.numResults.min} to ${LIMITS.numResults.max}`)
      .max(LIMITS.numResults.max, `must be ${LIMITS.numResults.min} to ${LIMITS.numResults.max}`)
      .optional(),
    category: z
      .string('must be a string')
      .min(1, `must be 1 to ${LIMITS.idLength} characters`)
      .max(LIMITS.idLength, `must be 1 to ${LIMITS.idLength} characters`)
      .optional(),
  })
  .strict();

export const validatePopular = (input: unknown): PopularRequest => parseOrThrow(popularSchema, input);
