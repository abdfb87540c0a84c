/**
 * CloudFormation output keys the CDK stacks export and the scripts read (`aws cloudformation
 * describe-stacks`). One list, so the stacks and the CLI cannot drift apart.
 */
export const STACK_OUTPUTS = {
  dataBucketName: 'DataBucketName',
  personalizeRoleArn: 'PersonalizeRoleArn',
  datasetGroupArn: 'DatasetGroupArn',
  interactionsDatasetArn: 'InteractionsDatasetArn',
  itemsDatasetArn: 'ItemsDatasetArn',
  usersDatasetArn: 'UsersDatasetArn',
  /** `s3://bucket/batch/input/`, `s3://bucket/batch/output/` */
  batchInputPrefix: 'BatchInputPrefix',
  batchOutputPrefix: 'BatchOutputPrefix',
  /** Solution ARNs per recipe; batch jobs use their latest ACTIVE version. */
  userPersonalizationSolutionArn: 'UserPersonalizationSolutionArn',
  similarItemsSolutionArn: 'SimilarItemsSolutionArn',
  personalizedRankingSolutionArn: 'PersonalizedRankingSolutionArn',
  trainingStateMachineArn: 'TrainingStateMachineArn',
  apiUrl: 'ApiUrl',
  modelArtifactUri: 'ModelArtifactUri',
  /** The SNS topic of training notifications and alarms (subscribe to it). */
  notificationTopicArn: 'NotificationTopicArn',
  /** `aws apigateway get-api-key --api-key <id> --include-value` prints the key. */
  apiKeyId: 'ApiKeyId',
  /** The events stack's: the Kinesis stream `POST /events` writes to, and the online feature table. */
  eventStreamName: 'EventStreamName',
  featureTableName: 'FeatureTableName',
  /** The stream consumer's on-failure queue, what `cli replay-stream-failures --queue-url` reads. */
  consumerFailureQueueUrl: 'ConsumerFailureQueueUrl',
} as const;

export type StackOutputKey = (typeof STACK_OUTPUTS)[keyof typeof STACK_OUTPUTS];
