import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import {
  DefinitionBody,
  Fail,
  JsonPath,
  LogLevel,
  StateMachine,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { CallAwsService, SnsPublish } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { ResourceNames } from '../../config/names.ts';
import type { AppConfig } from '../../config/schema.ts';
import { DATA_PREFIXES } from '../data-bucket.ts';
import type { DataStack } from '../data-stack.ts';
import { acknowledgeNag } from '../nag.ts';
import { pollUntilDone } from './poll.ts';

export interface BatchWorkflowProps {
  readonly config: AppConfig;
  readonly names: ResourceNames;
  readonly data: DataStack;
  readonly logRetention: RetentionDays;
}

/**
 * Scheduled batch inference: runs the configured solution's live campaign version over
 * `batch/input/<inputFile>` into `batch/output/<execution>/`, waits, and notifies.
 */
export class BatchWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: BatchWorkflowProps) {
    super(scope, id);
    const { config, data } = props;
    // The configuration guarantees the batch solution is configured.
    const solution = data.solutions.find((s) => s.key === config.batch.solution)!;
    const stack = Stack.of(this);
    const jobs = stack.formatArn({
      service: 'personalize',
      resource: 'batch-inference-job',
      resourceName: `${props.names.stackPrefix}-*`,
    });
    const versions = stack.formatArn({
      service: 'personalize',
      resource: 'solution',
      // Covers `solution/<name>` and `solution/<name>/<version>` (IAM's `*` crosses `/`).
      resourceName: `${solution.campaignName}-*`,
    });
    const bucketName = data.bucket.bucketName;

    const describeCampaign = new CallAwsService(this, 'Describe campaign', {
      service: 'personalize',
      action: 'describeCampaign',
      iamAction: 'personalize:DescribeCampaign',
      parameters: { CampaignArn: solution.campaignArn },
      iamResources: [solution.campaignArn],
      resultSelector: { solutionVersionArn: JsonPath.stringAt('$.Campaign.SolutionVersionArn') },
      resultPath: '$.live',
    });
    const createJob = new CallAwsService(this, 'Create batch inference job', {
      service: 'personalize',
      action: 'createBatchInferenceJob',
      iamAction: 'personalize:CreateBatchInferenceJob',
      parameters: {
        JobName: JsonPath.format(`${props.names.stackPrefix}-{}`, JsonPath.uuid()),
        SolutionVersionArn: JsonPath.stringAt('$.live.solutionVersionArn'),
        NumResults: config.batch.numResults,
        RoleArn: data.personalizeRoleArn,
        JobInput: {
          S3DataSource: { Path: `s3://${bucketName}/${DATA_PREFIXES.batchInput}${config.batch.inputFile}` },
        },
        JobOutput: {
          S3DataDestination: {
            Path: JsonPath.format(
              `s3://${bucketName}/${DATA_PREFIXES.batchOutput}{}/`,
              JsonPath.stringAt('$$.Execution.Name'),
            ),
          },
        },
      },
      iamResources: [jobs, versions],
      additionalIamStatements: [
        new PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [data.personalizeRoleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } },
        }),
      ],
      resultPath: '$.job',
    });
    const poll = pollUntilDone(this, {
      name: 'Batch job',
      describe: new CallAwsService(this, 'Describe batch inference job', {
        service: 'personalize',
        action: 'describeBatchInferenceJob',
        iamAction: 'personalize:DescribeBatchInferenceJob',
        parameters: { BatchInferenceJobArn: JsonPath.stringAt('$.job.BatchInferenceJobArn') },
        iamResources: [jobs],
        resultPath: '$.described',
      }),
      statusPath: '$.described.BatchInferenceJob.Status',
      // Documented without the CREATE prefix, observed with it (reference §1.6): accept both.
      succeeded: ['ACTIVE'],
      failed: ['CREATE FAILED', 'FAILED'],
      pollPath: '$.poll',
      initialWaitSeconds: 300,
      maxWaitSeconds: 1800,
    });
    const notify = (name: string, subject: string, message: string) =>
      new SnsPublish(this, name, {
        topic: data.topic,
        subject,
        message: TaskInput.fromText(message),
        resultPath: JsonPath.DISCARD,
      });
    poll.whenSucceeded(
      notify(
        'Notify batch done',
        'Personalize batch inference finished',
        JsonPath.format('Batch inference job {} finished', JsonPath.stringAt('$.job.BatchInferenceJobArn')),
      ).next(new Succeed(this, 'Batch done')),
    );
    poll.whenFailed(
      notify(
        'Notify batch failed',
        'Personalize batch inference failed',
        JsonPath.format(
          'Batch inference job {} failed: {}',
          JsonPath.stringAt('$.job.BatchInferenceJobArn'),
          JsonPath.stringAt('$.described.BatchInferenceJob.FailureReason'),
        ),
      ).next(new Fail(this, 'Batch failed', { error: 'BatchInferenceFailed' })),
    );

    // Before the first training run there is no campaign: say so (and what to do) instead of a silent Fail.
    describeCampaign.addCatch(
      notify(
        'Notify no campaign',
        'Personalize batch inference skipped: no live campaign',
        JsonPath.format(
          'Batch inference run {} found no campaign {}. Run training first (upload data with a _READY marker); batch inference uses the campaign’s live solution version.',
          JsonPath.stringAt('$$.Execution.Name'),
          solution.campaignName,
        ),
      ).next(
        new Fail(this, 'No live campaign', {
          error: 'NoLiveCampaign',
          cause: `campaign ${solution.campaignName} does not exist; run training first`,
        }),
      ),
      { errors: ['Personalize.ResourceNotFoundException'], resultPath: '$.error' },
    );

    this.stateMachine = new StateMachine(this, 'Resource', {
      stateMachineName: `${props.names.stackPrefix}-batch`,
      definitionBody: DefinitionBody.fromChainable(describeCampaign.next(createJob).next(poll.start)),
      timeout: Duration.days(1),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'Logs', {
          retention: props.logRetention,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });
    acknowledgeNag(
      this.stateMachine,
      'IAM5',
      'batch job ids are new per run and scoped to this deployment’s prefix; solution versions of the batch solution only; X-Ray takes only "*"',
      [
        'Resource::*',
        `Resource::arn:<AWS::Partition>:personalize:<AWS::Region>:<AWS::AccountId>:batch-inference-job/${props.names.stackPrefix}-*`,
        `Resource::arn:<AWS::Partition>:personalize:<AWS::Region>:<AWS::AccountId>:solution/${solution.campaignName}-*`,
      ],
    );
    new Schedule(this, 'Schedule', {
      description: 'Runs batch inference on schedule',
      schedule: ScheduleExpression.expression(config.batch.schedule),
      target: new StepFunctionsStartExecution(this.stateMachine, {}),
    });
  }
}
