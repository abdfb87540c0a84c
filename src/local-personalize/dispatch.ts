import { randomUUID } from 'node:crypto';
import { jsonObjectBody } from '../recommender/json-body.ts';
import type { LocalPersonalize } from './control-plane.ts';
import { toControlPlaneError, UnknownOperationError } from './errors.ts';

/** `X-Amz-Target` prefix of every control-plane call (personalize-reference.md §1.5). */
export const TARGET_PREFIX = 'AmazonPersonalize.';

export interface ControlPlaneReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * Runs one awsJson1_1 request: the operation from `X-Amz-Target`, the input from the JSON body; replies 200
 * with the output, or 400 `{"__type":"com.amazonaws.personalize#<Error>","message":…}`.
 */
export async function dispatchControlPlane(
  plane: LocalPersonalize,
  target: string | undefined,
  rawBody: string,
): Promise<ControlPlaneReply> {
  const requestId = randomUUID();
  try {
    if (target === undefined || !target.startsWith(TARGET_PREFIX)) {
      throw new UnknownOperationError(
        `X-Amz-Target must be ${TARGET_PREFIX}<Operation> (got ${target ?? 'none'})`,
      );
    }
    const result = await plane.call(target.slice(TARGET_PREFIX.length), jsonObjectBody(rawBody));
    return {
      status: 200,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
      body: JSON.stringify(result),
    };
  } catch (error) {
    const reply = toControlPlaneError(error);
    if (reply.status >= 500) console.error('local personalize: unexpected error', error);
    return {
      status: reply.status,
      headers: {
        'content-type': CONTENT_TYPE,
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': reply.type,
      },
      body: JSON.stringify({ __type: `com.amazonaws.personalize#${reply.type}`, message: reply.message }),
    };
  }
}
