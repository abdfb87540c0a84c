import {
  type FieldIssue,
  InvalidInputError,
  NotFittedError,
  ResourceInUseError,
  ResourceNotFoundError,
  ThrottledError,
  UnavailableError,
} from '../../errors.ts';

/** The one mapping of the toolkit's typed errors to HTTP statuses; anything else is a bug (500). */
export function httpStatusOf(error: unknown): number {
  if (error instanceof InvalidInputError) return 400;
  if (error instanceof ResourceNotFoundError) return 404;
  if (error instanceof ResourceInUseError) return 409;
  if (error instanceof ThrottledError) return 429;
  if (error instanceof UnavailableError || error instanceof NotFittedError) return 503;
  return 500;
}

export interface ErrorBody {
  readonly message: string;
  readonly requestId: string;
  /** Every bad field of a 400, with the limit it broke. */
  readonly issues?: readonly FieldIssue[];
}

/** What a caller is told: typed errors in their own words, anything unexpected without internals. */
export function errorBody(error: unknown, requestId: string): ErrorBody {
  const status = httpStatusOf(error);
  if (error instanceof InvalidInputError) {
    return { message: 'invalid request', requestId, issues: error.issues };
  }
  if (status === 500 || !(error instanceof Error)) return { message: 'internal error', requestId };
  return { message: error.message, requestId };
}
