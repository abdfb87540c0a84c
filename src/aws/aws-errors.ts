import {
  AccessDeniedError,
  ConfigError,
  InvalidInputError,
  LimitExceededError,
  ResourceInUseError,
  ResourceNotFoundError,
  ThrottledError,
  ToolkitError,
  UnavailableError,
} from '../errors.ts';
import { sdkErrorFacts } from './sdk-error.ts';

/**
 * The one mapper from AWS SDK v3 errors to the toolkit's typed errors. Every AWS call of `src/`, the Lambdas
 * and the scripts goes through `toAwsToolkitError` (or `awsCall`), so the same service reply is the same
 * error, and so the same HTTP status and exit code, wherever it happens.
 */

/** The AWS APIs the toolkit calls; each has its own error names. */
export type AwsService =
  | 'personalize'
  | 'personalize-runtime'
  | 'personalize-events'
  | 's3'
  | 'cloudformation'
  | 'dynamodb'
  | 'sqs';

/** What a failed AWS call was doing, so the error can name the service, action and resource. */
export interface AwsCallContext {
  /** Whose error names apply; by default the prefix of `action` (`s3:PutObject` → `s3`). */
  readonly service?: AwsService;
  /** e.g. `s3:PutObject`, `personalize:CreateBatchInferenceJob`. */
  readonly action: string;
  /** e.g. `bucket my-bucket`, `stack personalize-toolkit`. */
  readonly resource: string;
  /**
   * Builds the not-found error when the caller knows more than the service says (e.g. which Personalize
   * resource was missing); by default a plain ResourceNotFoundError.
   */
  readonly notFound?: (message: string, options: ErrorOptions) => ResourceNotFoundError;
}

/** The typed error each service error name stands for. */
export type AwsErrorKind =
  | 'accessDenied'
  | 'notFound'
  | 'invalidInput'
  | 'inUse'
  | 'limitExceeded'
  | 'throttled'
  | 'unavailable';

/** One rule: an error name (and, where the service reuses a name, a message pattern) → a kind. */
export interface AwsErrorRule {
  readonly name: string;
  readonly kind: AwsErrorKind;
  readonly message?: RegExp;
}

const rules = (kind: AwsErrorKind, ...names: string[]): AwsErrorRule[] =>
  names.map((name) => ({ name, kind }));

/** Names any AWS service may answer (the common errors of the AWS API reference), checked after the service's. */
export const COMMON_RULES: readonly AwsErrorRule[] = [
  ...rules(
    'accessDenied',
    'AccessDenied',
    'AccessDeniedException',
    'NotAuthorized',
    'UnrecognizedClientException',
    'InvalidClientTokenId',
    'MissingAuthenticationToken',
    'ExpiredToken',
    'ExpiredTokenException',
  ),
  ...rules(
    'throttled',
    'ThrottlingException',
    'Throttling',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'RequestThrottled',
    'RequestThrottledException',
  ),
  ...rules('unavailable', 'InternalFailure', 'InternalServerError', 'InternalError', 'ServiceUnavailable'),
  ...rules('invalidInput', 'ValidationError', 'ValidationException'),
];

