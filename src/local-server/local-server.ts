import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  maxHeaderSize,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { Duplex } from 'node:stream';
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
import { requestIdOf } from '../serving/http/request-id.ts';
import {
  type CorsPolicy,
  DEFAULT_CORS,
  type HttpReply,
  jsonReply,
  methodNotAllowedReply,
  REQUEST_ID_HEADER,
} from '../serving/http/response.ts';
import { createRouter, routesByPath } from '../serving/http/router.ts';
import { localLambdaContext, toApiGatewayEvent } from './api-gateway-event.ts';
import { explorerFile } from './explorer.ts';
import { localMethodsOf } from './local-routes.ts';
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
  /** Answers `POST /` (Personalize's control plane, awsJson1_1, by `X-Amz-Target`). @default - none (`POST /` gets 405) */
  readonly controlPlane?: ControlPlaneHandler;
  /** Where the Personalize-compatible endpoint finds campaigns, trackers and datasets. @default - the names of `wireConfig`, all on `wireRecommender` */
  readonly wireTargets?: readonly WireTargets[];
  /**
   * Hears one line per request: request id, method, path, status and duration. `npm start` prints them;
   * @default - none (quiet, e.g. in tests)
   */
  readonly accessLog?: (line: string) => void;
  /** For the server's own errors (405, 413, 415, …), as the handlers have theirs. @default DEFAULT_CORS */
  readonly cors?: CorsPolicy;
}

/** One awsJson1_1 call: the `X-Amz-Target` header and the raw body in, the reply out. */
export type ControlPlaneHandler = (
  target: string | undefined,
  body: string,
) => Promise<{ status: number; headers: Readonly<Record<string, string>>; body: string }>;

/** Raised when the client goes away before its body has arrived: nobody is left to answer. */
class ClientGoneError extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString('utf8')));
    // An aborted upload errors (ECONNRESET) or just closes before 'end'; either way the body never comes.
    request.on('error', () => reject(new ClientGoneError()));
    request.on('close', () => {
      if (!request.complete) reject(new ClientGoneError());
    });
  });
}

/**
 * Bodies are JSON (the HTTP API, the SDK's `application/json` and `application/x-amz-json-1.1`); a body sent
 * as text or a form (e.g. `curl -d` without a content type) is refused rather than parsed as JSON by chance.
 * No content type at all is accepted, as API Gateway does.
 */
function unsupportedMediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined || contentType.trim() === '') return undefined;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return /^application\/([\w.+-]*\+)?json$/.test(type) || /^application\/x-amz-json-1\.[01]$/.test(type)
    ? undefined
    : type;
}

/** A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3): nothing to await. */
function hasBody(request: IncomingMessage): boolean {
  return (
    request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined
  );
}

/**
 * Whether the request's content type is judged: whenever it has a body, and for the methods that take one even
 * without (`curl -X POST -H 'content-type: text/plain'`), so the caller learns of the wrong type before
 * sending a body, not from a 400 about its absence. A GET's stray content type is ignored, as API Gateway does.
 */
const judgesContentType = (request: IncomingMessage): boolean =>
  hasBody(request) || ['POST', 'PUT', 'PATCH'].includes(request.method ?? '');

/** Node's parser errors a client can cause, with the status and message each is answered with. */
function clientErrorReply(error: NodeJS.ErrnoException): { status: number; message: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, message: `request headers over ${maxHeaderSize} bytes` };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, message: 'the request did not arrive in time' };
  }
  return {
    status: 400,
    message:
      'the request line or headers could not be parsed (percent-encode non-ASCII characters in the URL)',
  };
}

/**
 * Answers a request Node's HTTP parser refused before any handler saw it, with the JSON error body, request
 * id and CORS headers every other error carries (Node's own reply is a bare status line). The connection is
 * closed after it: the parser cannot find where the next request would start.
 */
