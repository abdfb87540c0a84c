/** An HTTP reply in the shape API Gateway's proxy integration expects back from a Lambda. */
export interface HttpReply {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export const REQUEST_ID_HEADER = 'X-Request-Id';

export interface CorsPolicy {
  /** `Access-Control-Allow-Origin`; `*` unless the deployment names its web origin. */
  readonly allowOrigin: string;
}

export const DEFAULT_CORS: CorsPolicy = { allowOrigin: '*' };

/** Headers on every reply, so browsers can read the body and the request id of errors too. */
export function corsHeaders(cors: CorsPolicy): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': cors.allowOrigin,
    'Access-Control-Expose-Headers': REQUEST_ID_HEADER,
    ...(cors.allowOrigin !== '*' && { Vary: 'Origin' }),
  };
}

/** The answer to a CORS preflight for a path served with `methods`. */
export function preflightReply(methods: readonly string[], requestId: string, cors: CorsPolicy): HttpReply {
  return {
    statusCode: 204,
    headers: {
      ...corsHeaders(cors),
      'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(', '),
      'Access-Control-Allow-Headers': `Content-Type, X-Api-Key, ${REQUEST_ID_HEADER}`,
      'Access-Control-Max-Age': '600',
      [REQUEST_ID_HEADER]: requestId,
    },
    body: '',
  };
}

/** A JSON reply; the request id goes in a header and, for objects, in the body too. */
export function jsonReply(
  statusCode: number,
  body: Record<string, unknown>,
  requestId: string,
  cors: CorsPolicy,
  headers: Record<string, string> = {},
): HttpReply {
  return {
    statusCode,
    headers: {
      'Content-Type': 'application/json',
      ...corsHeaders(cors),
      [REQUEST_ID_HEADER]: requestId,
      ...headers,
    },
    body: JSON.stringify({ ...body, requestId }),
  };
}

/** 405 for a path served with other methods: `allow` lists them all (RFC 9110 §15.5.6). */
export function methodNotAllowedReply(
  method: string,
  allow: readonly string[],
  requestId: string,
  cors: CorsPolicy,
): HttpReply {
  return jsonReply(405, { message: `${method} is not allowed here` }, requestId, cors, {
    Allow: allow.join(', '),
  });
}
