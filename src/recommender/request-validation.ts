import * as z from 'zod';
import { type FieldIssue, InvalidInputError } from '../errors.ts';
import { LIMITS } from './limits.ts';
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

const boundedString = (max: number, min = 1) =>
  z
    .string(typed('a string'))
    .min(min, `must be ${min} to ${max} characters`)
    .max(max, `must be ${min} to ${max} characters`);

const id = boundedString(LIMITS.idLength);

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
        .max(limits.keyLength, `keys must be at most ${limits.keyLength} characters`)
        .regex(limits.keyPattern, `keys must match ${limits.keyPattern.source}`),
      z
        .string(typed('a string'))
        .max(limits.valueLength, `values must be at most ${limits.valueLength} characters`),
      typed('an object of strings'),
    )
    .refine(
      (m) => Object.keys(m).length <= limits.maxEntries,
      `must have at most ${limits.maxEntries} entries`,
    );

const filterSelection = {
  filter: boundedString(LIMITS.filterLength).optional(),
  filterValues: stringMap(LIMITS.filterValues).optional(),
};

const metadataColumns = z
  .array(boundedString(LIMITS.metadataColumns.nameLength), typed('an array of column names'))
  .max(LIMITS.metadataColumns.max, `must list at most ${LIMITS.metadataColumns.max} columns`);

const numResults = z
  .number(typed('an integer'))
  .int('must be an integer')
  .min(LIMITS.numResults.min, `must be ${LIMITS.numResults.min} to ${LIMITS.numResults.max}`)
  .max(LIMITS.numResults.max, `must be ${LIMITS.numResults.min} to ${LIMITS.numResults.max}`);

/** Personalize caps list sizes lower when metadata is returned with each item. */
function capWithMetadata(
  field: 'numResults' | 'inputList',
  max: number,
): (
  value: { metadataColumns?: readonly string[] | undefined; [k: string]: unknown },
  ctx: z.RefinementCtx,
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

const context = stringMap(LIMITS.context).optional();

export const getRecommendationsSchema = z
  .object({
    userId: id,
    numResults: numResults.optional(),
    context,
    metadataColumns: metadataColumns.optional(),
    ...filterSelection,
  })
  .strict()
  .superRefine(capWithMetadata('numResults', LIMITS.numResults.maxWithMetadata));

export const getSimilarItemsSchema = z
  .object({
    itemId: id,
    userId: id.optional(),
    numResults: numResults.optional(),
    context,
    metadataColumns: metadataColumns.optional(),
    ...filterSelection,
  })
  .strict()
  .superRefine(capWithMetadata('numResults', LIMITS.numResults.maxWithMetadata));

export const getPersonalizedRankingSchema = z
  .object({
    userId: id,
    inputList: z
      .array(id, typed('an array of item ids'))
      .min(LIMITS.inputList.min, `must hold ${LIMITS.inputList.min} to ${LIMITS.inputList.max} item ids`)
      .max(LIMITS.inputList.max, `must hold ${LIMITS.inputList.min} to ${LIMITS.inputList.max} item ids`),
    context,
    metadataColumns: metadataColumns.optional(),
    ...filterSelection,
  })
  .strict()
  .superRefine(capWithMetadata('inputList', LIMITS.inputList.maxWithMetadata));

const propertyValue = z.union(
  [z.string(), z.number(), z.boolean(), z.null()],
  typed('a string, number, boolean or null'),
);

const properties = (maxJsonLength: number, reservedKeys: readonly string[] = []) =>
  z
    .record(z.string().min(1, 'keys must not be empty'), propertyValue, typed('an object'))
    .superRefine((value, ctx) => {
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
          ctx.addIssue({ code: 'custom', message: `key "${key}" is reserved (${reservedKeys.join(', ')})` });
        }
      }
    });

/** Epoch seconds, milliseconds mistaken for seconds rejected; accepts a Date or a number. */
export const epochSecondsDate = z
  .union([z.date(), z.number()], typed('a Date or Unix epoch seconds'))
  .transform((value, ctx) => {
    const seconds = value instanceof Date ? value.getTime() / 1000 : value;
    if (!Number.isFinite(seconds) || seconds < 0) {
      ctx.addIssue({ code: 'custom', message: 'must be a valid time in Unix epoch seconds' });
      return z.NEVER;
    }
    if (seconds > LIMITS.maxEpochSeconds) {
      ctx.addIssue({
        code: 'custom',
        message: `must be Unix epoch seconds; ${seconds} looks like milliseconds (above ${LIMITS.maxEpochSeconds})`,
      });
      return z.NEVER;
    }
    return new Date(seconds * 1000);
  });

export const interactionEventSchema = z
  .object(
    {
      eventId: id.optional(),
      eventType: id,
      eventValue: z.number(typed('a finite number')).optional(),
      itemId: id.optional(),
      properties: properties(LIMITS.propertiesLength.event, LIMITS.reservedEventPropertyKeys).optional(),
      sentAt: epochSecondsDate,
      recommendationId: boundedString(LIMITS.recommendationIdLength).optional(),
      impression: z
        .array(id, typed('an array of item ids'))
        .min(LIMITS.impression.min, `must hold ${LIMITS.impression.min} to ${LIMITS.impression.max} item ids`)
        .max(LIMITS.impression.max, `must hold ${LIMITS.impression.min} to ${LIMITS.impression.max} item ids`)
        .optional(),
    },
    typed('an event object'),
  )
  .strict();

export const putEventsSchema = z
  .object({
    sessionId: id,
    userId: id.optional(),
    eventList: z
      .array(interactionEventSchema, typed('an array of events'))
      .min(LIMITS.eventList.min, `must hold ${LIMITS.eventList.min} to ${LIMITS.eventList.max} events`)
      .max(LIMITS.eventList.max, `must hold ${LIMITS.eventList.min} to ${LIMITS.eventList.max} events`),
  })
  .strict();

const records = <T extends z.ZodType>(record: T, what: string) =>
  z
    .array(record, typed(`an array of ${what}`))
    .min(LIMITS.putRecords.min, `must hold ${LIMITS.putRecords.min} to ${LIMITS.putRecords.max} ${what}`)
    .max(LIMITS.putRecords.max, `must hold ${LIMITS.putRecords.min} to ${LIMITS.putRecords.max} ${what}`);

export const putItemsSchema = z
  .object({
    items: records(
      z
        .object(
          { itemId: id, properties: properties(LIMITS.propertiesLength.item).optional() },
          typed('an object'),
        )
        .strict(),
      'items',
    ),
  })
  .strict();

export const putUsersSchema = z
  .object({
    users: records(
      z
        .object(
          { userId: id, properties: properties(LIMITS.propertiesLength.user).optional() },
          typed('an object'),
        )
        .strict(),
      'users',
    ),
  })
  .strict();

/** Turns zod's issues into the contract's field issues (`eventList.3.itemId: must be 1 to 256 characters`). */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(request)',
    message: messageOf(issue),
  }));
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_key') return issue.issues.map((i) => i.message).join('; ');
  return issue.message;
}

/** Parses `input` with `schema`, or throws InvalidInputError naming every bad field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidInputError([{ field: '(request)', message: 'must be an object' }]);
  }
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidInputError(toFieldIssues(result.error));
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
