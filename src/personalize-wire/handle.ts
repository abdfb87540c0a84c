import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../errors.ts';
import { jsonObjectBody } from '../recommender/json-body.ts';
import type { Recommender } from '../recommender/types.ts';
import { DEFAULT_WIRE_CONFIG, type WireConfig } from './config.ts';
import { toWireError } from './errors.ts';
import { staticTargets, WIRE_OPERATIONS, type WireTargets } from './operations.ts';
import { wireOperationAt } from './routes.ts';

export interface WireReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** True when a POST to `path` is a Personalize Runtime/Events operation this endpoint serves. */
export function isWireOperation(path: string): boolean {
  return wireOperationAt(path) !== undefined;
}

/**
 * Answers one Personalize restJson1 request (`POST /recommendations`, `/personalize-ranking`, `/events`,
 * `/items`, `/users`) from any Recommender, with the service's JSON shapes and error envelope.
 */
export async function handleWireRequest(
  recommender: Recommender,
  path: string,
  rawBody: string,
  config: WireConfig = DEFAULT_WIRE_CONFIG,
  /** Where campaigns, trackers and datasets are found. @default - the names of `config`, all on `recommender` */
  targets?: readonly WireTargets[],
): Promise<WireReply> {
  const requestId = randomUUID();
  const name = wireOperationAt(path);
  const operation = name && WIRE_OPERATIONS[name];
  try {
    if (!operation) throw new InvalidInputError([{ field: 'path', message: `unknown operation ${path}` }]);
    const result = await operation(targets ?? [staticTargets(recommender, config)], jsonObjectBody(rawBody));
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
      body: result === undefined ? '{}' : JSON.stringify(result),
    };
  } catch (error) {
    const reply = toWireError(error);
    return {
      status: reply.status,
      headers: {
        'content-type': 'application/json',
        'x-amzn-errortype': reply.type,
        'x-amzn-requestid': requestId,
      },
      body: JSON.stringify({ __type: reply.type, message: reply.message }),
    };
  }
}
