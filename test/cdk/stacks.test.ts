import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  API_ROUTE_LIST,
  pathParamNames,
  requiredQueryParams,
  requiresJsonBody,
} from '../../src/api/routes.ts';
import { STACK_OUTPUTS } from '../../src/config/stack-outputs.ts';
import { type SynthesizedApp, synthesizeApp } from './app-fixture.ts';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** Every identity-policy statement of a template (AWS::IAM::Policy and inline role policies). */
function statementsOf(template: Template): { path: string; statement: Statement }[] {
  const found: { path: string; statement: Statement }[] = [];
  const collect = (path: string, document: { Statement: Statement[] } | undefined) => {
    for (const statement of document?.Statement ?? []) found.push({ path, statement });
  };
  for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    collect(id, policy.Properties.PolicyDocument);
  }
  for (const [id, role] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const inline of role.Properties.Policies ?? []) collect(id, inline.PolicyDocument);
  }
  return found;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

type Resource = { Properties: Record<string, unknown> };

/** Each API Gateway method of a template as the manifest would write it, with what it requires and calls. */
function apiMethodsOf(template: Template) {
  const resources = template.findResources('AWS::ApiGateway::Resource') as Record<string, Resource>;
  const pathOf = (ref: unknown): string => {
    const id = (ref as { Ref?: string }).Ref;
    const resource = id === undefined ? undefined : resources[id];
    if (!resource) return ''; // the root resource (Fn::GetAtt RootResourceId)
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  // The serving stack's functions are the constructs 'Recommend' and 'Events' (cdk/lib/serving-stack.ts).
  const lambdaOf = (integration: unknown): string => {
    const parts = (integration as { Uri: { 'Fn::Join': [string, unknown[]] } }).Uri['Fn::Join'][1];
    const target = parts.find((part) => typeof part === 'object' && part !== null && 'Fn::GetAtt' in part);
    const logicalId = (target as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    return logicalId.replace(/[0-9A-F]{8}$/, '').toLowerCase();
  };
  return Object.values(template.findResources('AWS::ApiGateway::Method') as Record<string, Resource>).map(
    ({ Properties: method }) => ({
      key: `${method.HttpMethod} ${pathOf(method.ResourceId) || '/'}`,
      lambda: lambdaOf(method.Integration),
      parameters: Object.keys((method.RequestParameters as object | undefined) ?? {}).sort(),
      jsonBody: method.RequestModels !== undefined,
    }),
  );
}

/** Actions that AWS authorizes only on "*" (no resource-level permissions), all read-only or telemetry. */
const STAR_ONLY_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'personalize:ListEventTrackers',
  'personalize:ListFilters',
  'personalize:ListDatasetImportJobs',
  'personalize:ListDatasets',
  'personalize:ListSolutions',
  'personalize:ListSolutionVersions',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

describe('Personalize CDK app', () => {
  let synth: SynthesizedApp;
  let data: Template;
  let training: Template;
  let serving: Template;
  let events: Template;
  let all: Template[];

  beforeAll(async () => {
    synth = await synthesizeApp();
    if (synth.templates) ({ data, training, serving, events } = synth.templates);
    all = [data, training, serving, events];
  });

  it('synthesizes with zero unacknowledged cdk-nag AwsSolutions findings', () => {
    expect(synth.error).toBeUndefined();
  });

  describe('Stack: data', () => {
    it('encrypts, versions, logs and locks down the data bucket', () => {
      data.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'data/' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: 'exports/', ExpirationInDays: 30 }),
            Match.objectLike({ Prefix: 'batch/output/', ExpirationInDays: 30 }),
          ]),
        },
      });
    });

    it('denies requests without TLS and lets Personalize in only from this account', () => {
      data.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Sid: 'PersonalizeRead',
              Principal: { Service: 'personalize.amazonaws.com' },
              Action: 's3:GetObject',
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ]),
        },
      });
    });

    it('guards the Personalize role against the confused deputy', () => {
      data.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { Service: 'personalize.amazonaws.com' },
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: { 'aws:SourceArn': Match.anyValue() },
              },
            },
          ],
        },
      });
    });

    it('creates the dataset group, one schema and one dataset per type', () => {
      data.resourceCountIs('AWS::Personalize::DatasetGroup', 1);
      data.resourceCountIs('AWS::Personalize::Schema', 3);
      for (const type of ['Interactions', 'Items', 'Users']) {
        data.hasResourceProperties('Custom::PersonalizeDataset', {
          DatasetType: type,
          Name: `personalize-${type.toLowerCase()}-dev`,
          SchemaArn: { 'Fn::GetAtt': [`${type}Schema`, 'SchemaArn'] },
        });
      }
      // The dataset is a custom resource (schema swaps in place); none is an AWS::Personalize::Dataset.
      data.resourceCountIs('AWS::Personalize::Dataset', 0);
    });

    it('creates the solutions after the datasets they train on', () => {
      const datasets = Object.keys(data.findResources('Custom::PersonalizeDataset'));
      for (const solution of Object.values(data.findResources('AWS::Personalize::Solution'))) {
        expect(solution.DependsOn).toEqual(expect.arrayContaining(datasets));
      }
    });

    it('creates the three solutions and switches auto-training off explicitly', () => {
      data.resourceCountIs('AWS::Personalize::Solution', 3);
      for (const recipe of ['aws-user-personalization', 'aws-sims', 'aws-personalized-ranking']) {
        data.hasResourceProperties('AWS::Personalize::Solution', {
          RecipeArn: `arn:aws:personalize:::recipe/${recipe}`,
          Name: Match.stringLikeRegexp('^personalize-.*-dev-[0-9a-f]{8}$'),
        });
      }
      const updates = data.findResources('Custom::AWS');
      const bodies = Object.values(updates).map((r) => JSON.stringify(r.Properties.Create));
      expect(bodies).toHaveLength(3);
      for (const body of bodies) {
        expect(body).toContain('UpdateSolution');
        expect(body).toContain('\\"performAutoTraining\\":false');
      }
    });

    it('runs the teardown before the solutions and the dataset group are deleted', () => {
      const [teardown] = Object.values(data.findResources('Custom::PersonalizeTeardown'));
      const dependsOn = teardown!.DependsOn as string[];
      const solutions = Object.keys(data.findResources('AWS::Personalize::Solution'));
      const group = Object.keys(data.findResources('AWS::Personalize::DatasetGroup'));
      expect(dependsOn).toEqual(expect.arrayContaining([...solutions, ...group]));
    });
  });

  describe('Stack: training', () => {
    it('orchestrates Personalize through direct SDK integrations, with logs and tracing', () => {
      const [machine] = Object.values(
        training.findResources('AWS::StepFunctions::StateMachine', {
          Properties: { StateMachineName: 'personalize-dev-training' },
        }),
      );
      const definition = JSON.stringify(machine!.Properties.DefinitionString);
      for (const action of [
        'createDatasetImportJob',
        'describeDatasetImportJob',
        'createSolutionVersion',
        'describeSolutionVersion',
        'getSolutionMetrics',
        'describeCampaign',
        'createCampaign',
        'updateCampaign',
      ]) {
        expect(definition).toContain(`:states:::aws-sdk:personalize:${action}`);
      }
      expect(machine!.Properties.TracingConfiguration).toEqual({ Enabled: true });
      expect(machine!.Properties.LoggingConfiguration.Level).toBe('ALL');
    });

    it('starts on a _READY marker under the import prefix and on the retraining schedule', () => {
      training.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: { object: { key: [{ wildcard: 'import/*/_READY' }] } },
        },
      });
      training.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(7 days)',
        Target: { Input: JSON.stringify({ skipImport: true }) },
      });
    });

    it('passes the Personalize role only to Personalize', () => {
      const passRoles = statementsOf(training).filter(({ statement }) =>
        asList(statement.Action).includes('iam:PassRole'),
      );
      expect(passRoles.length).toBeGreaterThan(0);
      for (const { statement } of passRoles) {
        expect(statement).toMatchObject({
          Condition: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } },
        });
      }
    });

    it('adds the scheduled batch inference workflow when enabled', () => {
      training.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: 'personalize-dev-batch',
        DefinitionString: Match.anyValue(),
      });
      const [batch] = Object.values(
        training.findResources('AWS::StepFunctions::StateMachine', {
          Properties: { StateMachineName: 'personalize-dev-batch' },
        }),
      );
      expect(JSON.stringify(batch!.Properties.DefinitionString)).toContain(
        'aws-sdk:personalize:createBatchInferenceJob',
      );
    });
  });

  describe('Stack: serving', () => {
    it('runs every Lambda on Node 22+ and arm64', () => {
      for (const template of all) {
        for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
          if (fn.Properties.Handler === 'index.handler' && fn.Properties.Architectures) {
            expect(fn.Properties.Architectures).toEqual(['arm64']);
            expect(fn.Properties.Runtime).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
          }
        }
      }
      serving.resourcePropertiesCountIs(
        'AWS::Lambda::Function',
        { Architectures: ['arm64'], Runtime: 'nodejs24.x' },
        2,
      );
    });

    it('throttles, logs and keys the API', () => {
      serving.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'dev',
        TracingEnabled: true,
        AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
        MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })],
      });
      serving.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
      serving.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Quota: { Limit: 100000, Period: 'DAY' },
      });
      serving.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'GET',
        ApiKeyRequired: true,
        RequestParameters: { 'method.request.querystring.userId': true },
      });
      // Every route, plus the ANY catch-all of each path (which answers 405); only preflights go without a key.
      serving.resourcePropertiesCountIs(
        'AWS::ApiGateway::Method',
        { ApiKeyRequired: true },
        API_ROUTE_LIST.length + new Set(API_ROUTE_LIST.map((r) => r.path)).size,
      );
    });

    it('has one API Gateway method per manifest route, calling its Lambda with its required parameters', () => {
      const expected = API_ROUTE_LIST.map((route) => ({
        key: `${route.method} ${route.path}`,
        lambda: route.lambda,
        parameters: [
          ...pathParamNames(route.path).map((name) => `method.request.path.${name}`),
          ...requiredQueryParams(route).map((name) => `method.request.querystring.${name}`),
        ].sort(),
        jsonBody: requiresJsonBody(route),
      }));
      const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
      const routes = apiMethodsOf(serving).filter((m) => !/^(OPTIONS|ANY) /.test(m.key));
      expect(routes.sort(byKey)).toEqual(expected.sort(byKey));
    });

    it('passes the campaign ARNs, known at synth, to the recommend Lambda', () => {
      const [recommend] = Object.values(
        serving.findResources('AWS::Lambda::Function', {
          Properties: { Description: Match.stringLikeRegexp('^Recommendations') },
        }),
      );
      const env = JSON.stringify(recommend!.Properties.Environment.Variables);
      for (const name of [
        'personalize-user-personalization-dev',
        'personalize-sims-dev',
        'personalize-ranking-dev',
      ]) {
        expect(env).toContain(`:campaign/${name}`);
      }
    });

    it('keeps the online store with TTL and point-in-time recovery', () => {
      serving.hasResourceProperties('AWS::DynamoDB::Table', {
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      });
    });

    it('encrypts the events dead-letter queue and refuses plain HTTP', () => {
      serving.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
      serving.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('creates the event tracker and the configured filters', () => {
      serving.resourceCountIs('AWS::Personalize::EventTracker', 1);
      serving.hasResourceProperties('AWS::Personalize::Filter', {
        Name: Match.stringLikeRegexp('^personalize-category-[0-9a-f]{8}-dev$'),
        FilterExpression: 'INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)',
      });
    });

    it('alarms on 5xx, fallback rate, dead letters and campaign TPS', () => {
      serving.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5XXError' });
      serving.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
      });
      serving.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: Match.stringLikeRegexp('^IF\\(answers > 0, \\(FILL\\(f0, 0\\)') }),
        ]),
      });
      serving.resourcePropertiesCountIs(
        'AWS::CloudWatch::Alarm',
        {
          Metrics: Match.arrayWith([Match.objectLike({ Expression: Match.stringLikeRegexp('Calls / 60$') })]),
        },
        3,
      );
      serving.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });
  });

  it('exports every output key the scripts read', () => {
    const outputs = all.flatMap((t) => Object.keys(t.toJSON().Outputs ?? {}));
    expect(outputs).toEqual(expect.arrayContaining(Object.values(STACK_OUTPUTS)));
  });

  it('grants no personalize:* and no "*" resource where an ARN is known', () => {
    const problems: string[] = [];
    for (const template of all) {
      for (const { path, statement } of statementsOf(template)) {
        if (statement.Effect !== 'Allow') continue;
        const actions = asList(statement.Action);
        for (const action of actions) {
          if (/^personalize:\*$|^personalize:[A-Za-z]*\*$|^\*$/.test(action))
            problems.push(`${path}: ${action}`);
        }
        if (asList(statement.Resource).includes('*')) {
          const scoped = actions.filter((a) => !STAR_ONLY_ACTIONS.has(a));
          if (scoped.length > 0) problems.push(`${path}: ${scoped.join(', ')} on "*"`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
