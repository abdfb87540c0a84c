import * as z from 'zod';
import { LIMITS } from '../recommender/limits.ts';
import {
  getPersonalizedRankingSchema,
  getRecommendationsSchema,
  getSimilarItemsSchema,
  interactionEventSchema,
  putEventsSchema,
  putItemsSchema,
  putUsersSchema,
} from '../recommender/request-validation.ts';

/**
 * The Personalize Runtime and Events operations the local server answers (restJson1, all POST, §1.2–1.3 of
 * personalize-reference.md), with their JSON shapes as zod schemas for the OpenAPI document. The operations
 * themselves (operations.ts) keep their own checks, which report errors as Personalize does; these schemas
 * describe what they accept, built from the contract's schemas so the limits are the engine's.
 */

const arn = z
  .string()
  .max(256)
  .regex(/^arn:([a-z\d-]+):personalize:.*:.*:.+$/)
  .meta({
    description: 'A Personalize ARN; only its resource name is matched, so any region and account work.',
  });

/** `properties` travels as JSON text (§1.1). */
const jsonText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .meta({ description: 'A JSON object as text, e.g. "{\\"numberOfRatings\\":\\"12\\"}".' });

const recommend = getRecommendationsSchema.shape;
const metadataColumns = z
  .object({ ITEMS: recommend.metadataColumns.unwrap() })
  .strict()
  .meta({ description: 'Item columns to return with each item; only the ITEMS key.' });

const readMembers = {
  context: recommend.context,
  filterArn: arn.optional(),
  filterValues: recommend.filterValues,
  metadataColumns: metadataColumns.optional(),
};

const predictedItems = z.array(
  z.object({
    itemId: z.string(),
    score: z.number().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
  }),
);

const wireEvent = interactionEventSchema.extend({
  properties: jsonText(LIMITS.propertiesLength.event).optional(),
  sentAt: z
    .number()
    .meta({ description: 'Unix epoch seconds (fraction allowed; milliseconds are rejected).' }),
  metricAttribution: z
    .object({ eventAttributionSource: z.string().min(1).max(1024) })
    .strict()
    .optional(),
});

const records = <T extends z.ZodType>(record: T) =>
  z.array(record).min(LIMITS.putRecords.min).max(LIMITS.putRecords.max);

const empty = z.object({}).strict().meta({ description: 'No output members.' });

export interface WireRouteSpec {
  /** The restJson1 path; the method is always POST. */
  readonly path: string;
  readonly service: 'personalize-runtime' | 'personalize-events';
  readonly summary: string;
  readonly request: z.ZodType;
  readonly response: z.ZodType;
  /** Error statuses besides 500, as the service declares them (§1.4). */
  readonly errors: readonly number[];
}

export const WIRE_ROUTES = {
  GetRecommendations: {
    path: '/recommendations',
    service: 'personalize-runtime',
    summary:
      'GetRecommendations: a user-personalization campaign needs userId, a similar-items campaign itemId',
    request: z
      .object({
        campaignArn: arn.optional(),
        recommenderArn: arn.optional(),
        itemId: getSimilarItemsSchema.shape.itemId.optional(),
        userId: recommend.userId.optional(),
        numResults: recommend.numResults,
        ...readMembers,
      })
      .strict()
      .meta({ description: 'Give campaignArn or recommenderArn; promotions are not supported locally.' }),
    response: z.object({ itemList: predictedItems, recommendationId: z.string() }),
    errors: [400, 404],
  },
  GetPersonalizedRanking: {
    path: '/personalize-ranking',
    service: 'personalize-runtime',
    summary: 'GetPersonalizedRanking: reorder inputList for a user (personalized-ranking campaign)',
    request: z
      .object({
        campaignArn: arn,
        userId: getPersonalizedRankingSchema.shape.userId,
        inputList: getPersonalizedRankingSchema.shape.inputList,
        ...readMembers,
      })
      .strict(),
    response: z.object({ personalizedRanking: predictedItems, recommendationId: z.string() }),
    errors: [400, 404],
  },
  PutEvents: {
    path: '/events',
    service: 'personalize-events',
    summary: "PutEvents: record a session's events with the event tracker's trackingId",
    request: z
      .object({
        trackingId: z.string().min(1).max(LIMITS.idLength),
        userId: putEventsSchema.shape.userId,
        sessionId: putEventsSchema.shape.sessionId,
        eventList: z.array(wireEvent).min(LIMITS.eventList.min).max(LIMITS.eventList.max),
      })
      .strict(),
    response: empty,
    errors: [400],
  },
  PutItems: {
    path: '/items',
    service: 'personalize-events',
    summary: 'PutItems: add or replace items of the ITEMS dataset',
    request: z
      .object({
        datasetArn: arn,
        items: records(
          z
            .object({
              itemId: putItemsSchema.shape.items.element.shape.itemId,
              properties: jsonText(LIMITS.propertiesLength.item).optional(),
            })
            .strict(),
        ),
      })
      .strict(),
    response: empty,
    errors: [400, 404, 409],
  },
  PutUsers: {
    path: '/users',
    service: 'personalize-events',
    summary: 'PutUsers: add or replace users of the USERS dataset',
    request: z
      .object({
        datasetArn: arn,
        users: records(
          z
            .object({
              userId: putUsersSchema.shape.users.element.shape.userId,
              properties: jsonText(LIMITS.propertiesLength.user).optional(),
            })
            .strict(),
        ),
      })
      .strict(),
    response: empty,
    errors: [400, 404, 409],
  },
} as const satisfies Record<string, WireRouteSpec>;

export type WireOperationName = keyof typeof WIRE_ROUTES;

/** The restJson1 error envelope (§1.4); the type is in the `x-amzn-errortype` header too. */
export const wireErrorResponse = z.object({
  __type: z.string().meta({ description: 'InvalidInputException, ResourceNotFoundException, …' }),
  message: z.string(),
});

/** The operation a POST to `path` calls, if any. */
export function wireOperationAt(path: string): WireOperationName | undefined {
  return (Object.keys(WIRE_ROUTES) as WireOperationName[]).find((name) => WIRE_ROUTES[name].path === path);
}
