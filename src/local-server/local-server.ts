import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { API_ROUTE_LIST, type LambdaName } from '../api/routes.ts';
import {
  DEFAULT_WIRE_CONFIG,
  handleWireRequest,
  WIRE_ROUTES,
  type WireConfig,
  type WireOperationName,
  type WireTargets,
  wireOperationAt,
} from '../personalize-wire/index.ts';
import type { Recommender } from '../recommender/types.ts';
import { createRouter, routesByPath } from '../serving/http/router.ts';
import { localLambdaContext, toApiGatewayEvent } from './api-gateway-event.ts';
import { explorerFile } from './explorer.ts';
import { WIRE_ONLY_MEMBERS } from './shared-paths.ts';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface LocalServerOptions {
  /** Each Lambda's handler; the route manifest (src/api/routes.ts) says which one serves a request. */
  readonly handlers: Readonly<Record<LambdaName, ProxyHandler>>;
  /** Engine behind the Personalize-compatible endpoint. */
  readonly wireRecommender: Recommender;
  /** @default DEFAULT_WIRE_CONFIG */
  readonly wireConfig?: WireConfig;
  /** Served at `GET /openapi.json`. */
  readonly openApi: object;
  /** Request bodies above this size get 413. @default 1 MiB */
  readonly maxBodyBytes?: number;
  /** Answers `POST /` with `X-Amz-Target` (Personalize's control plane, awsJson1_1). @default - none (404-style reply) */
  readonly controlPlane?: ControlPlaneHandler;
  /** Where the Personalize-compatible endpoint finds campaigns, trackers and datasets. @default - the names of `wireConfig`, all on `wireRecommender` */
  readonly wireTargets?: readonly WireTargets[];
}

/** One awsJson1_1 call: the `X-Amz-Target` header and the raw body in, the reply out. */
export type ControlPlaneHandler = (
  target: string | undefined,
  body: string,
) => Promise<{ status: number; headers: Readonly<Record<string, string>>; body: string }>;

function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3): nothing to await. */
function hasBody(request: IncomingMessage): boolean {
  return (
    request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined
  );
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  response.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

/** Per operation sharing its path with the HTTP API: a body naming one of its own members is a wire call. */
const WIRE_CALL_MARKERS = new Map<string, RegExp>(
  Object.entries(WIRE_ONLY_MEMBERS).map(([name, members]) => [
    WIRE_ROUTES[name as WireOperationName].path,
    new RegExp(`"(${(members ?? []).join('|')})"\\s*:`),
  ]),
);

/** A POST from the AWS SDK to a path the HTTP API serves too carries the operation's own members. */
function isWireCall(path: string, body: string): boolean {
  if (wireOperationAt(path) === undefined) return false;
  return WIRE_CALL_MARKERS.get(path)?.test(body) ?? true;
}

const lambdaRoute = createRouter(routesByPath(API_ROUTE_LIST));

/**
 * The Lambda a request goes to, as API Gateway would send it. A path no route has goes to the recommend
 * Lambda, whose 404 is the API's; a known path with another method goes to that path's Lambda, for its 405.
 */
function lambdaOf(method: string, path: string): LambdaName {
  try {
    const match = lambdaRoute(method, path);
    if (match.kind === 'found') return match.handler.lambda;
    if (match.kind === 'method-not-allowed') {
      return API_ROUTE_LIST.find((route) => route.path === match.path)?.lambda ?? 'recommend';
    }
  } catch {
    // A badly encoded path segment: the Lambda reports it as the 400 it is.
  }
  return 'recommend';
}

/**
 * The local HTTP server behind `npm start`: API Gateway-shaped events to the same Lambda handlers as in the
 * cloud, plus Personalize Runtime/Events operations on the same paths for SDK and CLI clients, and the
 * explorer page at `/` for browsers (src/local-server/explorer/, which uses only the HTTP API).
 */
export function createLocalServer(options: LocalServerOptions): Server {
  const wireConfig = options.wireConfig ?? DEFAULT_WIRE_CONFIG;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const openApi = JSON.stringify(options.openApi);

  return createServer(async (request, response) => {
    try {
      const body = hasBody(request) ? await readBody(request, maxBodyBytes) : '';
      if (body === undefined) {
        send(
          response,
          413,
          { 'content-type': 'application/json' },
          JSON.stringify({ message: `request body over ${maxBodyBytes} bytes` }),
        );
        return;
      }
      const method = request.method ?? 'GET';
      const url = request.url ?? '/';
      const path = url.split('?')[0] ?? '/';
      const page = method === 'GET' ? explorerFile(path, request.headers.accept) : undefined;
      if (page !== undefined) {
        send(response, 200, page.headers, page.body);
        return;
      }
      if (method === 'GET' && (path === '/openapi.json' || path === '/')) {
        send(response, 200, { 'content-type': 'application/json' }, openApi);
        return;
      }
      const target = request.headers['x-amz-target'];
      if (method === 'POST' && path === '/' && options.controlPlane && typeof target === 'string') {
        const reply = await options.controlPlane(target, body);
        send(response, reply.status, { ...reply.headers }, reply.body);
        return;
      }
      if (method === 'POST' && isWireCall(path, body)) {
        const reply = await handleWireRequest(
          options.wireRecommender,
          path,
          body,
          wireConfig,
          options.wireTargets,
        );
        send(response, reply.status, { ...reply.headers }, reply.body);
        return;
      }
      const event = toApiGatewayEvent({
        method,
        url,
        headers: request.headers,
        body,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      });
      const lambda = lambdaOf(method, path);
      const context = localLambdaContext(lambda, event.requestContext.requestId);
      const result = await options.handlers[lambda](event, context);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
      send(response, result.statusCode, headers, result.body);
    } catch (error) {
      // Handlers map every expected error themselves; anything reaching here is a bug worth a 500 and a log.
      console.error('local server: unhandled error', error);
      if (!response.headersSent) {
        send(
          response,
          500,
          { 'content-type': 'application/json' },
          JSON.stringify({ message: 'internal error' }),
        );
      }
    }
  });
}
