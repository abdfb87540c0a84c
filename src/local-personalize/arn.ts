import { InvalidInputError } from '../errors.ts';

/** Where the emulated account lives; ARNs carry these, lookups ignore them (any region/account works). */
export interface AccountConfig {
  readonly region: string;
  readonly accountId: string;
}

export const DEFAULT_ACCOUNT: AccountConfig = { region: 'us-east-1', accountId: '000000000000' };

/** Personalize's ARN pattern (personalize-reference.md §1.5), max 256 characters. */
export const ARN_PATTERN = /^arn:([a-z\d-]+):personalize:.*:.*:.+$/;

export const arnOf = (account: AccountConfig, resource: string): string =>
  `arn:aws:personalize:${account.region}:${account.accountId}:${resource}`;

/**
 * The resource part of an ARN (`dataset-group/dg1`), the key resources are stored under; InvalidInputError
 * naming `field` when the text is no Personalize ARN.
 */
export function resourceKey(arn: string, field: string): string {
  const match = /^arn:[a-z\d-]+:personalize:[^:]*:[^:]*:(.+)$/.exec(arn);
  if (arn.length > 256 || !match?.[1]) {
    throw new InvalidInputError([
      {
        field,
        message: `must be a Personalize ARN of at most 256 characters (got ${JSON.stringify(arn.slice(0, 80))})`,
      },
    ]);
  }
  return match[1];
}
