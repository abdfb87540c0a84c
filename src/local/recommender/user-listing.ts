import * as z from 'zod';
import { LIMITS } from '../../recommender/limits.ts';
import { parseOrThrow } from '../../recommender/request-validation.ts';

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

const numResults = z
  .number('must be an integer')
  .int('must be an integer')
  .min(LIMITS.numResults.min, `must be ${LIMITS.numResults.min} to ${LIMITS.numResults.max}`)
  .max(LIMITS.numResults.max, `must be ${LIMITS.numResults.min} to ${LIMITS.numResults.max}`)
  .optional();

const id = z
  .string('must be a string')
  .min(1, `must be 1 to ${LIMITS.idLength} characters`)
  .max(LIMITS.idLength, `must be 1 to ${LIMITS.idLength} characters`);

const usersSchema = z
  .object({ prefix: z.string('must be a string').max(LIMITS.idLength).optional(), numResults })
  .strict();
const historySchema = z
  .object({ userId: id, numResults, metadataColumns: z.array(z.string('must be a string')).optional() })
  .strict();

export const validateUsers = (input: unknown): UsersRequest => parseOrThrow(usersSchema, input);
export const validateHistory = (input: unknown): HistoryRequest => parseOrThrow(historySchema, input);
