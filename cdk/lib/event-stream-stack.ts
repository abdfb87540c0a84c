import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IStream, Stream } from 'aws-cdk-lib/aws-kinesis';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, LogStream, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LAMBDA_ENV, RUNTIME_ENV, SERVING_ENV } from '../../src/config/lambda-env.ts';
import { STACK_OUTPUTS } from '../../src/config/stack-outputs.ts';
import type { ResourceNames } from '../config/names.ts';
import type { AppConfig } from '../config/schema.ts';
import type { DataStack } from './data-stack.ts';
import { acknowledgeNag } from './nag.ts';
import { ProjectFunction } from './node-function.ts';
import { UndeliveredQueue } from './stores.ts';

/** The event log's prefix in the data bucket: Firehose writes `events/dt=YYYY-MM-DD/` (src/event-log). */
export const EVENT_LOG_PREFIX = 'events/';

export interface EventStreamStackProps extends StackProps {
  readonly config: AppConfig;
  readonly names: ResourceNames;
  readonly logRetention: RetentionDays;
  readonly data: DataStack;
  /** The serving stack's event tracker, which the consumer sends PutEvents to. */
  readonly tracker: { readonly trackingId: string; readonly arn: string };
}

/**
 * The real-time pipeline in the cloud, reading the serving stack's Kinesis stream of validated events: a
 * consumer Lambda (batching window, ReportBatchItemFailures, bisect on error, bounded retries, an SQS
 * on-failure destination) that fills the serving stack's DynamoDB feature table and calls PutEvents; Firehose
 * delivering the same stream to the data bucket as the event log (JSON Lines by day) with a Glue table over
 * it; alarms on iterator age and failures. The stream and the table are found by their fixed names
 * (`names.eventStream`, `names.featureTable`), never through exports.
 */
export class EventStreamStack extends Stack {
  readonly stream: IStream;
  readonly featureTable: ITable;

  constructor(scope: Construct, id: string, props: EventStreamStackProps) {
    super(scope, id, props);
    const { names, data, logRetention } = props;

    this.stream = Stream.fromStreamArn(
      this,
      'Events',
      this.formatArn({ service: 'kinesis', resource: 'stream', resourceName: names.eventStream }),
    );
    this.featureTable = Table.fromTableName(this, 'Features', names.featureTable);

    const failures = new UndeliveredQueue(this, 'ConsumerFailures', {
      purpose:
        "this queue is the consumer's on-failure destination: it holds the records the retries could not deliver",
    });

    const consumer = new ProjectFunction(this, 'StreamConsumer', {
      entry: LAMBDA_ENV.streamConsumer.entry,
      description: 'Events stream → feature table and PutEvents; failed records reported per item',
      logRetention,
      // A batch of 100 costs ~120 ms of CPU at a full vCPU, almost all of it the SDK serializing ~3 requests
      // per event (`npm run bench -- stream-consumer`): at the default 256 MB (1/7 vCPU) one shard's batches
      // would take most of a second each.
      memorySize: 1024,
      timeout: Duration.seconds(60),
      environment: {
        [SERVING_ENV.featureTable]: this.featureTable.tableName,
        [SERVING_ENV.trackingId]: props.tracker.trackingId,
        [RUNTIME_ENV.powertoolsServiceName]: 'stream-consumer',
        [RUNTIME_ENV.powertoolsMetricsNamespace]: 'PersonalizeToolkit',
      },
    });
    consumer.addEventSource(
      new KinesisEventSource(this.stream, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        // Each batch waits on ~300 DynamoDB writes: up to 4 batches of a shard at once keep the consumer near a
        // shard's 1,000 records/s. Lambda still hands each partition key (a user, or an anonymous session) its
        // records in order, which is all PutEvents needs; the feature store's updates commute.
        parallelizationFactor: 4,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(failures),
      }),
    );
    consumer.addToRolePolicy(
      new PolicyStatement({ actions: ['personalize:PutEvents'], resources: [props.tracker.arn] }),
    );
    this.featureTable.grantReadWriteData(consumer);

