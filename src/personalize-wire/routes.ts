import * as z from 'zod/mini';
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

const arn = z.string().check(
  z.maxLength(256),
  z.regex(/^arn:([a-z\d-]+):personalize:.*:.*:.+$/),
  z.meta({
    description: 'A Personalize ARN; only its resource name is matched, so any region and account work.',
  }),
);

/** `properties` travels as JSON text (§1.1). */
const jsonText = (max: number) =>
  z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(max),
      z.meta({ description: 'A JSON object as text, e.g. "{\\"numberOfRatings\\":\\"12\\"}".' }),
    );

const recommend = getRecommendationsSchema.shape;
const metadataColumns = z
  .strictObject({ ITEMS: recommend.metadataColumns.def.innerType })
  .check(z.meta({ description: 'Item columns to return with each item; only the ITEMS key.' }));

const readMembers = {
  context: recommend.context,
  filterArn: z.optional(arn),
  filterValues: recommend.filterValues,
  metadataColumns: z.optional(metadataColumns),
};

const predictedItems = z.array(
  z.object({
    itemId: z.string(),
    score: z.optional(z.number()),
    metadata: z.optional(z.record(z.string(), z.string())),
  }),
);

const wireEvent = z.extend(interactionEventSchema, {
  properties: z.optional(jsonText(LIMITS.propertiesLength.event)),
  sentAt: z
    .number()
    .check(z.meta({ description: 'Unix epoch seconds (fraction allowed; milliseconds are rejected).' })),
  metricAttribution: z.optional(
    z.strictObject({ eventAttributionSource: z.string().check(z.minLength(1), z.maxLength(1024)) }),
  ),
});

const records = <T extends z.core.SomeType>(record: T) =>
  z.array(record).check(z.minLength(LIMITS.putRecords.min), z.maxLength(LIMITS.putRecords.max));

const empty = z.strictObject({}).check(z.meta({ description: 'No output members.' }));

export interface WireRouteSpec {
  /** The restJson1 path; the method is always POST. */
  readonly path: string;
  readonly service: 'personalize-runtime' | 'personalize-events';
  readonly summary: string;
  readonly request: z.ZodMiniType;
  readonly response: z.ZodMiniType;
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
      .strictObject({
        campaignArn: z.optional(arn),
        recommenderArn: z.optional(arn),
        itemId: z.optional(getSimilarItemsSchema.shape.itemId),
        userId: z.optional(recommend.userId),
        numResults: recommend.numResults,
        ...readMembers,
      })
      .check(
        z.meta({ description: 'Give campaignArn or recommenderArn; promotions are not supported locally.' }),
      ),
    response: z.object({ itemList: predictedItems, recommendationId: z.string() }),
    errors: [400, 404],
  },
  GetPersonalizedRanking: {
    path: '/personalize-ranking',
    service: 'personalize-runtime',
    summary: 'GetPersonalizedRanking: reorder inputList for a user (personalized-ranking campaign)',
    request: z.strictObject({
      campaignArn: arn,
      userId: getPersonalizedRankingSchema.shape.userId,
      inputList: getPersonalizedRankingSchema.shape.inputList,
      ...readMembers,
    }),
    response: z.object({ personalizedRanking: predictedItems, recommendationId: z.string() }),
    errors: [400, 404],
  },
  PutEvents: {
    path: '/events',
    service: 'personalize-events',
    summary: "PutEvents: record a session's events with the event tracker's trackingId",
    request: z.strictObject({
      trackingId: z.string().check(z.minLength(1), z.maxLength(LIMITS.idLength)),
      userId: putEventsSchema.shape.userId,
      sessionId: putEventsSchema.shape.sessionId,
      eventList: z
        .array(wireEvent)
        .check(z.minLength(LIMITS.eventList.min), z.maxLength(LIMITS.eventList.max)),
    }),
    response: empty,
    errors: [400],
  },
  PutItems: {
    path: '/items',
    service: 'personalize-events',
    summary: 'PutItems: add or replace items of the ITEMS dataset',
    request: z.strictObject({
      datasetArn: arn,
      items: records(
        z.strictObject({
          itemId: putItemsSchema.shape.items.def.element.shape.itemId,
          properties: z.optional(jsonText(LIMITS.propertiesLength.item)),
        }),
      ),
    }),
    response: empty,
    errors: [400, 404, 409],
  },
  PutUsers: {
    path: '/users',
    service: 'personalize-events',
    summary: 'PutUsers: add or replace users of the USERS dataset',
    request: z.strictObject({
      datasetArn: arn,
      users: records(
        z.strictObject({
          userId: putUsersSchema.shape.users.def.element.shape.userId,
          properties: z.optional(jsonText(LIMITS.propertiesLength.user)),
        }),
      ),
    }),
    response: empty,
    errors: [400, 404, 409],
  },
} as const satisfies Record<string, WireRouteSpec>;

export type WireOperationName = keyof typeof WIRE_ROUTES;

/** The restJson1 error envelope (§1.4); the type is in the `x-amzn-errortype` header too. */
export const wireErrorResponse = z.object({
  __type: z.string().check(z.meta({ description: 'InvalidInputException, ResourceNotFoundException, …' })),
  message: z.string(),
});

/** The operation a POST to `path` calls, if any. */
export function wireOperationAt(path: string): WireOperationName | undefined {
  return (Object.keys(WIRE_ROUTES) as WireOperationName[]).find((name) => WIRE_ROUTES[name].path === path);
}
