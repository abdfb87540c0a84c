import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/** The HTTP request as the local server read it. */
export interface LocalRequest {
  readonly method: string;
  /** Path and query string, e.g. `/recommendations?userId=u1`. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly sourceIp: string;
  /** The server's id for this request (also on its access log line). @default a new UUID */
  readonly requestId?: string;
}

function singleValues(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

function multiValues(headers: IncomingHttpHeaders): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value : [value];
  }
  return out;
}

/**
 * Builds the event API Gateway's REST proxy integration would send for this request, so the local server
 * runs the very same Lambda handlers. `resource` and `pathParameters` are left to the handler's router.
 */
export function toApiGatewayEvent(request: LocalRequest, stage = 'local'): APIGatewayProxyEvent {
  const url = new URL(request.url, 'http://localhost');
  // Null-prototype maps: a query key such as `constructor` or `__proto__` is data, not an inherited member.
  const query: Record<string, string> = Object.create(null);
  const multiQuery: Record<string, string[]> = Object.create(null);
  for (const [key, value] of url.searchParams) {
    query[key] = value;
    if (Object.hasOwn(multiQuery, key)) multiQuery[key]!.push(value);
    else multiQuery[key] = [value];
  }
  const hasQuery = Object.keys(query).length > 0;
  const requestId = request.requestId ?? randomUUID();
  const headers = singleValues(request.headers);
  return {
    httpMethod: request.method,
    path: url.pathname,
    resource: url.pathname,
    headers,
    multiValueHeaders: multiValues(request.headers),
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: null,
    stageVariables: null,
    body: request.body.length > 0 ? request.body : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: headers['user-agent'] ?? null,
        userArn: null,
      },
      path: `/${stage}${url.pathname}`,
      stage,
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: url.pathname,
    },
  };
}

// The context's callbacks are the same for every invocation: made once, not as new closures per request.
const remainingTime = () => 30_000;
const noop = () => undefined;

/** A Lambda context for one local invocation (Powertools reads the request id and function name from it). */
export function localLambdaContext(functionName: string, requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: remainingTime,
    done: noop,
    fail: noop,
    succeed: noop,
  };
}
