/**
 * `@aws-sdk` packages the Lambda runtime provides and the bundles leave out. The Personalize, SQS and
 * DynamoDB clients are bundled (pinned by package-lock.json); S3 and the credential chain, which are large and
 * only needed at cold start, come from the runtime. `npm run bench -- recommend-bundle` measures the same set.
 */
export const RUNTIME_PROVIDED_MODULES = [
  '@aws-sdk/client-s3',
  '@aws-sdk/nested-clients',
  '@aws-sdk/credential-provider-*',
  '@aws-sdk/token-providers',
];
