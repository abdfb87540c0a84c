import type { AwsCallContext } from '../aws/aws-errors.ts';
import { sdkErrorFacts } from '../aws/sdk-error.ts';
import { ResourceNotFoundError, UnavailableError } from '../errors.ts';

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
    this.name = 'PersonalizeResourceNotFoundError';
    this.resource = resource;
  }
}

/** The call's time budget ran out before Personalize answered. */
export class PersonalizeTimeoutError extends UnavailableError {
  constructor(timeoutMs: number, options?: ErrorOptions) {
    super(`Personalize did not answer within ${timeoutMs} ms`, options);
    this.name = 'PersonalizeTimeoutError';
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
 * The shared AWS mapper's context for one Personalize runtime or events call: a not-found reply is attributed
 * to the filter or the resource the call addressed.
 */
export function personalizeCallContext(target: CallTarget): AwsCallContext {
  const service = target.resource === 'campaign' ? 'personalize-runtime' : 'personalize-events';
  return {
    service,
    action: `${service}:${target.operation}`,
    resource: target.filterArn ? `${target.resource} (filter ${target.filterArn})` : target.resource,
    notFound: (message, options) => {
      const detail = sdkErrorFacts(options.cause).detail;
      return new PersonalizeResourceNotFoundError(missingResource(detail, target), message, options);
    },
  };
}

function missingResource(detail: string, target: CallTarget): MissingResource {
  const aboutFilter =
    target.filterArn !== undefined && (detail.includes(target.filterArn) || /filter/i.test(detail));
  if (aboutFilter) return 'filter';
  return target.resource;
}
