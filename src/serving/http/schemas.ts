import * as z from 'zod/mini';
import { type FieldIssue, InvalidInputError } from '../../errors.ts';
import { jsonObjectBody } from '../../recommender/json-body.ts';
import { LIMITS } from '../../recommender/limits.ts';
import {
  getPersonalizedRankingSchema,
  interactionEventSchema,
  putEventsSchema,
  toFieldIssues,
} from '../../recommender/request-validation.ts';
import { described, rejectInTransform } from '../../recommender/schema-helpers.ts';
import type {
  GetPersonalizedRankingRequest,
  GetRecommendationsRequest,
  GetSimilarItemsRequest,
  PutEventsRequest,
} from '../../recommender/types.ts';
import type { HistoryRequest, PopularRequest, UsersRequest } from '../local-engine.ts';

/**
 * The HTTP API's query strings and bodies. They only turn text into the contract's types; the limits are
 * checked once, by the recommender (src/recommender/validate.ts), whose field names the API keeps.
 */

/** A batch of one session's events for `POST /events`; split into PutEvents calls of 10. */
export const MAX_EVENTS_PER_REQUEST = 100;

export const text = z.string({
  error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string'),
});

/** Any count of digits: a number too large for the range gets the range's message, not "must be an integer". */
const integerText = z.pipe(
  text.check(z.regex(/^-?\d+$/, 'must be an integer')),
  z.transform((value: string) => Number(value)),
);

/** `filterValues` and `context` arrive as JSON text in the query string. */
const jsonObjectText = z.pipe(
  text,
  z.transform((value: string, ctx) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return rejectInTransform(
        ctx,
        value,
        'must be a JSON object of strings, e.g. {"GENRES":"\\"comedy\\""}',
      );
    return parsed as Record<string, string>;
  }),
);

/** `metadataColumns=GENRES,TITLE`. */
const commaList = z.pipe(
  text,
  z.transform((value: string) => value.split(',')),
);

const optionalText = (description: string) => described(z.optional(text), description);

// Descriptions feed the generated OpenAPI document (src/local-server/openapi.ts).
const readQuery = {
  numResults: described(
    z.optional(integerText),
    `Items to return, ${LIMITS.numResults.min} to ${LIMITS.numResults.max}.`,
  ),
  filter: optionalText('Name (or ARN) of a filter configured for the deployment.'),
  filterValues: described(
    z.optional(jsonObjectText),
    'JSON object of placeholder values, Personalize encoding: {"CATEGORY":"\\"shoes\\""}.',
  ),
  context: described(
    z.optional(jsonObjectText),
    'JSON object of contextual metadata, e.g. {"DEVICE":"mobile"}.',
  ),
  metadataColumns: described(
    z.optional(commaList),
    'Comma-separated item columns to return with each item, e.g. GENRES,TITLE.',
  ),
};

export const recommendationsQuery = z.strictObject({ userId: described(text, 'The user.'), ...readQuery });
export const similarItemsQuery = z.strictObject({
  userId: optionalText('Needed only by filters that refer to the user.'),
  ...readQuery,
});
export const itemPathParams = z.strictObject({ itemId: described(text, 'The item.') });

/** Accepts any member types: the recommender checks them, so its field names and limits are the API's. */
const rankingsBody = z.strictObject({
  userId: z.optional(z.unknown()),
  itemIds: z.optional(z.unknown()),
  context: z.optional(z.unknown()),
  filter: z.optional(z.unknown()),
  filterValues: z.optional(z.unknown()),
  metadataColumns: z.optional(z.unknown()),
});

/** What `POST /rankings` accepts, as the recommender checks it (`itemIds` is the contract's inputList). */
export const rankingsRequest = (() => {
  const { inputList, ...rest } = getPersonalizedRankingSchema.shape;
  return z.strictObject({ ...rest, itemIds: inputList });
})();

const numResultsRange = `must be ${LIMITS.numResults.min} to ${LIMITS.numResults.max}`;

export const popularQuery = z.strictObject({
  category: described(
    z.optional(
      text.check(
        z.minLength(1, `must be 1 to ${LIMITS.idLength} characters`),
        z.maxLength(LIMITS.idLength, `must be 1 to ${LIMITS.idLength} characters`),
      ),
    ),
    'Only items of this category.',
  ),
  numResults: described(
    z.optional(
      z.pipe(
        integerText,
        z
          .number()
          .check(
            z.gte(LIMITS.numResults.min, numResultsRange),
            z.lte(LIMITS.numResults.max, numResultsRange),
          ),
      ),
    ),
    `Items to return, ${LIMITS.numResults.min} to ${LIMITS.numResults.max}.`,
  ),
});

