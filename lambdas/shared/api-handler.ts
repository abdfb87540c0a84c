import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  type ApiRoute,
  type LambdaName,
  type RouteId,
  type RouteIdOf,
  requiresJsonBody,
  routesOf,
} from '../../src/api/routes.ts';
import { InvalidInputError } from '../../src/errors.ts';
import {
  type CorsPolicy,
  createRouter,
  DEFAULT_CORS,
  errorBody,
  httpStatusOf,
  jsonReply,
  methodNotAllowedReply,
  parseJsonBody,
  preflightReply,
  requestIdOf,
  routesByPath,
} from '../../src/serving/http/index.ts';

/** What a route sees of the request. */
export interface ApiRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** The parsed JSON object when the manifest gives the route a body (then it is required); else undefined. */
  readonly body: unknown;
  readonly requestId: string;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export type RouteHandler = (request: ApiRequest) => Promise<ApiAnswer>;

export type ProxyHandler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;

/** One implementation per manifest route (src/api/routes.ts) the Lambda serves: no more, no fewer. */
export type RouteImplementations<L extends LambdaName> = { readonly [K in RouteIdOf<L>]: RouteHandler };

/** A Lambda's handler, telling which manifest routes it serves. */
export type ApiProxyHandler = ProxyHandler & { readonly routes: readonly RouteId[] };

export interface ApiHandlerOptions<L extends LambdaName> {
  readonly lambda: L;
  readonly implementations: RouteImplementations<L>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** @default DEFAULT_CORS (any origin) */
  readonly cors?: CorsPolicy;
}

/** Query parameters, each given once: a repeated one is ambiguous, so it is refused by name. */
function queryOf(event: APIGatewayProxyEvent): Record<string, string> {
  const repeated = Object.entries(event.multiValueQueryStringParameters ?? {})
    .filter(([, values]) => (values?.length ?? 0) > 1)
    .map(([name]) => ({ field: name, message: 'must be given once' }));
  if (repeated.length > 0) throw new InvalidInputError(repeated);
  // fromEntries defines own properties, so `__proto__` or `constructor` reach validation as the names they are.
  return Object.fromEntries(
    Object.entries(event.queryStringParameters ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
}

interface BoundRoute {
  readonly method: string;
  readonly path: string;
  readonly route: ApiRoute;
  readonly implementation: RouteHandler;
}

/** Pairs the Lambda's manifest routes with their implementations; a missing or stray one is a wiring bug. */
function bindRoutes(
  lambda: LambdaName,
  implementations: Readonly<Record<string, RouteHandler>>,
): BoundRoute[] {
  const routes = routesOf(lambda);
  const missing = routes.filter((route) => !Object.hasOwn(implementations, route.id)).map((r) => r.id);
  const stray = Object.keys(implementations).filter((id) => !routes.some((route) => route.id === id));
  if (missing.length > 0 || stray.length > 0) {
    throw new Error(
      `the ${lambda} Lambda's implementations do not match the route manifest: missing [${missing.join(', ')}], not in the manifest for ${lambda} [${stray.join(', ')}]`,
    );
  }
  return routes.map((route) => ({
    method: route.method,
    path: route.path,
    route,
    implementation: implementations[route.id] as RouteHandler,
  }));
}

/**
 * The API Gateway (REST, proxy integration) edge shared by the Lambdas: request id, routing with 404/405,
 * CORS preflight, the one error-to-status mapping, a log line and latency metric per request.
 */
export function createApiHandler<L extends LambdaName>(options: ApiHandlerOptions<L>): ApiProxyHandler {
  const bound = bindRoutes(options.lambda, options.implementations);
  const route = createRouter(routesByPath(bound));
  const cors = options.cors ?? DEFAULT_CORS;
  const { logger, metrics } = options;

  const handler: ProxyHandler = async (event, context) => {
    const started = performance.now();
    const requestId = requestIdOf(event.headers, event.requestContext?.requestId, context?.awsRequestId);
    logger.appendKeys({ requestId });
    let reply: APIGatewayProxyResult;
    let failure: unknown;
    try {
      const match = route(event.httpMethod, event.path);
      if (match.kind === 'not-found') {
        reply = jsonReply(404, { message: `no route for ${event.path}` }, requestId, cors);
      } else if (event.httpMethod === 'OPTIONS') {
        reply = preflightReply(match.allow, requestId, cors);
      } else if (match.kind === 'method-not-allowed') {
        reply = methodNotAllowedReply(event.httpMethod, [...match.allow, 'OPTIONS'], requestId, cors);
      } else {
        const query = queryOf(event);
        const rawBody =
          event.isBase64Encoded && event.body
            ? Buffer.from(event.body, 'base64').toString('utf8')
            : event.body;
        const answer = await match.handler.implementation({
          params: match.params,
          query,
          body: requiresJsonBody(match.handler.route) ? parseJsonBody(rawBody) : undefined,
          requestId,
        });
        reply = jsonReply(answer.status, answer.body, requestId, cors);
      }
    } catch (error) {
      failure = error;
      reply = jsonReply(httpStatusOf(error), { ...errorBody(error, requestId) }, requestId, cors);
    }
    const latencyMs = performance.now() - started;
    const line = { method: event.httpMethod, path: event.path, status: reply.statusCode, latencyMs };
    if (reply.statusCode >= 500) logger.error('request failed', { ...line, error: failure });
    else logger.info('request', line);
    metrics.addMetric('Latency', MetricUnit.Milliseconds, latencyMs);
    if (reply.statusCode >= 500) metrics.addMetric('ServerError', MetricUnit.Count, 1);
    else if (reply.statusCode >= 400) metrics.addMetric('ClientError', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    logger.removeKeys(['requestId']);
    return reply;
  };
  return Object.assign(handler, { routes: bound.map(({ route }) => route.id) });
}