    // Firehose: the stream to the data bucket, one JSON object per line, a folder per arrival day.
    const deliveryLogs = new LogGroup(this, 'DeliveryLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const deliveryLogStream = new LogStream(this, 'DeliveryLogStream', { logGroup: deliveryLogs });
    const deliveryRole = new Role(this, 'DeliveryRole', {
      assumedBy: new ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    this.stream.grantRead(deliveryRole);
    // Through the data stack's named export, so object grants read the same in every stack (and to cdk-nag).
    const bucketArn = Fn.importValue(data.bucketArnExport);
    const objectPrefixes = [EVENT_LOG_PREFIX, 'events-errors/'];
    deliveryRole.addToPolicy(
      new PolicyStatement({
        actions: ['s3:AbortMultipartUpload', 's3:PutObject'],
        resources: objectPrefixes.map((prefix) => `${bucketArn}/${prefix}*`),
      }),
    );
    deliveryRole.addToPolicy(
      new PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [data.bucket.bucketArn],
      }),
    );
    deliveryRole.addToPolicy(
      new PolicyStatement({ actions: ['logs:PutLogEvents'], resources: [deliveryLogs.logGroupArn] }),
    );
    acknowledgeNag(
      deliveryRole,
      'IAM5',
      'Firehose writes objects of its own names under the event-log prefixes only',
      objectPrefixes.map((prefix) => `Resource::${data.bucketArnExport}/${prefix}*`),
    );
    const delivery = new CfnDeliveryStream(this, 'EventLogDelivery', {
      deliveryStreamType: 'KinesisStreamAsSource',
      kinesisStreamSourceConfiguration: {
        kinesisStreamArn: this.stream.streamArn,
        roleArn: deliveryRole.roleArn,
      },
      extendedS3DestinationConfiguration: {
        bucketArn: data.bucket.bucketArn,
        roleArn: deliveryRole.roleArn,
        prefix: `${EVENT_LOG_PREFIX}dt=!{timestamp:yyyy-MM-dd}/`,
        errorOutputPrefix: 'events-errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
        bufferingHints: { intervalInSeconds: 60, sizeInMBs: 64 },
        // The readers (src/event-log) take plain JSON Lines; a newline after each record makes them lines.
        compressionFormat: 'UNCOMPRESSED',
        fileExtension: '.jsonl',
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'AppendDelimiterToRecord',
              parameters: [{ parameterName: 'Delimiter', parameterValue: '\\n' }],
            },
          ],
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: deliveryLogs.logGroupName,
          logStreamName: deliveryLogStream.logStreamName,
        },
      },
    });
    // Firehose checks its permissions on creation: the role's policy must exist first (the role itself is
    // already a dependency through its ARN).
    delivery.node.addDependency(deliveryRole.node.findChild('DefaultPolicy'));
    acknowledgeNag(
      delivery,
      'KDF1',
      'a delivery stream reading from Kinesis cannot encrypt itself; the source stream and the bucket are encrypted',
    );

    // Glue: the event log as a table, partitions found by projection (no crawler to run).
    const database = new CfnDatabase(this, 'EventLogDatabase', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: `${names.stackPrefix.replaceAll('-', '_')}_events` },
    });
    const glueTable = new CfnTable(this, 'EventLogTable', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: `${names.stackPrefix.replaceAll('-', '_')}_events`,
      tableInput: {
        name: 'event_log',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'projection.dt.range': '2024-01-01,NOW',
          'storage.location.template': `s3://${data.bucket.bucketName}/${EVENT_LOG_PREFIX}dt=\${dt}/`,
        },
        partitionKeys: [{ name: 'dt', type: 'string' }],
        storageDescriptor: {
          location: `s3://${data.bucket.bucketName}/${EVENT_LOG_PREFIX}`,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
          // schemas/event-log.json, in Glue's types.
          columns: [
            { name: 'schemaversion', type: 'int' },
            { name: 'eventid', type: 'string' },
            { name: 'eventtype', type: 'string' },
            { name: 'userid', type: 'string' },
            { name: 'sessionid', type: 'string' },
            { name: 'itemid', type: 'string' },
            { name: 'value', type: 'double' },
            { name: 'timestamp', type: 'double' },
            { name: 'context', type: 'map<string,string>' },
            { name: 'receivedat', type: 'double' },
          ],
        },
      },
    });
    glueTable.addResourceDependency(database);

    const notify = new SnsAction(data.topic);
    const alarms = [
      new Alarm(this, 'IteratorAgeAlarm', {
        alarmDescription: 'The consumer falls behind the events stream (oldest unread record over a minute)',
        metric: consumer.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
        threshold: 60_000,
        evaluationPeriods: 5,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'ConsumerErrorsAlarm', {
        alarmDescription: 'The stream consumer failed whole invocations',
        metric: consumer.metricErrors({ period: Duration.minutes(5) }),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'ConsumerFailuresAlarm', {
        alarmDescription: 'Records the retries could not deliver are waiting in the on-failure queue',
        metric: failures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
    for (const alarm of alarms) alarm.addAlarmAction(notify);

    // What `npm run cli -- replay-stream-failures` needs (README "Real-time pipeline").
    new CfnOutput(this, STACK_OUTPUTS.eventStreamName, { value: names.eventStream });
    new CfnOutput(this, STACK_OUTPUTS.featureTableName, { value: this.featureTable.tableName });
    new CfnOutput(this, STACK_OUTPUTS.consumerFailureQueueUrl, { value: failures.queueUrl });
  }
}
