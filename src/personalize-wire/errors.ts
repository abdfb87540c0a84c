import {
  InvalidInputError,
  ResourceInUseError,
  ResourceNotFoundError,
  ThrottledError,
  UnavailableError,
} from '../errors.ts';

/** A reply in Personalize's restJson1 error envelope (personalize-reference.md §1.4). */
export interface WireErrorReply {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

/** Maps the toolkit's typed errors to the error names and statuses the AWS SDK recognises. */
export function toWireError(error: unknown): WireErrorReply {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof InvalidInputError) return { status: 400, type: 'InvalidInputException', message };
  if (error instanceof ResourceNotFoundError)
    return { status: 404, type: 'ResourceNotFoundException', message };
  if (error instanceof ResourceInUseError) return { status: 409, type: 'ResourceInUseException', message };
  if (error instanceof ThrottledError) return { status: 400, type: 'ThrottlingException', message };
  if (error instanceof UnavailableError) return { status: 503, type: 'ServiceUnavailable', message };
  return { status: 500, type: 'InternalFailure', message: 'internal error' };
}
