import { describe, expect, it } from 'vitest';
import { type AwsService, awsCall, isRetryable, toAwsToolkitError } from '../../src/aws/aws-errors.ts';
import {
  AccessDeniedError,
  InvalidInputError,
  LimitExceededError,
  ResourceInUseError,
  ResourceNotFoundError,
  ThrottledError,
  type ToolkitError,
  UnavailableError,
} from '../../src/errors.ts';
import { PersonalizeResourceNotFoundError, personalizeCallContext } from '../../src/personalize/errors.ts';

/** An error shaped as SDK v3 throws it. */
function sdkError(name: string, status?: number, message = `${name} happened`, fault = 'client') {
  return Object.assign(new Error(message), {
    name,
    $fault: fault,
    ...(status !== undefined && { $metadata: { httpStatusCode: status } }),
  });
}

type Expected = new (...args: never[]) => ToolkitError;

const ACTION: Record<AwsService, string> = {
  personalize: 'personalize:CreateDatasetImportJob',
  'personalize-runtime': 'personalize-runtime:GetRecommendations',
  'personalize-events': 'personalize-events:PutEvents',
  s3: 's3:PutObject',
  cloudformation: 'cloudformation:DescribeStacks',
  dynamodb: 'dynamodb:Query',
  sqs: 'sqs:SendMessage',
};

/** [service, error name, HTTP status, message, typed error] */
type Case = readonly [AwsService, string, number | undefined, string | undefined, Expected];

const CASES: readonly Case[] = [
  // AccessDenied is AccessDeniedError for every service.
  ...(Object.keys(ACTION) as AwsService[]).flatMap((service): Case[] => [
    [service, 'AccessDeniedException', 400, undefined, AccessDeniedError],
    [service, 'AccessDenied', 403, undefined, AccessDeniedError],
    [service, 'ThrottlingException', 400, undefined, ThrottledError],
    [service, 'InternalFailure', 500, undefined, UnavailableError],
    [service, 'SomethingNew', 503, undefined, UnavailableError],
    [service, 'SomethingNew', 403, undefined, AccessDeniedError],
    [service, 'SomethingNew', 429, undefined, ThrottledError],
  ]),
  ['personalize', 'InvalidInputException', 400, undefined, InvalidInputError],
  ['personalize', 'ResourceNotFoundException', 400, undefined, ResourceNotFoundError],
  ['personalize', 'ResourceInUseException', 400, undefined, ResourceInUseError],
  ['personalize', 'ResourceAlreadyExistsException', 400, undefined, ResourceInUseError],
  ['personalize', 'LimitExceededException', 400, undefined, LimitExceededError],
  ['personalize-runtime', 'InvalidInputException', 400, undefined, InvalidInputError],
  ['personalize-runtime', 'ResourceNotFoundException', 404, undefined, ResourceNotFoundError],
  ['personalize-events', 'ResourceInUseException', 409, undefined, ResourceInUseError],
  ['personalize-events', 'ResourceNotFoundException', 404, undefined, ResourceNotFoundError],
  ['s3', 'NoSuchBucket', 404, undefined, ResourceNotFoundError],
  ['s3', 'NoSuchKey', 404, undefined, ResourceNotFoundError],
  ['s3', 'NotFound', 404, undefined, ResourceNotFoundError],
  ['s3', 'AllAccessDisabled', 403, undefined, AccessDeniedError],
  ['s3', 'SlowDown', 503, undefined, ThrottledError],
  ['cloudformation', 'ValidationError', 400, 'Stack with id x does not exist', ResourceNotFoundError],
  ['cloudformation', 'ValidationError', 400, 'Template format error', InvalidInputError],
  ['cloudformation', 'LimitExceededException', 400, undefined, LimitExceededError],
  ['dynamodb', 'ResourceNotFoundException', 400, undefined, ResourceNotFoundError],
  ['dynamodb', 'ProvisionedThroughputExceededException', 400, undefined, ThrottledError],
  ['dynamodb', 'RequestLimitExceeded', 400, undefined, ThrottledError],
  ['dynamodb', 'ValidationException', 400, undefined, InvalidInputError],
  ['dynamodb', 'LimitExceededException', 400, undefined, LimitExceededError],
  ['sqs', 'QueueDoesNotExist', 400, undefined, ResourceNotFoundError],
  ['sqs', 'AWS.SimpleQueueService.NonExistentQueue', 400, undefined, ResourceNotFoundError],
  ['sqs', 'InvalidParameterValue', 400, undefined, InvalidInputError],
  ['sqs', 'RequestThrottled', 400, undefined, ThrottledError],
  ['sqs', 'OverLimit', 403, undefined, LimitExceededError],
];

