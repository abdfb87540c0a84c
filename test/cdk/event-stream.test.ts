import { Template as Assertions, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../cdk/config/load.ts';
import { templatesOf } from './templates-fixture.ts';

type Statement = { Action: string | string[]; Resource: unknown };

describe('Stack: events (Kinesis → consumer, Firehose event log, Glue, alarms)', () => {
  let events: Assertions;
  beforeAll(async () => {
    events = Assertions.fromJSON((await templatesOf(loadConfig())).events as never);
  }, 120_000);

  const logicalIdOf = (type: string) => Object.keys(events.findResources(type))[0]!;
  const statementsOf = (rolePrefix: string): Statement[] =>
    Object.entries(events.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith(rolePrefix))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);

  it('has an encrypted on-demand stream and a feature table with TTL and point-in-time recovery', () => {
    events.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
    events.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('maps the stream to the consumer with batch item failures, bisection, bounded retries and an SQS destination', () => {
    events.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf('AWS::Kinesis::Stream'), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumBatchingWindowInSeconds: 1,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf('AWS::SQS::Queue'), 'Arn'] } },
      },
    });
  });

  it('lets the consumer call PutEvents on the tracker only, and write only its feature table', () => {
    const statements = statementsOf('StreamConsumer');
    const putEvents = statements.filter((s) => s.Action === 'personalize:PutEvents');
    expect(putEvents).toHaveLength(1);
    expect(JSON.stringify(putEvents[0]!.Resource)).toContain('EventTracker');
    const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(JSON.stringify(dynamo.map((s) => s.Resource))).toContain(logicalIdOf('AWS::DynamoDB::Table'));
    expect(statements.every((s) => s.Resource !== '*' || JSON.stringify(s.Action).includes('xray:'))).toBe(
      true,
    );
  });

  it('delivers the stream to events/dt=YYYY-MM-DD/ as JSON Lines, writing only under the event-log prefixes', () => {
    events.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'KinesisStreamAsSource',
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix: 'events/dt=!{timestamp:yyyy-MM-dd}/',
        CompressionFormat: 'UNCOMPRESSED',
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'AppendDelimiterToRecord',
              Parameters: [{ ParameterName: 'Delimiter', ParameterValue: '\\n' }],
            },
          ],
        },
      }),
    });
    const puts = statementsOf('DeliveryRole').filter((s) =>
      JSON.stringify(s.Action).includes('s3:PutObject'),
    );
    expect(puts).toHaveLength(1);
    const objects = (puts[0]!.Resource as { 'Fn::Join': [string, unknown[]] }[]).map(
      (r) => r['Fn::Join'][1][1],
    );
    expect(objects.sort()).toEqual(['/events-errors/*', '/events/*']);
  });

  it('has a Glue table over the log, partitioned by day through projection', () => {
    events.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'event_log',
        PartitionKeys: [{ Name: 'dt', Type: 'string' }],
        Parameters: Match.objectLike({ 'projection.enabled': 'true', 'projection.dt.type': 'date' }),
        StorageDescriptor: Match.objectLike({
          SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
          Columns: Match.arrayWith([{ Name: 'eventid', Type: 'string' }]),
        }),
      }),
    });
  });

  it('alarms on iterator age, consumer errors and records in the failure queue, each notifying the topic', () => {
    const alarms = Object.values(events.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'Errors',
      'IteratorAge',
    ]);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });
});
