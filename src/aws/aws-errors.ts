import {
  AccessDeniedError,
  InvalidInputError,
  ResourceInUseError,
  ResourceNotFoundError,
  ThrottledError,
  ToolkitError,
  UnavailableError,
} from '../errors.ts';
import { sdkErrorFacts, THROTTLING_ERROR_NAMES } from './sdk-error.ts';

/** What a failed AWS call was doing, so the error can name the service, action and resource. */
export interface AwsCallContext {
  /** e.g. `s3:PutObject`, `personalize:CreateBatchInferenceJob`. */
  readonly action: string;
  /** e.g. `bucket my-bucket`, `stack personalize-toolkit`. */
  readonly resource: string;
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'Forbidden', 'AllAccessDisabled']);
const NOT_FOUND = new Set(['NoSuchBucket', 'NoSuchKey', 'NotFound', 'ResourceNotFoundException']);

/**
 * Turns an AWS SDK error into the toolkit's typed errors with a message naming the action and the resource
 * (e.g. "AccessDenied: s3:PutObject on bucket b"). Toolkit errors pass through unchanged.
 */
export function toAwsToolkitError(error: unknown, context: AwsCallContext): ToolkitError {
  if (error instanceof ToolkitError) return error;
  const { name, detail, status } = sdkErrorFacts(error);
  const message = `${context.action} on ${context.resource} failed: ${name}: ${detail}`;
  const options = { cause: error };
  if (ACCESS_DENIED.has(name) || status === 403) {
    return new AccessDeniedError(
      `access denied: ${context.action} on ${context.resource} (check the credentials' IAM policy and the bucket policy): ${detail}`,
      options,
    );
  }
  if (THROTTLING_ERROR_NAMES.has(name) || status === 429) return new ThrottledError(message, options);
  if (NOT_FOUND.has(name) || status === 404) return new ResourceNotFoundError(message, options);
  if (name === 'InvalidInputException' || name === 'ValidationError')
    return new InvalidInputError(message, options);
  if (name === 'ResourceInUseException' || name === 'LimitExceededException') {
    return new ResourceInUseError(message, options);
  }
  return new UnavailableError(message, options);
}

/** Runs one AWS call and maps its failure with `toAwsToolkitError`. */
export async function awsCall<T>(context: AwsCallContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAwsToolkitError(error, context);
  }
}
