import * as z from 'zod/mini';
import { LIMITS } from '../../recommender/limits.ts';
import {
  boundedString,
  capWithMetadata,
  idSchema,
  metadataColumnsSchema,
  numResultsSchema,
  parseOrThrow,
} from '../../recommender/request-validation.ts';

/** `GET /users`: the model's users, for an explorer or a support tool to pick one. */
export interface UsersRequest {
  /** Only ids starting with this text (case-sensitive). */
  readonly prefix?: string;
  /** 1..500, default 25. */
  readonly numResults?: number;
}

export interface UserList {
  /** In the model's user order (first seen in training first). */
  readonly userIds: readonly string[];
}

/** `GET /users/{userId}/history`: what the engine knows the user did, newest first. */
export interface HistoryRequest {
  readonly userId: string;
  /** 1..500, default 25. */
  readonly numResults?: number;
  /** Items columns to return with each item, like the recommendations' `metadataColumns`. */
  readonly metadataColumns?: readonly string[];
}

export interface HistoryEntry {
  readonly itemId: string;
  readonly eventType: string;
  /** Unix epoch seconds. */
  readonly timestamp: number;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface UserHistoryList {
  /** Training interactions and real-time events, newest first. */
  readonly items: readonly HistoryEntry[];
}

const numResults = z.optional(numResultsSchema);

const usersSchema = z.strictObject({
  // An empty prefix lists every user (the explorer sends one). Not z.string('…'): a schema's own message
  // words every issue it raises, so an over-long prefix was reported as "must be a string".
  prefix: z.optional(boundedString(LIMITS.idLength, 0)),
  numResults,
});
/** The same limits as the recommendations' (at most 50 entries with metadata, 10 columns). */
const historySchema = z
  .strictObject({
    userId: idSchema,
    numResults,
    metadataColumns: z.optional(metadataColumnsSchema),
  })
  .check(z.superRefine(capWithMetadata('numResults', LIMITS.numResults.maxWithMetadata)));

export const validateUsers = (input: unknown): UsersRequest => parseOrThrow(usersSchema, input);
export const validateHistory = (input: unknown): HistoryRequest => parseOrThrow(historySchema, input);
