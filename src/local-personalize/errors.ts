import { InvalidInputError, ResourceInUseError, ResourceNotFoundError, ToolkitError } from '../errors.ts';

/** A resource of that name (or the one allowed per parent) exists already (ResourceAlreadyExistsException). */
export class ResourceAlreadyExistsError extends ToolkitError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ResourceAlreadyExistsError';
  }
}

/** A quota is used up, e.g. five import jobs already pending (LimitExceededException). */
export class LimitExceededError extends ToolkitError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LimitExceededError';
  }
}

/** A `nextToken` this endpoint did not hand out for that listing (InvalidNextTokenException). */
export class InvalidNextTokenError extends ToolkitError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidNextTokenError';
  }
}

/** A resource would hold more than 200 tags (TooManyTagsException). */
export class TooManyTagsError extends ToolkitError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TooManyTagsError';
  }
}

/** `X-Amz-Target` names no operation this endpoint serves. */
export class UnknownOperationError extends ToolkitError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnknownOperationError';
  }
}

export interface ControlPlaneError {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

const TYPES: readonly [new (...args: never[]) => Error, string][] = [
  [InvalidInputError, 'InvalidInputException'],
  [ResourceNotFoundError, 'ResourceNotFoundException'],
  [ResourceInUseError, 'ResourceInUseException'],
  [ResourceAlreadyExistsError, 'ResourceAlreadyExistsException'],
  [LimitExceededError, 'LimitExceededException'],
  [InvalidNextTokenError, 'InvalidNextTokenException'],
  [TooManyTagsError, 'TooManyTagsException'],
  [UnknownOperationError, 'UnknownOperationException'],
];

/**
 * The control plane's one error mapping (personalize-reference.md §1.4): every declared error is a 400 with
 * its `__type`; anything else is a bug, reported as a 500 InternalFailure without its message.
 */
export function toControlPlaneError(error: unknown): ControlPlaneError {
  for (const [type, name] of TYPES) {
    if (error instanceof type) return { status: 400, type: name, message: error.message };
  }
  return { status: 500, type: 'InternalFailure', message: 'internal error' };
}
