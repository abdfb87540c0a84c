import * as z from 'zod/mini';
import { idSchema, numResultsSchema, parseOrThrow } from '../../recommender/request-validation.ts';

/** `GET /popular`: the most popular items, optionally within one category. */
export interface PopularRequest {
  /** 1..500, default 25. */
  readonly numResults?: number;
  /** A value of the Items dataset's category column (see LocalRecommenderOptions.categoryColumn). */
  readonly category?: string;
}

const popularSchema = z.strictObject({
  numResults: z.optional(numResultsSchema),
  category: z.optional(idSchema),
});

export const validatePopular = (input: unknown): PopularRequest => parseOrThrow(popularSchema, input);
