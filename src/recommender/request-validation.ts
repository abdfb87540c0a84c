import * as z from 'zod/mini';
import { type FieldIssue, InvalidInputError } from '../errors.ts';
import { unusedFilterValueIssues } from './filter-values-rule.ts';
import { LIMITS } from './limits.ts';
import { rejectInTransform } from './schema-helpers.ts';
import type {
  GetPersonalizedRankingRequest,
  GetRecommendationsRequest,
  GetSimilarItemsRequest,
  PutEventsRequest,
  PutItemsRequest,
  PutUsersRequest,
} from './types.ts';

/** Error map for type mismatches only; other issues keep the message of their own check. */
const typed = (expected: string) => ({
  error: (issue: { code?: string; input?: unknown }) => {
    if (issue.code !== 'invalid_type' && issue.code !== 'invalid_union') return undefined;
    return issue.input === undefined ? 'is required' : `must be ${expected}`;
  },
});

/** A string of `min` to `max` characters, e.g. `must be 1 to 256 characters`. */
export const boundedString = (max: number, min = 1) =>
  z
    .string(typed('a string'))
    .check(
      z.minLength(min, `must be ${min} to ${max} characters`),
      z.maxLength(max, `must be ${min} to ${max} characters`),
    );

/** A user, item, session or event id: 1 to 256 characters. */
export const idSchema = boundedString(LIMITS.idLength);
const id = idSchema;

/** An array of `min` to `max` elements, e.g. `must hold 1 to 10 events`. */
const sizedArray = <T extends z.core.SomeType>(
  element: T,
  what: string,
  { min, max }: { readonly min: number; readonly max: number },
) =>
  z
    .array(element, typed(`an array of ${what}`))
    .check(
      z.minLength(min, `must hold ${min} to ${max} ${what}`),
      z.maxLength(max, `must hold ${min} to ${max} ${what}`),
    );

const stringMap = (limits: {
  maxEntries: number;
  keyLength: number;
  valueLength: number;
  keyPattern: RegExp;
}) =>
  z
    .record(
      z
        .string()
        .check(
          z.maxLength(limits.keyLength, `keys must be at most ${limits.keyLength} characters`),
          z.regex(limits.keyPattern, `keys must match ${limits.keyPattern.source}`),
        ),
      z
        .string(typed('a string'))
        .check(z.maxLength(limits.valueLength, `values must be at most ${limits.valueLength} characters`)),
      typed('an object of strings'),
    )
    .check(
      z.refine(
        (m) => Object.keys(m).length <= limits.maxEntries,
        `must have at most ${limits.maxEntries} entries`,
      ),
    );

const filterSelection = {
  filter: z.optional(boundedString(LIMITS.filterLength)),
  filterValues: z.optional(stringMap(LIMITS.filterValues)),
};

/** `metadataColumns`: at most 10 column names, each 1 to 150 characters. */
export const metadataColumnsSchema = z
  .array(boundedString(LIMITS.metadataColumns.nameLength), typed('an array of column names'))
  .check(z.maxLength(LIMITS.metadataColumns.max, `must list at most ${LIMITS.metadataColumns.max} columns`));

const numResultsRange = `must be ${LIMITS.numResults.min} to ${LIMITS.numResults.max}`;

/**
 * `numResults`: an integer in Personalize's range. An integer beyond the safe range fails z.int's own bound
 * too: worded as the range, it is then the same issue twice, which `toFieldIssues` reports once.
 */
export const numResultsSchema = z
  .int({
    error: (issue) =>
      issue.code === 'too_big' || issue.code === 'too_small'
        ? numResultsRange
        : typed('an integer').error(issue),
  })
  .check(z.gte(LIMITS.numResults.min, numResultsRange), z.lte(LIMITS.numResults.max, numResultsRange));

/** Personalize caps list sizes lower when metadata is returned with each item. */
export function capWithMetadata(
  field: 'numResults' | 'inputList',
  max: number,
): (
  value: { metadataColumns?: readonly string[] | undefined; [k: string]: unknown },
  ctx: z.core.$RefinementCtx,
) => void {
  return (value, ctx) => {
    const raw = value[field];
    const size = Array.isArray(raw) ? raw.length : typeof raw === 'number' ? raw : 0;
    if (value.metadataColumns?.length && size > max) {
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `must be at most ${max} when metadataColumns is set`,
      });
    }
  };
}

const context = z.optional(stringMap(LIMITS.context));

/** `filterValues` without a `filter` fill nothing; values the named filter does not use are the engine's check. */
const valuesNeedAFilter = z.superRefine(
  (value: { filter?: string | undefined; filterValues?: Record<string, string> | undefined }, ctx) => {
    if (value.filter !== undefined) return;
    for (const issue of unusedFilterValueIssues(undefined, value.filterValues)) {
      ctx.addIssue({ code: 'custom', path: ['filterValues'], message: issue.message });
    }
  },
);

export const getRecommendationsSchema = z
  .strictObject({
    userId: id,
    numResults: z.optional(numResultsSchema),
    context,
    metadataColumns: z.optional(metadataColumnsSchema),
    ...filterSelection,
  })
  .check(z.superRefine(capWithMetadata('numResults', LIMITS.numResults.maxWithMetadata)), valuesNeedAFilter);

export const getSimilarItemsSchema = z
  .strictObject({
    itemId: id,
    userId: z.optional(id),
    numResults: z.optional(numResultsSchema),
    context,
    metadataColumns: z.optional(metadataColumnsSchema),
    ...filterSelection,
  })
  .check(z.superRefine(capWithMetadata('numResults', LIMITS.numResults.maxWithMetadata)), valuesNeedAFilter);

