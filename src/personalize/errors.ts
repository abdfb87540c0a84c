import { sdkErrorFacts, THROTTLING_ERROR_NAMES } from '../aws/sdk-error.ts';
import {
  InvalidInputError,
  ResourceInUseError,
  ResourceNotFoundError,
  ThrottledError,
  ToolkitError,
  UnavailableError,
} from '../errors.ts';

/** Which resource a Personalize ResourceNotFoundException was about. */
export type MissingResource = 'campaign' | 'filter' | 'dataset' | 'tracker';

/**
 * A resource the service (or our configuration) does not know. The fallback chain answers from the local model
 * when the campaign is missing (not deployed yet) but not when a caller named an unknown filter.
 */
export class PersonalizeResourceNotFoundError extends ResourceNotFoundError {
  readonly resource: MissingResource;

  constructor(resource: MissingResource, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ResourceNotFoundError';
    this.resource = resource;
  }
}

/** The call's time budget ran out before Personalize answered. */
export class PersonalizeTimeoutError extends UnavailableError {
  constructor(timeoutMs: number, options?: ErrorOptions) {
    super(`Personalize did not answer within ${timeoutMs} ms`, options);
    this.name = 'UnavailableError';
  }
}

/** What the failed call was about, so a not-found reply can be attributed to the right resource. */
export interface CallTarget {
  readonly operation: string;
  /** The resource the operation addresses: a campaign for reads, a dataset for PutItems/PutUsers. */
  readonly resource: 'campaign' | 'dataset' | 'tracker';
  readonly filterArn?: string;
}

/**
 * Turns an AWS SDK error into the toolkit's typed errors, by `name` first and HTTP status second, keeping the
 * original as `cause`. Errors of the toolkit itself pass through unchanged.
 */
export function toToolkitError(error: unknown, target: CallTarget): ToolkitError {
  if (error instanceof ToolkitError) return error;
  const { name, detail, status } = sdkErrorFacts(error);
  const message = `Personalize ${target.operation}: ${detail}`;
  const options = { cause: error };
  if (THROTTLING_ERROR_NAMES.has(name) || status === 429) return new ThrottledError(message, options);
  if (name === 'InvalidInputException') return new InvalidInputError(message, options);
  if (name === 'ResourceNotFoundException') {
    return new PersonalizeResourceNotFoundError(missingResource(detail, target), message, options);
  }
  if (name === 'ResourceInUseException') return new ResourceInUseError(message, options);
  // 5xx, aborted or timed-out attempts, sockets that failed, credentials that could not be found: the backend
  // cannot answer now, and that is not the caller's fault.
  return new UnavailableError(message, options);
}

function missingResource(detail: string, target: CallTarget): MissingResource {
  const aboutFilter =
    target.filterArn !== undefined && (detail.includes(target.filterArn) || /filter/i.test(detail));
  if (aboutFilter) return 'filter';
  return target.resource;
}

/** True for replies worth another attempt: throttling and server-side (5xx) failures. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ToolkitError) {
    if (error instanceof ThrottledError) return true;
    if (!(error instanceof UnavailableError)) return false;
    return isServerFault(error.cause);
  }
  return false;
}

function isServerFault(cause: unknown): boolean {
  if (typeof cause !== 'object' || cause === null) return false;
  const { status, fault } = sdkErrorFacts(cause);
  return (status !== undefined && status >= 500) || (status === undefined && fault === 'server');
}
