/**
 * The environment variables of every Lambda: the stacks (`cdk/lib/`) set them, the handlers (`lambdas/`) read
 * them, both through these constants. No imports, so the CDK app loads this without any Lambda runtime code;
 * `test/cdk/lambda-env.test.ts` checks each synthesized function against its entry in `LAMBDA_ENV`.
 */

/**
 * Serving Lambdas (recommend, events, stream consumer) and the replay tools (`scripts/replay-dlq.ts`,
 * `replay-stream-failures`), which read the setup of the Lambda whose failures they replay.
 */
export const SERVING_ENV = {
  campaignUserPersonalization: 'PERSONALIZE_CAMPAIGN_USER_PERSONALIZATION_ARN',
  campaignSimilarItems: 'PERSONALIZE_CAMPAIGN_SIMILAR_ITEMS_ARN',
  campaignPersonalizedRanking: 'PERSONALIZE_CAMPAIGN_PERSONALIZED_RANKING_ARN',
  /** JSON object: filter name → filter ARN. */
  filterArns: 'PERSONALIZE_FILTER_ARNS',
  trackingId: 'PERSONALIZE_TRACKING_ID',
  timeoutMs: 'PERSONALIZE_TIMEOUT_MS',
  maxAttempts: 'PERSONALIZE_MAX_ATTEMPTS',
  /** `s3://bucket/key` in the cloud, a path locally. */
  modelArtifact: 'MODEL_ARTIFACT_URI',
  /** Seconds between checks for a retrained model artifact (S3 ETag). */
  modelRefreshSeconds: 'MODEL_REFRESH_SECONDS',
  /** JSON object: filter name → filter expression, for the local model. */
  filterExpressions: 'FILTER_EXPRESSIONS',
  onlineStoreTable: 'ONLINE_STORE_TABLE_NAME',
  onlineStoreTtlDays: 'ONLINE_STORE_TTL_DAYS',
  /** The online feature store's DynamoDB table (src/features/dynamodb-layout.ts); unset: an empty store. */
  featureTable: 'FEATURE_TABLE_NAME',
  /** How old the recommend Lambda's live-popularity ranking may be before `GET /popular` ranks again. */
  livePopularityMaxAgeMs: 'LIVE_POPULARITY_MAX_AGE_MS',
  /** The Kinesis stream `POST /events` writes validated events to (the consumer reads them from it). */
  eventStream: 'EVENT_STREAM_NAME',
  deadLetterQueueUrl: 'EVENTS_DLQ_URL',
  eventsMaxAttempts: 'EVENTS_MAX_ATTEMPTS',
  eventsBudgetMs: 'EVENTS_BUDGET_MS',
  circuitFailureThreshold: 'CIRCUIT_FAILURE_THRESHOLD',
  circuitWindowMs: 'CIRCUIT_WINDOW_MS',
  circuitCoolDownMs: 'CIRCUIT_COOL_DOWN_MS',
  corsAllowOrigin: 'CORS_ALLOW_ORIGIN',
} as const;

/** Steps of the training workflow (validate data, train the local model). */
export const WORKFLOW_ENV = {
  bucketName: 'BUCKET_NAME',
  /** The training import prefix, e.g. `import/` (its `_LATEST` names the last imported folder). */
  importPrefix: 'IMPORT_PREFIX',
  /** `FULL` or `INCREMENTAL`. */
  importMode: 'IMPORT_MODE',
  jobNamePrefix: 'JOB_NAME_PREFIX',
  /** JSON object: dataset type → dataset ARN. */
  datasetArns: 'DATASET_ARNS',
  /** JSON object: dataset type → schema ARN. */
  schemaArns: 'SCHEMA_ARNS',
  modelArtifactKey: 'MODEL_ARTIFACT_KEY',
} as const;

