import type * as z from 'zod/mini';
import { featureBatchRequestSchema } from '../features/read-api.ts';
import {
  eventsBody,
  featuresQuery,
  historyQuery,
  itemPathParams,
  popularQuery,
  rankingsRequest,
  recommendationsQuery,
  similarItemsQuery,
  userPathParams,
  usersQuery,
} from '../serving/http/schemas.ts';
import {
  featureBatchResponse,
  featuresResponse,
  historyResponse,
  ingestionResponse,
  recommendationsResponse,
  usersResponse,
} from './responses.ts';

/**
 * The HTTP API's one route manifest. The Lambdas route by it (lambdas/shared/api-handler.ts), the CDK app
 * builds API Gateway's resources and methods from it (cdk/lib/serving-api.ts), the local server picks the
 * Lambda by it and the OpenAPI document is generated from it (src/local-server/openapi.ts). It imports only
 * zod schemas, so the CDK app can load it without Lambda runtime code.
 *
 * Adding a route: its zod schemas (src/serving/http/schemas.ts, `.meta({ description })` for the document; a
 * new reply shape in ./responses.ts), one entry below (appended, so API Gateway's existing logical ids stay),
 * and one implementation under the same id in its Lambda's handler. API Gateway, the local server's routing
 * and the OpenAPI document follow from the entry.
 */

export type LambdaName = 'recommend' | 'events';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface RouteReply {
  readonly description: string;
  readonly schema: z.ZodMiniType;
}

export interface RouteSpec {
  readonly method: HttpMethod;
  /** A path template: `{name}` is a path parameter, declared in `params`. */
  readonly path: string;
  /** The Lambda behind the route in the cloud and in `npm start`. */
  readonly lambda: LambdaName;
  readonly summary: string;
  readonly description?: string;
  /** Path parameters, one member per `{name}` of the path. */
  readonly params?: z.ZodMiniObject;
  /** Query parameters; a member that does not accept undefined is required (API Gateway checks it too). */
  readonly query?: z.ZodMiniObject;
  /** A JSON object body; when set the body is required and parsed before the implementation runs. */
  readonly body?: z.ZodMiniType;
  /** Success (and route-specific) replies by status; the usual errors are added by the document. */
  readonly replies: Readonly<Record<number, RouteReply>>;
}

const recommendations = (description: string): Record<number, RouteReply> => ({
  200: { description, schema: recommendationsResponse },
});

/** In API Gateway's order of creation, which keeps the deployment's logical id stable. */
export const API_ROUTES = {
  getRecommendations: {
    method: 'GET',
    path: '/recommendations',
    lambda: 'recommend',
    summary: 'Items for a user (User-Personalization)',
    query: recommendationsQuery,
    replies: recommendations('Items, best first, and the engine that answered.'),
  },
  getSimilarItems: {
    method: 'GET',
    path: '/items/{itemId}/similar',
    lambda: 'recommend',
    summary: 'Items similar to an item (SIMS)',
    params: itemPathParams,
    query: similarItemsQuery,
    replies: recommendations('Similar items, best first, and the engine that answered.'),
  },
  getPopular: {
    method: 'GET',
    path: '/popular',
    lambda: 'recommend',
    summary: 'Popular and trending items, optionally within a category (local model)',
    query: popularQuery,
    replies: recommendations('Popular items, best first.'),
  },
  rankItems: {
    method: 'POST',
    path: '/rankings',
    lambda: 'recommend',
    summary: 'Reorder items for a user (Personalized-Ranking)',
    body: rankingsRequest,
    replies: recommendations('The given items, best first.'),
  },
  recordEvents: {
    method: 'POST',
    path: '/events',
    lambda: 'events',
    summary:
      "Record a session's events (split into PutEvents calls of 10, retried, dead-lettered on failure)",
    description:
      'Safe to resend: events without an eventId get one derived from their content, so a resent batch is not counted twice.',
    body: eventsBody,
    replies: {
      200: { description: 'Every event was stored.', schema: ingestionResponse },
      202: { description: 'Some events were queued for replay; none lost.', schema: ingestionResponse },
      503: {
        description: 'Some events were neither stored nor queued: resend the batch.',
        schema: ingestionResponse,
      },
    },
  },
  listUsers: {
    method: 'GET',
    path: '/users',
    lambda: 'recommend',
    summary: "The local model's users, optionally by id prefix (for the explorer page)",
    query: usersQuery,
    replies: { 200: { description: 'User ids.', schema: usersResponse } },
  },
  getUserHistory: {
    method: 'GET',
    path: '/users/{userId}/history',
    lambda: 'recommend',
    summary: "A user's interactions the local model scores with, newest first",
    params: userPathParams,
    query: historyQuery,
    replies: { 200: { description: 'Interactions, newest first.', schema: historyResponse } },
  },
  getUserFeatures: {
    method: 'GET',
    path: '/users/{userId}/features',
    lambda: 'recommend',
    summary: "A user's online features (recent items, windowed counts, session, last seen)",
    params: userPathParams,
    query: featuresQuery,
    replies: { 200: { description: 'The features, or NOT_FOUND.', schema: featuresResponse } },
  },
  getItemFeatures: {
    method: 'GET',
    path: '/items/{itemId}/features',
    lambda: 'recommend',
    summary: "An item's online features (windowed counts, decayed popularity, last interaction)",
    params: itemPathParams,
    query: featuresQuery,
    replies: { 200: { description: 'The features, or NOT_FOUND.', schema: featuresResponse } },
  },
  readFeatureBatch: {
    method: 'POST',
    path: '/features/batch',
    lambda: 'recommend',
    summary: 'Online features of several users and items in one call',
    description:
      'Like an online feature store read: every answer is 200, and an entity without live events comes back as NOT_FOUND.',
    body: featureBatchRequestSchema,
    replies: { 200: { description: 'One row per entity, in request order.', schema: featureBatchResponse } },
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteId = keyof typeof API_ROUTES;

/** The ids of the routes one Lambda serves. */
export type RouteIdOf<L extends LambdaName> = {
  [K in RouteId]: (typeof API_ROUTES)[K]['lambda'] extends L ? K : never;
}[RouteId];

export interface ApiRoute extends RouteSpec {
  readonly id: RouteId;
}

/** Every route, in manifest order. */
export const API_ROUTE_LIST: readonly ApiRoute[] = Object.entries(API_ROUTES).map(
  ([id, spec]) => ({ id: id as RouteId, ...spec }) as ApiRoute,
);

export const routesOf = (lambda: LambdaName): ApiRoute[] =>
  API_ROUTE_LIST.filter((route) => route.lambda === lambda);

/** The `{name}`s of a path template, in order. */
export const pathParamNames = (path: string): string[] =>
  [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');

/** Query parameters a request must carry. */
export const requiredQueryParams = (route: RouteSpec): string[] =>
  Object.entries(route.query?.shape ?? {})
    .filter(([, member]) => !(member as z.ZodMiniType).safeParse(undefined).success)
    .map(([name]) => name);

/** Whether the route takes a JSON object body (then it is required). */
export const requiresJsonBody = (route: RouteSpec): boolean => route.body !== undefined;
