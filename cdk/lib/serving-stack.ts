import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnEventTracker, CfnFilter } from 'aws-cdk-lib/aws-personalize';
import type { Construct } from 'constructs';
import { LAMBDA_ENV, RUNTIME_ENV, SERVING_ENV } from '../../src/config/lambda-env.ts';
import { STACK_OUTPUTS } from '../../src/config/stack-outputs.ts';
import type { ResourceNames } from '../config/names.ts';
import type { AppConfig, SolutionKey } from '../config/schema.ts';
import { MODEL_ARTIFACT_KEY } from './data-bucket.ts';
import type { DataStack } from './data-stack.ts';
import { ProjectFunction } from './node-function.ts';
import { ServingApi } from './serving-api.ts';
import { SERVING_METRICS, ServingMonitoring } from './serving-monitoring.ts';
import { KeyedTable, UndeliveredQueue } from './stores.ts';

export interface ServingStackProps extends StackProps {
  readonly config: AppConfig;
  readonly names: ResourceNames;
  readonly logRetention: RetentionDays;
  readonly data: DataStack;
}

/** The recommend Lambda's environment variable for each solution's campaign ARN. */
const CAMPAIGN_ENV: Record<SolutionKey, string> = {
  userPersonalization: SERVING_ENV.campaignUserPersonalization,
  similarItems: SERVING_ENV.campaignSimilarItems,
  personalizedRanking: SERVING_ENV.campaignPersonalizedRanking,
};

/** Attribute that DynamoDB's TTL reads (epoch seconds) in the online store. */
export const ONLINE_STORE_TTL_ATTRIBUTE = 'expiresAt';
/** Attribute DynamoDB's TTL reads in the feature table (src/features/dynamodb-layout.ts). */
export const FEATURE_TTL_ATTRIBUTE = 'expiresAt';
/** Hours the events stream keeps a record: the consumer's retries and the failure replay must read it within. */
export const EVENT_STREAM_RETENTION_HOURS = 24;

/**
 * The serving path: REST API → recommend / events Lambdas, the events stream `POST /events` writes to, the
 * online store and the feature table, the events dead-letter queue, the event tracker and filters, and the
 * dashboard with alarms. The stream and the feature table live here, not in the events stack that consumes
 * them, because the API writes and reads them: the events stack depends on this one (for the tracker) and
 * finds both by their fixed names, so no stack depends on the other both ways.
 */
export class ServingStack extends Stack {
  /** The event tracker, for the stream consumer's PutEvents (EventStreamStack). */
  readonly tracker: { readonly trackingId: string; readonly arn: string };