describe('Function: toAwsToolkitError', () => {
  it.each(CASES)('%s %s (status %s, %s) → %o', (service, name, status, message, expected) => {
    // Act
    const mapped = toAwsToolkitError(sdkError(name, status, message), {
      action: ACTION[service],
      resource: 'thing t1',
    });

    // Assess
    expect(mapped).toBeInstanceOf(expected);
    expect(mapped.constructor).toBe(expected);
    expect(mapped.message).toContain(`${ACTION[service]} on thing t1`);
    expect(mapped.cause).toMatchObject({ name });
  });

  it('reads the service from the context before the action prefix', () => {
    const error = sdkError('ResourceInUseException', 400);
    const context = { action: 'custom:Call', resource: 'r' };

    expect(toAwsToolkitError(error, context)).toBeInstanceOf(UnavailableError);
    expect(toAwsToolkitError(error, { ...context, service: 'dynamodb' })).toBeInstanceOf(ResourceInUseError);
  });

  it('passes toolkit errors through, and maps what is not an SDK error to UnavailableError', () => {
    const typed = new InvalidInputError('bad');
    const context = { action: 's3:GetObject', resource: 'r' };

    expect(toAwsToolkitError(typed, context)).toBe(typed);
    expect(toAwsToolkitError(new TypeError('fetch failed'), context)).toBeInstanceOf(UnavailableError);
    expect(toAwsToolkitError('a string', context)).toBeInstanceOf(UnavailableError);
  });

  it('attributes a Personalize not-found reply to the filter the message names, else to the target', () => {
    const filterArn = 'arn:aws:personalize:eu-west-1:1:filter/category';
    const context = personalizeCallContext({
      operation: 'GetRecommendations',
      resource: 'campaign',
      filterArn,
    });

    const aboutFilter = toAwsToolkitError(
      sdkError('ResourceNotFoundException', 404, `${filterArn} not found`),
      context,
    );
    const aboutCampaign = toAwsToolkitError(
      sdkError('ResourceNotFoundException', 404, 'no campaign'),
      context,
    );

    expect(aboutFilter).toMatchObject({ name: 'PersonalizeResourceNotFoundError', resource: 'filter' });
    expect(aboutCampaign).toBeInstanceOf(PersonalizeResourceNotFoundError);
    expect(aboutCampaign).toMatchObject({ resource: 'campaign' });
  });

  it('awsCall rethrows the mapped error and returns the result', async () => {
    const context = { action: 's3:GetObject', resource: 'bucket b' };

    await expect(awsCall(context, async () => 7)).resolves.toBe(7);
    await expect(awsCall(context, () => Promise.reject(sdkError('AccessDenied', 403)))).rejects.toThrow(
      /access denied: s3:GetObject on bucket b/,
    );
  });
});

describe('Function: isRetryable', () => {
  const context = { action: 'personalize-runtime:GetRecommendations', resource: 'campaign' };
  const map = (error: unknown) => toAwsToolkitError(error, context);

  it.each([
    ['throttling', map(sdkError('ThrottlingException', 400)), true],
    ['a 5xx reply', map(sdkError('InternalFailure', 500, 'x', 'server')), true],
    ['a server fault without status', map(sdkError('Oops', undefined, 'x', 'server')), true],
    ['a network failure', map(new TypeError('socket hang up')), false],
    ['invalid input', map(sdkError('InvalidInputException', 400)), false],
    ['a raw SDK error', sdkError('ThrottlingException', 400), false],
  ])('%s → %s', (_, error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });
});
