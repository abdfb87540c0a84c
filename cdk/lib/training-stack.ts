import { CfnOutput, Duration, Fn, RemovalPolicy, Size, Stack, type StackProps } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { DefinitionBody, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { READY_MARKER } from '../../src/config/import-layout.ts';
import { LAMBDA_ENV, WORKFLOW_ENV } from '../../src/config/lambda-env.ts';
import { STACK_OUTPUTS } from '../../src/config/stack-outputs.ts';
import { dataLambdaTmpMiB } from '../config/data-lambda-storage.ts';
import type { ResourceNames } from '../config/names.ts';
import type { AppConfig } from '../config/schema.ts';
import { MODEL_ARTIFACT_KEY } from './data-bucket.ts';
import type { DataStack } from './data-stack.ts';
import { acknowledgeNag, nagArnOf } from './nag.ts';
import { ProjectFunction } from './node-function.ts';
import { BatchWorkflow } from './workflow/batch-workflow.ts';
import { trainingDefinition } from './workflow/training-workflow.ts';

/** How cdk-nag prints `arn:${Partition}:personalize:${Region}:${AccountId}`. */
const NAG_PERSONALIZE_ARN = 'arn:<AWS::Partition>:personalize:<AWS::Region>:<AWS::AccountId>';

export interface TrainingStackProps extends StackProps {
  readonly config: AppConfig;
  readonly names: ResourceNames;
  readonly logRetention: RetentionDays;
  readonly data: DataStack;
}

/** The training workflow, what starts it (S3 marker, schedules) and the optional batch inference workflow. */
export class TrainingStack extends Stack {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: TrainingStackProps) {
    super(scope, id, props);
    const { config, names, data, logRetention } = props;
    const bucket = data.bucket;
    const importPrefix = config.training.importPrefix;
    const importObjects = `${Fn.importValue(data.bucketArnExport)}/${importPrefix}*`;
    this.addStackDependency(data);
    const jobNamePrefix = `${names.stackPrefix}-`;

    const schemaArns = Object.fromEntries(data.datasets.map((d) => [d.key, d.schemaArn]));
    // Both copy the run's CSV files to /tmp.
    const ephemeralStorageSize = Size.mebibytes(dataLambdaTmpMiB(config.training.maxDatasetGiB));
    const validateData = new ProjectFunction(this, 'ValidateData', {
      entry: LAMBDA_ENV.validateData.entry,
      description: 'Streams a training run’s CSV files from S3 and validates them before import',
      logRetention,
      ephemeralStorageSize,
      memorySize: 2048,
      timeout: Duration.minutes(15),
      environment: {
        [WORKFLOW_ENV.bucketName]: bucket.bucketName,
        [WORKFLOW_ENV.importPrefix]: importPrefix,
        [WORKFLOW_ENV.importMode]: config.training.importMode,
        [WORKFLOW_ENV.jobNamePrefix]: jobNamePrefix,
        [WORKFLOW_ENV.datasetArns]: this.toJsonString(
          Object.fromEntries(data.datasets.map((d) => [d.key, d.datasetArn])),
        ),
        [WORKFLOW_ENV.schemaArns]: this.toJsonString(schemaArns),
      },
    });
    validateData.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
    // Whether a dataset already holds a bulk import decides FULL vs INCREMENTAL; List* takes no resource ARN.
    validateData.addToRolePolicy(
      new PolicyStatement({ actions: ['personalize:ListDatasetImportJobs'], resources: ['*'] }),
    );

    const trainLocalModel = new ProjectFunction(this, 'TrainLocalModel', {
      entry: LAMBDA_ENV.trainLocalModel.entry,
      description: 'Trains the local fallback model from the run’s S3 data and stores the artifact',
      logRetention,
      ephemeralStorageSize,
      memorySize: 4096,
      timeout: Duration.minutes(15),
      environment: {
        [WORKFLOW_ENV.bucketName]: bucket.bucketName,
        [WORKFLOW_ENV.modelArtifactKey]: MODEL_ARTIFACT_KEY,
        [WORKFLOW_ENV.schemaArns]: this.toJsonString(schemaArns),
      },
    });
    trainLocalModel.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(MODEL_ARTIFACT_KEY)],
      }),
    );
    // Both steps read the run's files and the schemas Personalize holds, so they parse what is imported.
    for (const fn of [validateData, trainLocalModel]) {
      fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [importObjects] }));
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['personalize:DescribeSchema'],
          resources: Object.values(schemaArns),
        }),
      );
      acknowledgeNag(
        fn,
        'IAM5',
        'reads only the objects under the import prefix; lists import jobs, which has no resource ARN',
        [
          `Resource::${data.bucketArnExport}/${importPrefix}*`,
          ...(fn === validateData ? ['Resource::*'] : []),
        ],
      );
    }

    const metricGate = new ProjectFunction(this, 'MetricGate', {
      entry: LAMBDA_ENV.metricGate.entry,
      description: 'Compares the new solution version’s metric with the live one',
      logRetention,
      memorySize: 128,
    });

    const stateMachineName = `${names.stackPrefix}-training`;
    this.stateMachine = new StateMachine(this, 'TrainingWorkflow', {
      stateMachineName,
      definitionBody: DefinitionBody.fromChainable(
        trainingDefinition(this, {
          validateData,
          trainLocalModel,
          metricGate,
          topic: data.topic,
          bucket,
          importPrefix,
          personalizeRoleArn: data.personalizeRoleArn,
          datasetArns: data.datasets.map((d) => d.datasetArn),
          solutions: data.solutions,
          jobNamePrefix,
          metricName: config.training.metricGate.metricName,
          tolerance: config.training.metricGate.tolerance,
          stateMachineName,
        }),
      ),
      timeout: Duration.days(2),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'TrainingWorkflowLogs', {
          retention: logRetention,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });

    acknowledgeNag(
      this.stateMachine,
      'IAM5',
      'ids of import jobs and solution versions are new per run; each grant is scoped to this deployment’s name prefix, X-Ray takes only "*", and Lambda grants cover the function’s versions',
      [
        'Resource::*',
        ...[validateData, trainLocalModel, metricGate].map((fn) => `Resource::${nagArnOf(fn)}:*`),
        `Resource::${NAG_PERSONALIZE_ARN}:dataset-import-job/${jobNamePrefix}*`,
        ...data.solutions.map((s) => `Resource::${NAG_PERSONALIZE_ARN}:solution/${s.campaignName}-*`),
      ],
    );

    // New files: CSVs under <importPrefix><batch>/, then a `_READY` marker starts one run for the folder.
    new Rule(this, 'OnImportReady', {
      description: 'Starts training when a _READY marker lands under the import prefix',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [bucket.bucketName] },
          object: { key: [{ wildcard: `${importPrefix}*/${READY_MARKER}` }] },
        },
      },
      targets: [
        new SfnStateMachine(this.stateMachine, {
          input: RuleTargetInput.fromObject({ objectKey: EventField.fromPath('$.detail.object.key') }),
        }),
      ],
    });
    const scheduled = (id: string, expression: string, input: Record<string, unknown>, description: string) =>
      new Schedule(this, id, {
        description,
        schedule: ScheduleExpression.expression(expression),
        target: new StepFunctionsStartExecution(this.stateMachine, {
          input: ScheduleTargetInput.fromObject(input),
        }),
      });
    if (config.training.importSchedule !== null) {
      scheduled(
        'ImportSchedule',
        config.training.importSchedule,
        { importPrefix: `${importPrefix}scheduled/` },
        'Imports and trains on schedule',
      );
    }
    if (config.training.retrainSchedule !== null) {
      scheduled(
        'RetrainSchedule',
        config.training.retrainSchedule,
        {
          skipImport: true,
          // Without a prefix the run retrains on the folder of the last import (`<importPrefix>_LATEST`).
          ...(config.training.retrainDataPrefix !== null && {
            importPrefix: config.training.retrainDataPrefix,
          }),
        },
        'Retrains on the data already imported',
      );
    }

    if (config.batch.enabled) {
      new BatchWorkflow(this, 'Batch', { config, names, data, logRetention });
    }
    new CfnOutput(this, STACK_OUTPUTS.trainingStateMachineArn, { value: this.stateMachine.stateMachineArn });
  }
}