  constructor(scope: Construct, id: string, props: ServingStackProps) {
    super(scope, id, props);
    const { config, names, data, logRetention } = props;

    const tracker = new CfnEventTracker(this, 'EventTracker', {
      name: names.eventTracker,
      datasetGroupArn: data.datasetGroupArn,
    });
    this.tracker = { trackingId: tracker.attrTrackingId, arn: tracker.attrEventTrackerArn };
    const filters = config.filters.map(
      (f) =>
        [
          f.name,
          new CfnFilter(this, `Filter-${f.name}`, {
            name: names.filter(f.name, f.expression),
            datasetGroupArn: data.datasetGroupArn,
            filterExpression: f.expression,
          }),
        ] as const,
    );
    const filterArns = filters.map(([, filter]) => filter.attrFilterArn);

    const table = new KeyedTable(this, 'OnlineStore', {
      timeToLiveAttribute: ONLINE_STORE_TTL_ATTRIBUTE,
      removalPolicy: config.dataRetention === 'RETAIN' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const deadLetters = new UndeliveredQueue(this, 'EventsDeadLetters', {
      purpose: 'this queue is the dead-letter queue: the events Lambda sends what the events stream refused',
    });
    const { eventStream } = config.serving;
    const stream = new Stream(this, 'EventStream', {
      streamName: names.eventStream,
      streamMode: eventStream.mode === 'ON_DEMAND' ? StreamMode.ON_DEMAND : StreamMode.PROVISIONED,
      ...(eventStream.mode === 'PROVISIONED' && { shardCount: eventStream.shards }),
      encryption: StreamEncryption.MANAGED,
      retentionPeriod: Duration.hours(EVENT_STREAM_RETENTION_HOURS),
      // A buffer of at most a day (the event log in the data bucket keeps the events): a retained stream
      // would only block its fixed name on the next deploy.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Always DESTROY: the features are derived from the stream within their windows (the event log in the
    // data bucket is the record), and a retained table would block the fixed name on the next deploy.
    const featureTable = new KeyedTable(this, 'FeatureTable', {
      tableName: names.featureTable,
      timeToLiveAttribute: FEATURE_TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const campaignEnv = Object.fromEntries(data.solutions.map((s) => [CAMPAIGN_ENV[s.key], s.campaignArn]));
    const shared = {
      [SERVING_ENV.onlineStoreTable]: table.tableName,
      [SERVING_ENV.onlineStoreTtlDays]: String(config.serving.onlineStoreTtlDays),
      [SERVING_ENV.corsAllowOrigin]: config.serving.allowOrigin,
      [RUNTIME_ENV.powertoolsMetricsNamespace]: SERVING_METRICS.namespace,
    };
    const recommend = new ProjectFunction(this, 'Recommend', {
      entry: LAMBDA_ENV.recommend.entry,
      description: 'Recommendations from the campaigns, with the local model as fallback',
      logRetention,
      memorySize: 2048,
      timeout: Duration.seconds(10),
      environment: {
        ...shared,
        [RUNTIME_ENV.powertoolsServiceName]: SERVING_METRICS.service,
        ...campaignEnv,
        // The same filters by name: ARNs for Personalize, expressions for the local fallback.
        [SERVING_ENV.filterExpressions]: JSON.stringify(
          Object.fromEntries(config.filters.map((f) => [f.name, f.expression])),
        ),
        [SERVING_ENV.filterArns]: this.toJsonString(
          Object.fromEntries(filters.map(([name, f]) => [name, f.attrFilterArn])),
        ),
        [SERVING_ENV.modelArtifact]: `s3://${data.bucket.bucketName}/${MODEL_ARTIFACT_KEY}`,
        // Live popularity for GET /popular and cold-start trending, and the FeatureRead routes.
        [SERVING_ENV.featureTable]: featureTable.tableName,
      },
    });
    const byKey = (keys: readonly string[]) =>
      data.solutions.filter((s) => keys.includes(s.key)).map((s) => s.campaignArn);
    const recommendationCampaigns = byKey(['userPersonalization', 'similarItems']);
    if (recommendationCampaigns.length > 0) {
      recommend.addToRolePolicy(
        new PolicyStatement({
          actions: ['personalize:GetRecommendations'],
          resources: [...recommendationCampaigns, ...filterArns],
        }),
      );
    }
    const rankingCampaigns = byKey(['personalizedRanking']);
    if (rankingCampaigns.length > 0) {
      recommend.addToRolePolicy(
        new PolicyStatement({
          actions: ['personalize:GetPersonalizedRanking'],
          resources: [...rankingCampaigns, ...filterArns],
        }),
      );
    }
    recommend.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [data.bucket.arnForObjects(MODEL_ARTIFACT_KEY)],
      }),
    );
    table.grantReadWriteData(recommend);
    featureTable.grantReadData(recommend);

    const events = new ProjectFunction(this, 'Events', {
      entry: LAMBDA_ENV.events.entry,
      description:
        'Writes validated events to the events stream; what it refuses goes to the dead-letter queue',
      logRetention,
      environment: {
        ...shared,
        [RUNTIME_ENV.powertoolsServiceName]: 'events',
        [SERVING_ENV.eventStream]: stream.streamName,
        [SERVING_ENV.deadLetterQueueUrl]: deadLetters.queueUrl,
      },
    });
    events.addToRolePolicy(
      new PolicyStatement({ actions: ['kinesis:PutRecords'], resources: [stream.streamArn] }),
    );
    deadLetters.grantSendMessages(events);
    table.grantReadWriteData(events);

    const servingApi = new ServingApi(this, 'Api', {
      name: `${names.stackPrefix}-api`,
      stage: config.stage,
      serving: config.serving,
      logRetention,
      recommend,
      events,
      allowOrigin: config.serving.allowOrigin,
    });
    const api = servingApi.api;
    new CfnOutput(this, STACK_OUTPUTS.apiKeyId, { value: servingApi.apiKeyId });
    new ServingMonitoring(this, 'Monitoring', {
      name: `${names.stackPrefix}-serving`,
      api,
      deadLetterQueue: deadLetters,
      solutions: data.solutions,
      fallbackRateAlarm: config.serving.fallbackRateAlarm,
      topic: data.topic,
    });
    new CfnOutput(this, STACK_OUTPUTS.apiUrl, { value: api.url });
  }
}
