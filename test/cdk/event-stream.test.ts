import { Template as Assertions, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../cdk/config/default.ts';
import { deepMerge, loadConfig, parseConfig } from '../../cdk/config/load.ts';
import { type Template, templatesOf } from './templates-fixture.ts';

type Statement = { Action: string | string[]; Resource: unknown };

const STREAM_ARN = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':kinesis:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':stream/personalize-events-dev',
    ],
  ],
};

describe('Stack: events (Kinesis → consumer, Firehose event log, Glue, alarms)', () => {
  let templates: Record<'data' | 'training' | 'serving' | 'events', Template>;
  let events: Assertions;
  let serving: Assertions;
  beforeAll(async () => {
    templates = await templatesOf(loadConfig());
    events = Assertions.fromJSON(templates.events as never);
    serving = Assertions.fromJSON(templates.serving as never);
  }, 120_000);

  const logicalIdOf = (type: string) => Object.keys(events.findResources(type))[0]!;
  const statementsOf = (rolePrefix: string, stack = events): Statement[] =>
    Object.entries(stack.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith(rolePrefix))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);

  it('finds the encrypted on-demand stream and the feature table of the serving stack by name', () => {
    serving.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'personalize-events-dev',
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      RetentionPeriodHours: 24,
    });
    serving.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'personalize-features-dev',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    events.resourceCountIs('AWS::Kinesis::Stream', 0);
    events.resourceCountIs('AWS::DynamoDB::Table', 0);
  });

  it('has no stack cycle: serving imports nothing from events, events imports no stream or table', () => {
    expect(JSON.stringify(templates.serving)).not.toContain('personalize-dev-events:');
    const imports = JSON.stringify(templates.events).match(/"Fn::ImportValue":"[^"]+"/g) ?? [];
    expect(imports.filter((i) => /Stream|Table/.test(i))).toEqual([]);
  });

  it('lets the events Lambda only put records into the stream, and the recommend Lambda only read features', () => {
    const events = statementsOf('EventsServiceRole', serving);
    expect(events.filter((s) => JSON.stringify(s.Action).includes('kinesis:'))).toEqual([
      expect.objectContaining({
        Action: 'kinesis:PutRecords',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^EventStream/), 'Arn'] },
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('personalize:PutEvents');
    const featureTable = Object.keys(serving.findResources('AWS::DynamoDB::Table')).find((id) =>
      id.startsWith('FeatureTable'),
    )!;
    const reads = statementsOf('RecommendServiceRole', serving).filter((s) =>
      JSON.stringify(s.Resource).includes(featureTable),
    );
    expect(reads).toHaveLength(1);
    expect(
      (reads[0]!.Action as string[]).every((a) =>
        /^dynamodb:(BatchGet|Get|Query|Scan|Describe|ConditionCheck)/.test(a),
      ),
    ).toBe(true);
    serving.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FEATURE_TABLE_NAME: { Ref: featureTable } }) },
    });
  });

  it('maps the stream to the consumer with batch item failures, bisection, bounded retries and an SQS destination', () => {
    events.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: STREAM_ARN,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumBatchingWindowInSeconds: 1,
      ParallelizationFactor: 4,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf('AWS::SQS::Queue'), 'Arn'] } },
      },
    });
  });

  it('keeps the logical ids the tables and queues had before KeyedTable and UndeliveredQueue (no replacement)', () => {
    // Ids of the templates deployed before cdk/lib/stores.ts: a changed id would replace the resource.
    expect(Object.keys(templates.serving.Resources)).toEqual(
      expect.arrayContaining(['OnlineStore74D88D63', 'EventsDeadLetters49D856A5']),
    );
    expect(Object.keys(templates.events.Resources)).toContain('ConsumerFailures74B6E16F');
    serving.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ TableName: 'personalize-features-dev' }),
    });
  });

  it('gives the consumer the memory (and so the CPU) the stream-consumer bench asks for', () => {
    events.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Events stream'),
      MemorySize: 1024,
    });
  });

  it('lets the consumer call PutEvents on the tracker only, and write only its feature table', () => {
    const statements = statementsOf('StreamConsumer');
    const putEvents = statements.filter((s) => s.Action === 'personalize:PutEvents');
    expect(putEvents).toHaveLength(1);
    expect(JSON.stringify(putEvents[0]!.Resource)).toContain('EventTracker');
    const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(JSON.stringify(dynamo.map((s) => s.Resource))).toContain(':table/personalize-features-dev');
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

describe('Config: serving.eventStream (the stream capacity)', () => {
  it('synthesizes a provisioned stream with the configured shards', async () => {
    const config = parseConfig(
      deepMerge(DEFAULT_CONFIG, { serving: { eventStream: { mode: 'PROVISIONED', shards: 4 } } }),
    );
    const serving = Assertions.fromJSON((await templatesOf(config)).serving as never);
    serving.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      ShardCount: 4,
    });
  }, 120_000);

  it.each([
    [{ mode: 'PROVISIONED' }, 'config.serving.eventStream.shards', 'required with mode PROVISIONED'],
    [{ mode: 'PROVISIONED', shards: 0 }, 'config.serving.eventStream.shards', 'at least 1 shard'],
    [{ mode: 'PROVISIONED', shards: 501 }, 'config.serving.eventStream.shards', 'at most 500 shards'],
    [
      { mode: 'ON_DEMAND', shards: 2 },
      'config.serving.eventStream',
      'shards apply only with mode PROVISIONED',
    ],
    [{ mode: 'FAST' }, 'config.serving.eventStream.mode', '"ON_DEMAND", or "PROVISIONED" with shards'],
  ])('refuses %j naming the key', (eventStream, field, message) => {
    expect(() => parseConfig(deepMerge(DEFAULT_CONFIG, { serving: { eventStream } }))).toThrow(
      expect.objectContaining({
        issues: [expect.objectContaining({ field, message: expect.stringContaining(message) })],
      }),
    );
  });
});