const numResultsText = described(
  z.optional(integerText),
  `Entries to return, ${LIMITS.numResults.min} to ${LIMITS.numResults.max}.`,
);

export const usersQuery = z.strictObject({
  prefix: optionalText('Only user ids starting with this text.'),
  numResults: numResultsText,
});
export const userPathParams = z.strictObject({ userId: described(text, 'The user.') });
export const historyQuery = z.strictObject({
  numResults: numResultsText,
  metadataColumns: readQuery.metadataColumns,
});

/** The feature names arrive as comma-separated text; src/features/read-api.ts checks each one. */
export const featuresQuery = z.strictObject({
  features: optionalText(
    'Comma-separated feature names, e.g. recent_items,last_seen. Default: every feature.',
  ),
});

export const eventsBody = z.strictObject({
  sessionId: putEventsSchema.shape.sessionId,
  userId: putEventsSchema.shape.userId,
  events: z
    .array(interactionEventSchema, { error: 'must be an array of events' })
    .check(
      z.minLength(1, `must hold 1 to ${MAX_EVENTS_PER_REQUEST} events`),
      z.maxLength(MAX_EVENTS_PER_REQUEST, `must hold 1 to ${MAX_EVENTS_PER_REQUEST} events`),
    ),
});

/** An unknown parameter is named by itself rather than lumped under the request. */
function issuesOf(error: z.core.$ZodError): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const prefix = issue.path.length > 0 ? `${issue.path.join('.')}.` : '';
      for (const key of issue.keys)
        issues.push({ field: `${prefix}${key}`, message: 'is not a known field' });
    } else {
      issues.push(...toFieldIssues([issue]));
    }
  }
  return issues;
}

function parse<T extends z.ZodMiniType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidInputError(issuesOf(result.error));
  return result.data;
}

/** Drops absent optional members, so requests carry only what the caller gave. */
function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export const parseRecommendationsQuery = (query: Record<string, string>): GetRecommendationsRequest =>
  defined(parse(recommendationsQuery, query));

export const parseSimilarItemsQuery = (
  itemId: string,
  query: Record<string, string>,
): GetSimilarItemsRequest => defined({ itemId, ...parse(similarItemsQuery, query) });

export const parsePopularQuery = (query: Record<string, string>): PopularRequest =>
  defined(parse(popularQuery, query));

export const parseUsersQuery = (query: Record<string, string>): UsersRequest =>
  defined(parse(usersQuery, query));

/** Unknown parameters are refused by name here; the feature names themselves are checked by read-api. */
export const parseFeaturesQuery = (query: Record<string, string>): { features?: string } =>
  defined(parse(featuresQuery, query));

export const parseHistoryQuery = (userId: string, query: Record<string, string>): HistoryRequest =>
  defined({ userId, ...parse(historyQuery, query) });

/** `{ userId, itemIds, context?, filter?, filterValues?, metadataColumns? }`; the contract calls itemIds inputList. */
export function parseRankingsBody(body: unknown): GetPersonalizedRankingRequest {
  const { itemIds, ...rest } = parse(rankingsBody, body);
  return defined({ ...rest, inputList: itemIds }) as unknown as GetPersonalizedRankingRequest;
}

/** The contract reports `inputList`; the HTTP API calls it `itemIds`. */
export function renameRankingFields(error: InvalidInputError): InvalidInputError {
  return new InvalidInputError(
    error.issues.map((issue) => ({ ...issue, field: issue.field.replace(/^inputList\b/, 'itemIds') })),
    { cause: error },
  );
}

export interface EventsBatch {
  readonly sessionId: string;
  readonly userId?: string;
  readonly events: PutEventsRequest['eventList'];
}

export const parseEventsBody = (body: unknown): EventsBatch => defined(parse(eventsBody, body));

/** A request body as a JSON object, or a 400 naming the body. */
export function parseJsonBody(body: string | null): unknown {
  if (body === null || body.trim().length === 0) {
    throw new InvalidInputError([{ field: '(body)', message: 'is required: a JSON object' }]);
  }
  return jsonObjectBody(body);
}