function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Duplex,
  cors: CorsPolicy,
  accessLog: ((line: string) => void) | undefined,
): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const requestId = randomUUID();
  const { status, message } = clientErrorReply(error);
  const { headers, body } = jsonReply(status, { message }, requestId, cors);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    ...Object.entries({
      ...headers,
      'Content-Length': String(Buffer.byteLength(body)),
      Connection: 'close',
    }).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  socket.end(`${head}\r\n\r\n${body}`);
  accessLog?.(`${requestId} - - ${status} ${error.code ?? 'parse error'}`);
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
 * Lambda, whose 404 is the API's; OPTIONS on a known path goes to that path's Lambda, for its preflight.
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
  const cors = options.cors ?? DEFAULT_CORS;
  const methodsOf = localMethodsOf({ controlPlane: options.controlPlane !== undefined });

  const server = createServer(async (request, response) => {
    const started = performance.now();
    const requestId = requestIdOf(request.headers as Record<string, string | undefined>);
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    response.once('finish', () => {
      const id = response.getHeader(REQUEST_ID_HEADER) ?? requestId;
      options.accessLog?.(
        `${id} ${request.method} ${path} ${response.statusCode} ${(performance.now() - started).toFixed(1)}ms`,
      );
    });
    const reply = ({ statusCode, headers, body }: HttpReply) => send(response, statusCode, headers, body);
    const reject = (status: number, message: string) =>
      reply(jsonReply(status, { message }, requestId, cors));
    try {
      const allow = methodsOf(path);
      if (allow !== undefined && !allow.includes(request.method ?? 'GET')) {
        request.resume();
        reply(methodNotAllowedReply(request.method ?? 'GET', allow, requestId, cors));
        return;
      }
      const refused = judgesContentType(request)
        ? unsupportedMediaType(request.headers['content-type'])
        : undefined;
      if (refused !== undefined) {
        request.resume();
        reject(415, `content-type ${refused} is not accepted: send JSON with content-type: application/json`);
        return;
      }
      const body = hasBody(request) ? await readBody(request, maxBodyBytes) : '';
      if (body === undefined) {
        reject(413, `request body over ${maxBodyBytes} bytes`);
        return;
      }
      // HEAD is answered as GET; Node's response leaves the body out of a HEAD reply by itself.
      const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET');
      const url = request.url ?? '/';
      const page = method === 'GET' ? explorerFile(path, request.headers.accept) : undefined;
      if (page !== undefined) {
        send(response, 200, page.headers, page.body);
        return;
      }
      if (method === 'GET' && (path === '/openapi.json' || path === '/')) {
        send(response, 200, { 'content-type': 'application/json' }, openApi);
        return;
      }
      if (method === 'POST' && path === '/' && options.controlPlane) {
        // Without X-Amz-Target the control plane answers as Personalize does: an unknown operation.
        const target = request.headers['x-amz-target'];
        const answer = await options.controlPlane(typeof target === 'string' ? target : undefined, body);
        send(response, answer.status, { ...answer.headers }, answer.body);
        return;
      }
      if (method === 'POST' && isWireCall(path, body)) {
        const answer = await handleWireRequest(
          options.wireRecommender,
          path,
          body,
          wireConfig,
          options.wireTargets,
        );
        send(response, answer.status, { ...answer.headers }, answer.body);
        return;
      }
      const event = toApiGatewayEvent({
        method,
        url,
        headers: request.headers,
        body,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        requestId,
      });
      const lambda = lambdaOf(method, path);
      const context = localLambdaContext(lambda, event.requestContext.requestId);
      const result = await options.handlers[lambda](event, context);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
      send(response, result.statusCode, headers, result.body);
    } catch (error) {
      if (error instanceof ClientGoneError) {
        options.accessLog?.(`${requestId} ${request.method} ${path} client closed before its body was sent`);
        return;
      }
      // Handlers map every expected error themselves; anything reaching here is a bug worth a 500 and a log.
      console.error(`local server: unhandled error (request ${requestId})`, error);
      if (!response.headersSent) reject(500, 'internal error');
    }
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) =>
    answerClientError(error, socket, cors, options.accessLog),
  );
  return server;
}