export const getPersonalizedRankingSchema = z
  .strictObject({
    userId: id,
    inputList: sizedArray(id, 'item ids', LIMITS.inputList),
    context,
    metadataColumns: z.optional(metadataColumnsSchema),
    ...filterSelection,
  })
  .check(z.superRefine(capWithMetadata('inputList', LIMITS.inputList.maxWithMetadata)), valuesNeedAFilter);

const propertyValue = z.union(
  [z.string(), z.number(), z.boolean(), z.null()],
  typed('a string, number, boolean or null'),
);

const properties = (maxJsonLength: number, reservedKeys: readonly string[] = []) =>
  z
    .record(z.string().check(z.minLength(1, 'keys must not be empty')), propertyValue, typed('an object'))
    .check(
      z.superRefine((value, ctx) => {
        const length = JSON.stringify(value).length;
        if (length > maxJsonLength) {
          ctx.addIssue({
            code: 'custom',
            message: `must serialize to at most ${maxJsonLength} characters of JSON (got ${length})`,
          });
        }
        const reserved = new Set(reservedKeys.map((k) => k.toLowerCase()));
        for (const key of Object.keys(value)) {
          if (reserved.has(key.toLowerCase())) {
            ctx.addIssue({
              code: 'custom',
              message: `key "${key}" is reserved (${reservedKeys.join(', ')})`,
            });
          }
        }
      }),
    );

/** Epoch seconds, milliseconds mistaken for seconds rejected; accepts a Date or a number. */
export const epochSecondsDate = z.pipe(
  z.union([z.date(), z.number()], typed('a Date or Unix epoch seconds')),
  z.transform((value: Date | number, ctx) => {
    const seconds = value instanceof Date ? value.getTime() / 1000 : value;
    if (!Number.isFinite(seconds) || seconds < 0)
      return rejectInTransform(ctx, value, 'must be a valid time in Unix epoch seconds');
    if (seconds > LIMITS.maxEpochSeconds) {
      return rejectInTransform(
        ctx,
        value,
        `must be Unix epoch seconds; ${seconds} looks like milliseconds (above ${LIMITS.maxEpochSeconds})`,
      );
    }
    return new Date(seconds * 1000);
  }),
);

export const interactionEventSchema = z.strictObject(
  {
    eventId: z.optional(id),
    eventType: id,
    eventValue: z.optional(z.number(typed('a finite number'))),
    itemId: z.optional(id),
    properties: z.optional(properties(LIMITS.propertiesLength.event, LIMITS.reservedEventPropertyKeys)),
    sentAt: epochSecondsDate,
    recommendationId: z.optional(boundedString(LIMITS.recommendationIdLength)),
    impression: z.optional(sizedArray(id, 'item ids', LIMITS.impression)),
  },
  typed('an event object'),
);

export const putEventsSchema = z.strictObject({
  sessionId: id,
  userId: z.optional(id),
  eventList: sizedArray(interactionEventSchema, 'events', LIMITS.eventList),
});

export const putItemsSchema = z.strictObject({
  items: sizedArray(
    z.strictObject(
      { itemId: id, properties: z.optional(properties(LIMITS.propertiesLength.item)) },
      typed('an object'),
    ),
    'items',
    LIMITS.putRecords,
  ),
});

export const putUsersSchema = z.strictObject({
  users: sizedArray(
    z.strictObject(
      { userId: id, properties: z.optional(properties(LIMITS.propertiesLength.user)) },
      typed('an object'),
    ),
    'users',
    LIMITS.putRecords,
  ),
});

/** Turns zod's issues into the contract's field issues (`eventList.3.itemId: must be 1 to 256 characters`). */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.flatMap((issue) => {
    const field = issue.path.map(String).join('.') || '(request)';
    const message = messageOf(issue);
    const key = JSON.stringify([field, message]);
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ field, message }];
  });
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_key') return issue.issues.map((i) => i.message).join('; ');
  return issue.message;
}

/**
 * Parses `input` with `schema`, or throws InvalidInputError naming every bad field. `context.error` words
 * the issues the schema leaves to zod (see `englishMessages`).
 */
export function parseOrThrow<T extends z.ZodMiniType>(
  schema: T,
  input: unknown,
  context?: z.core.ParseContext<z.core.$ZodIssue>,
): z.output<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidInputError([{ field: '(request)', message: 'must be an object' }]);
  }
  const result = schema.safeParse(input, context);
  if (!result.success) throw new InvalidInputError(toFieldIssues(result.error.issues));
  return result.data;
}

export const validateGetRecommendations = (input: unknown): GetRecommendationsRequest =>
  parseOrThrow(getRecommendationsSchema, input);
export const validateGetSimilarItems = (input: unknown): GetSimilarItemsRequest =>
  parseOrThrow(getSimilarItemsSchema, input);
export const validateGetPersonalizedRanking = (input: unknown): GetPersonalizedRankingRequest =>
  parseOrThrow(getPersonalizedRankingSchema, input);
export const validatePutEvents = (input: unknown): PutEventsRequest => parseOrThrow(putEventsSchema, input);
export const validatePutItems = (input: unknown): PutItemsRequest => parseOrThrow(putItemsSchema, input);
export const validatePutUsers = (input: unknown): PutUsersRequest => parseOrThrow(putUsersSchema, input);
