import type { APIGatewayProxyEvent } from 'aws-lambda';

/** The API Gateway REST proxy event for one request, with the members the handlers read. */
export function apiEvent(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyEvent {
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  const pairs = mark < 0 ? [] : [...new URLSearchParams(url.slice(mark + 1))];
  const multi = new Map<string, string[]>();
  for (const [key, value] of pairs) multi.set(key, [...(multi.get(key) ?? []), value]);
  const text = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
  return {
    httpMethod: method,
    path: path,
    resource: path,
    headers,
    multiValueHeaders: {},
    queryStringParameters: pairs.length > 0 ? Object.fromEntries(pairs) : null,
    multiValueQueryStringParameters: pairs.length > 0 ? Object.fromEntries(multi) : null,
    pathParameters: null,
    stageVariables: null,
    body: text === '' ? null : text,
    isBase64Encoded: false,
    requestContext: {
      requestId: `gw-${pairs.length}-${path.length}`,
    } as APIGatewayProxyEvent['requestContext'],
  };
}

export const bodyOf = (result: { body: string }) => JSON.parse(result.body) as Record<string, unknown>;