/** Each service's own names (API references of Personalize, S3, CloudFormation, DynamoDB, SQS). */
export const SERVICE_RULES: Readonly<Record<AwsService, readonly AwsErrorRule[]>> = {
  personalize: [
    ...rules('invalidInput', 'InvalidInputException', 'InvalidNextTokenException'),
    ...rules('invalidInput', 'TooManyTagsException', 'TooManyTagKeysException'),
    ...rules('notFound', 'ResourceNotFoundException'),
    ...rules('inUse', 'ResourceInUseException', 'ResourceAlreadyExistsException'),
    // A quota such as "at most 5 import jobs in progress", not a request rate.
    ...rules('limitExceeded', 'LimitExceededException'),
  ],
  'personalize-runtime': [
    ...rules('invalidInput', 'InvalidInputException'),
    ...rules('notFound', 'ResourceNotFoundException'),
    // Not in the runtime's model, but the name means the same in every Personalize API.
    ...rules('inUse', 'ResourceInUseException'),
  ],
  'personalize-events': [
    ...rules('invalidInput', 'InvalidInputException'),
    ...rules('notFound', 'ResourceNotFoundException'),
    ...rules('inUse', 'ResourceInUseException'),
  ],
  s3: [
    // HeadObject answers a bodiless 404 that the SDK names NotFound.
    ...rules('notFound', 'NoSuchBucket', 'NoSuchKey', 'NoSuchUpload', 'NotFound'),
    ...rules('accessDenied', 'AllAccessDisabled', 'InvalidAccessKeyId', 'SignatureDoesNotMatch'),
    ...rules('invalidInput', 'InvalidBucketName', 'EntityTooLarge', 'InvalidObjectState', 'InvalidRequest'),
    ...rules('throttled', 'SlowDown'),
  ],
  cloudformation: [
    // A missing stack is a generic ValidationError "Stack with id X does not exist".
    { name: 'ValidationError', kind: 'notFound', message: /does not exist/ },
    ...rules('notFound', 'StackNotFoundException'),
    ...rules('invalidInput', 'InsufficientCapabilitiesException'),
    ...rules('inUse', 'AlreadyExistsException', 'OperationInProgressException'),
    ...rules('limitExceeded', 'LimitExceededException'),
  ],
  dynamodb: [
    ...rules('notFound', 'ResourceNotFoundException'),
    ...rules('inUse', 'ResourceInUseException', 'TransactionConflictException'),
    ...rules('throttled', 'ProvisionedThroughputExceededException'),
    ...rules('limitExceeded', 'LimitExceededException', 'ItemCollectionSizeLimitExceededException'),
  ],
  sqs: [
    ...rules('notFound', 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'),
    ...rules(
      'invalidInput',
      'InvalidParameterValue',
      'InvalidMessageContents',
      'InvalidAttributeValue',
      'ReceiptHandleIsInvalid',
      'BatchRequestTooLong',
      'EmptyBatchRequest',
      'TooManyEntriesInBatchRequest',
    ),
    ...rules('throttled', 'KmsThrottled'),
    ...rules('limitExceeded', 'OverLimit'),
  ],
};

function serviceOf(action: string): AwsService | undefined {
  const prefix = action.split(':')[0] ?? '';
  return Object.hasOwn(SERVICE_RULES, prefix) ? (prefix as AwsService) : undefined;
}

/** The kind of an SDK error: the service's names, then the common ones, then the HTTP status. */
export function awsErrorKind(error: unknown, service: AwsService | undefined): AwsErrorKind {
  const { name, detail, status } = sdkErrorFacts(error);
  const matches = (rule: AwsErrorRule) => rule.name === name && (!rule.message || rule.message.test(detail));
  const rule = (service ? SERVICE_RULES[service] : []).find(matches) ?? COMMON_RULES.find(matches);
  if (rule) return rule.kind;
  if (status === 403) return 'accessDenied';
  if (status === 404) return 'notFound';
  if (status === 429) return 'throttled';
  // 5xx, aborted or timed-out attempts, sockets that failed, credentials that could not be found: the backend
  // cannot answer now, and that is not the caller's fault.
  return 'unavailable';
}

/**
 * Turns an AWS SDK error into the toolkit's typed errors with a message naming the action and the resource
 * (e.g. "access denied: s3:PutObject on bucket b"), keeping the original as `cause`. Toolkit errors pass
 * through unchanged.
 */
export function toAwsToolkitError(error: unknown, context: AwsCallContext): ToolkitError {
  if (error instanceof ToolkitError) return error;
  const service = context.service ?? serviceOf(context.action);
  const { name, detail } = sdkErrorFacts(error);
  const where = `${context.action} on ${context.resource}`;
  const message = `${where} failed: ${name}: ${detail}`;
  const options = { cause: error };
  const setup = missingSetup(name, detail, where, options);
  if (setup) return setup;
  switch (awsErrorKind(error, service)) {
    case 'accessDenied':
      return new AccessDeniedError(
        `access denied: ${where} (check the credentials' IAM policy and the resource's policy): ${detail}`,
        options,
      );
    case 'notFound':
      return context.notFound?.(message, options) ?? new ResourceNotFoundError(message, options);
    case 'invalidInput':
      return new InvalidInputError(message, options);
    case 'inUse':
      return new ResourceInUseError(message, options);
    case 'limitExceeded':
      return new LimitExceededError(
        `limit exceeded: ${where} (a service quota; retry when a running job or resource is gone): ${detail}`,
        options,
      );
    case 'throttled':
      return new ThrottledError(message, options);
    case 'unavailable':
      return new UnavailableError(message, options);
  }
}

/**
 * A region or credentials the SDK could not find: the caller's setup, fixed by setting a variable, so a usage
 * error naming the variable rather than "unavailable". The JS SDK reads AWS_REGION, never AWS_DEFAULT_REGION.
 */
function missingSetup(
  name: string,
  detail: string,
  where: string,
  options: ErrorOptions,
): ToolkitError | undefined {
  // An empty AWS_REGION counts as set and fails as an invalid hostname: the same fix.
  if (/region is missing|region="" is not a valid/i.test(detail)) {
    return new ConfigError(
      'AWS_REGION',
      `is required for ${where} (the SDK ignores AWS_DEFAULT_REGION; or set region in ~/.aws/config with AWS_PROFILE)`,
      undefined,
      options,
    );
  }
  if (name === 'CredentialsProviderError') {
    return new ConfigError(
      'AWS_PROFILE',
      `or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are required for ${where}: no credentials were found (${detail})`,
      undefined,
      options,
    );
  }
  return undefined;
}

/** Runs one AWS call and maps its failure with `toAwsToolkitError`. */
export async function awsCall<T>(context: AwsCallContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAwsToolkitError(error, context);
  }
}

/** True for mapped errors worth another attempt: throttling, and server-side (5xx) failures. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ThrottledError) return true;
  if (!(error instanceof UnavailableError)) return false;
  const cause = error.cause;
  if (typeof cause !== 'object' || cause === null) return false;
  const { status, fault } = sdkErrorFacts(cause);
  return (status !== undefined && status >= 500) || (status === undefined && fault === 'server');
}