/** Read by Powertools and Node themselves; set by the stacks. */
export const RUNTIME_ENV = {
  nodeOptions: 'NODE_OPTIONS',
  powertoolsServiceName: 'POWERTOOLS_SERVICE_NAME',
  powertoolsMetricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

type Values<T> = T[keyof T];
export type LambdaEnvName =
  | Values<typeof SERVING_ENV>
  | Values<typeof WORKFLOW_ENV>
  | Values<typeof RUNTIME_ENV>;

/** What one Lambda reads: `required` must be set by its stack; `optional` have defaults. */
export interface LambdaEnvSpec {
  /** Handler file relative to the repository root, as the stack gives it to `ProjectFunction`. */
  readonly entry: string;
  readonly required: readonly LambdaEnvName[];
  readonly optional: readonly LambdaEnvName[];
}

const TELEMETRY = [RUNTIME_ENV.powertoolsServiceName, RUNTIME_ENV.powertoolsMetricsNamespace] as const;

/** What `personalizeFromEnv` reads (lambdas/shared/wiring.ts). */
const PERSONALIZE = [
  SERVING_ENV.campaignUserPersonalization,
  SERVING_ENV.campaignSimilarItems,
  SERVING_ENV.campaignPersonalizedRanking,
  SERVING_ENV.trackingId,
  SERVING_ENV.filterArns,
  SERVING_ENV.timeoutMs,
  SERVING_ENV.maxAttempts,
] as const;

const ONLINE_STORE = [SERVING_ENV.onlineStoreTable, SERVING_ENV.onlineStoreTtlDays] as const;

export const LAMBDA_ENV = {
  recommend: {
    entry: 'lambdas/recommend/index.ts',
    required: [SERVING_ENV.modelArtifact],
    optional: [
      ...PERSONALIZE,
      ...ONLINE_STORE,
      ...TELEMETRY,
      SERVING_ENV.featureTable,
      SERVING_ENV.livePopularityMaxAgeMs,
      SERVING_ENV.filterExpressions,
      SERVING_ENV.modelRefreshSeconds,
      SERVING_ENV.circuitFailureThreshold,
      SERVING_ENV.circuitWindowMs,
      SERVING_ENV.circuitCoolDownMs,
      SERVING_ENV.corsAllowOrigin,
    ],
  },
  events: {
    entry: 'lambdas/events/index.ts',
    required: [SERVING_ENV.eventStream, SERVING_ENV.deadLetterQueueUrl],
    optional: [
      ...ONLINE_STORE,
      ...TELEMETRY,
      SERVING_ENV.eventsMaxAttempts,
      SERVING_ENV.eventsBudgetMs,
      SERVING_ENV.corsAllowOrigin,
    ],
  },
  streamConsumer: {
    entry: 'lambdas/stream-consumer/index.ts',
    required: [SERVING_ENV.featureTable],
    optional: [...PERSONALIZE, ...TELEMETRY],
  },
  validateData: {
    entry: 'lambdas/workflow/validate-data.ts',
    required: [
      WORKFLOW_ENV.bucketName,
      WORKFLOW_ENV.importPrefix,
      WORKFLOW_ENV.importMode,
      WORKFLOW_ENV.jobNamePrefix,
      WORKFLOW_ENV.datasetArns,
      WORKFLOW_ENV.schemaArns,
    ],
    optional: [],
  },
  trainLocalModel: {
    entry: 'lambdas/workflow/train-local-model.ts',
    required: [WORKFLOW_ENV.bucketName, WORKFLOW_ENV.modelArtifactKey, WORKFLOW_ENV.schemaArns],
    optional: [],
  },
  metricGate: { entry: 'lambdas/workflow/metric-gate.ts', required: [], optional: [] },
  teardownStart: { entry: 'lambdas/workflow/teardown-start.ts', required: [], optional: [] },
  teardownCheck: { entry: 'lambdas/workflow/teardown-check.ts', required: [], optional: [] },
  datasetOnEvent: { entry: 'lambdas/workflow/dataset-on-event.ts', required: [], optional: [] },
  datasetIsComplete: { entry: 'lambdas/workflow/dataset-is-complete.ts', required: [], optional: [] },
} as const satisfies Record<string, LambdaEnvSpec>;
