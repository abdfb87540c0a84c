import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import {
  Choice,
  Condition,
  Fail,
  JitterType,
  JsonPath,
  Map as MapState,
  Parallel,
  Pass,
  type State,
  Succeed,
  TaskInput,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { CallAwsService, LambdaInvoke, SnsPublish } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { LATEST_IMPORT_MARKER } from '../../../src/config/import-layout.ts';
import type { DeployedSolution } from '../solutions.ts';
import { pollUntilDone } from './poll.ts';

export interface TrainingWorkflowProps {
  readonly validateData: IFunction;
  readonly trainLocalModel: IFunction;
  readonly metricGate: IFunction;
  readonly topic: ITopic;
  /** The data bucket and its import prefix (the `_LATEST` record of the last imported folder lives there). */
  readonly bucket: IBucket;
  readonly importPrefix: string;
  readonly personalizeRoleArn: string;
  readonly datasetArns: readonly string[];
  readonly solutions: readonly DeployedSolution[];
  /** Job names of this deployment start with it (IAM scope). */
  readonly jobNamePrefix: string;
  readonly metricName: string;
  readonly tolerance: number;
  /** Name of the state machine running this definition (it lists its own running executions). */
  readonly stateMachineName: string;
}

/** Errors of a Personalize call that say "try again" (throttling, the service's own failures). */
export const TRANSIENT_ERRORS = [
  'Personalize.ThrottlingException',
  'Personalize.TooManyRequestsException',
  'Personalize.ServiceUnavailableException',
  'Personalize.InternalServerException',
  'Personalize.InternalFailureException',
];

/** Personalize SDK integration (`arn:aws:states:::aws-sdk:personalize:<action>`). */
function personalizeCall(
  scope: Construct,
  name: string,
  action: string,
  parameters: Record<string, unknown>,
  resources: string[],
  extra: {
    resultPath?: string;
    resultSelector?: Record<string, unknown>;
    additionalIamStatements?: PolicyStatement[];
  } = {},
): CallAwsService {
  const task = new CallAwsService(scope, name, {
    service: 'personalize',
    action,
    iamAction: `personalize:${action.charAt(0).toUpperCase()}${action.slice(1)}`,
    parameters,
    iamResources: resources,
    resultPath: extra.resultPath ?? JsonPath.DISCARD,
    resultSelector: extra.resultSelector,
    additionalIamStatements: extra.additionalIamStatements,
  });
  // Runs last hours and poll hundreds of times: one throttled or failed call must not end them.
  task.addRetry({
    errors: TRANSIENT_ERRORS,
    interval: Duration.seconds(5),
    backoffRate: 2,
    maxAttempts: 6,
    jitterStrategy: JitterType.FULL,
  });
  return task;
}

/** Retries calls refused because of the ≤5 pending jobs quota or a resource still settling. */
function retryBusy(task: CallAwsService): CallAwsService {
  task.addRetry({
    errors: ['Personalize.LimitExceededException', 'Personalize.ResourceInUseException'],
    interval: Duration.minutes(1),
    backoffRate: 2,
    maxAttempts: 6,
  });
  return task;
}

/**
 * The training run: validate → import → (local model ∥ per solution: train → gate → create/update campaign)
 * → notify. Every long wait is a Wait/Describe loop with backoff; nothing polls from a Lambda.
 */
export function trainingDefinition(scope: Construct, props: TrainingWorkflowProps): State {
  const stack = Stack.of(scope);
  const arn = (resource: string, resourceName: string) =>
    stack.formatArn({ service: 'personalize', resource, resourceName });
  // Import jobs and solution versions get new ids per run: scope them by this deployment's name prefixes.
  const importJobs = arn('dataset-import-job', `${props.jobNamePrefix}*`);
  // `solution/<name>*` covers the solution (`solution/<name>`) and its versions (`solution/<name>/<id>`):
  // IAM's `*` crosses `/`, and the settings hash ends the solution name.
  const solutionFamilies = props.solutions.map((s) => arn('solution', `${s.campaignName}-*`));
  const versions = solutionFamilies;
  const campaigns = props.solutions.map((s) => s.campaignArn);

  const notify = (name: string, subject: string, message: string) =>
    new SnsPublish(scope, name, {
      topic: props.topic,
      subject,
      message: TaskInput.fromText(message),
      resultPath: JsonPath.DISCARD,
    });
  const notifyFailure = notify(
    'Notify failure',
    'Personalize training failed',
    JsonPath.format(
      'Training run {} failed. {}: {}',
      JsonPath.stringAt('$$.Execution.Name'),
      JsonPath.stringAt('$.error.Error'),
      JsonPath.stringAt('$.error.Cause'),
    ),
  ).next(new Fail(scope, 'Failed', { errorPath: '$.error.Error', causePath: '$.error.Cause' }));
  const catchAll = { resultPath: '$.error' };

  const configure = new Pass(scope, 'Configure', {
    parameters: {
      solutions: props.solutions.map((s) => ({
        key: s.key,
        solutionArn: s.solutionArn,
        campaignName: s.campaignName,
        campaignArn: s.campaignArn,
        minProvisionedTps: s.minProvisionedTps,
      })),
    },
    resultPath: '$.config',
  });

  const validate = new LambdaInvoke(scope, 'Validate data', {
    lambdaFunction: props.validateData,
    payloadResponseOnly: true,
    resultPath: '$.data',
    retryOnServiceExceptions: true,
  }).addCatch(notifyFailure, catchAll);
  const rejectData = notify(
    'Notify invalid data',
    'Personalize training stopped: invalid data',
    JsonPath.format(
      'Training run {} stopped before import; the data has errors: {}',
      JsonPath.stringAt('$$.Execution.Name'),
      JsonPath.jsonToString(JsonPath.objectAt('$.data.report')),
    ),
  ).next(
    new Fail(scope, 'Invalid data', {
      error: 'InvalidData',
      cause: 'the validator reported errors; see the notification',
    }),
  );

  // --- Import each dataset file (at most 3 at once: Personalize allows 5 pending import jobs).
  const createImport = retryBusy(
    personalizeCall(
      scope,
      'Create import job',
      'createDatasetImportJob',
      {
        JobName: JsonPath.stringAt('$.jobName'),
        DatasetArn: JsonPath.stringAt('$.datasetArn'),
        DataSource: { DataLocation: JsonPath.stringAt('$.dataLocation') },
        RoleArn: props.personalizeRoleArn,
        ImportMode: JsonPath.stringAt('$.importMode'),
      },
      [...props.datasetArns, importJobs],
      {
        resultPath: '$.job',
        // Starting an import hands Personalize its service role.
        additionalIamStatements: [
          new PolicyStatement({
            actions: ['iam:PassRole'],
            resources: [props.personalizeRoleArn],
            conditions: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } },
          }),
        ],
      },
    ),
  );
  const importPoll = pollUntilDone(scope, {
    name: 'Import',
    describe: personalizeCall(
      scope,
      'Describe import job',
      'describeDatasetImportJob',
      { DatasetImportJobArn: JsonPath.stringAt('$.job.DatasetImportJobArn') },
      [importJobs],
      { resultPath: '$.described' },
    ),
    statusPath: '$.described.DatasetImportJob.Status',
    succeeded: ['ACTIVE'],
    failed: ['CREATE FAILED'],
    pollPath: '$.poll',
    initialWaitSeconds: 60,
    maxWaitSeconds: 600,
  });
  importPoll.whenSucceeded(new Succeed(scope, 'Imported'));
  importPoll.whenFailed(
    new Fail(scope, 'Import failed', {
      error: 'DatasetImportFailed',
      causePath: '$.described.DatasetImportJob.FailureReason',
    }),
  );
  const importAll = new MapState(scope, 'Import datasets', {
    itemsPath: '$.data.imports',
    maxConcurrency: 3,
    resultPath: JsonPath.DISCARD,
  })
    .itemProcessor(createImport.next(importPoll.start))
    .addCatch(notifyFailure, catchAll);

  // --- Per solution: train, read the gate metric, create or (if not worse) update the campaign.
  const metricOf = { value: JsonPath.numberAt(`$.Metrics.${props.metricName}`) };
  const createVersion = retryBusy(
    personalizeCall(
      scope,
      'Create solution version',
      'createSolutionVersion',
      { SolutionArn: JsonPath.stringAt('$.solution.solutionArn'), TrainingMode: 'FULL' },
      solutionFamilies,
      { resultPath: '$.version' },
    ),
  );
  const trainPoll = pollUntilDone(scope, {
    name: 'Training',
    describe: personalizeCall(
      scope,
      'Describe solution version',
      'describeSolutionVersion',
      { SolutionVersionArn: JsonPath.stringAt('$.version.SolutionVersionArn') },
      versions,
      { resultPath: '$.described' },
    ),
    statusPath: '$.described.SolutionVersion.Status',
    succeeded: ['ACTIVE'],
    failed: ['CREATE FAILED', 'CREATE STOPPED'],
    pollPath: '$.poll',
    initialWaitSeconds: 300,
    maxWaitSeconds: 1800,
  });
  trainPoll.whenFailed(
    new Fail(scope, 'Training failed', {
      error: 'SolutionVersionFailed',
      causePath: '$.described.SolutionVersion.FailureReason',
    }),
  );
  const newMetrics = personalizeCall(
    scope,
    'Get new version metrics',
    'getSolutionMetrics',
    { SolutionVersionArn: JsonPath.stringAt('$.version.SolutionVersionArn') },
    versions,
    { resultPath: '$.newMetric', resultSelector: metricOf },
  );
  const describeLive = personalizeCall(
    scope,
    'Describe live campaign',
    'describeCampaign',
    { CampaignArn: JsonPath.stringAt('$.solution.campaignArn') },
    campaigns,
    {
      resultPath: '$.live',
      resultSelector: {
        solutionVersionArn: JsonPath.stringAt('$.Campaign.SolutionVersionArn'),
        status: JsonPath.stringAt('$.Campaign.Status'),
      },
    },
  );
  const outcome = (name: string, result: string, extra: Record<string, unknown> = {}) =>
    new Pass(scope, name, {
      parameters: {
        solution: JsonPath.stringAt('$.solution.key'),
        outcome: result,
        solutionVersionArn: JsonPath.stringAt('$.version.SolutionVersionArn'),
        metric: JsonPath.numberAt('$.newMetric.value'),
        ...extra,
      },
    });

  const createCampaign = retryBusy(
    personalizeCall(
      scope,
      'Create campaign',
      'createCampaign',
      {
        Name: JsonPath.stringAt('$.solution.campaignName'),
        SolutionVersionArn: JsonPath.stringAt('$.version.SolutionVersionArn'),
        MinProvisionedTPS: JsonPath.numberAt('$.solution.minProvisionedTps'),
      },
      campaigns,
    ),
  );
  /**
   * Waits until the campaign (or its latest update, whose status lives in `LatestCampaignUpdate`) is ACTIVE,
   * then ends with `done`; CREATE FAILED ends the run with the service's failure reason.
   */
  const waitForCampaign = (wait: {
    name: string;
    describeName: string;
    statusOf: '$.described.Campaign' | '$.described.Campaign.LatestCampaignUpdate';
    done: State;
    failName: string;
    error: string;
  }) => {
    const poll = pollUntilDone(scope, {
      name: wait.name,
      describe: personalizeCall(
        scope,
        wait.describeName,
        'describeCampaign',
        { CampaignArn: JsonPath.stringAt('$.solution.campaignArn') },
        campaigns,
        { resultPath: '$.described' },
      ),
      statusPath: `${wait.statusOf}.Status`,
      succeeded: ['ACTIVE'],
      failed: ['CREATE FAILED'],
      pollPath: '$.poll',
      initialWaitSeconds: 60,
      maxWaitSeconds: 300,
    });
    poll.whenSucceeded(wait.done);
    poll.whenFailed(
      new Fail(scope, wait.failName, { error: wait.error, causePath: `${wait.statusOf}.FailureReason` }),
    );
    return poll;
  };
  const createdPoll = waitForCampaign({
    name: 'New campaign',
    describeName: 'Describe new campaign',
    statusOf: '$.described.Campaign',
    done: outcome('Campaign created', 'created'),
    failName: 'Campaign failed',
    error: 'CampaignFailed',
  });
  createCampaign.next(createdPoll.start);
  describeLive.addCatch(createCampaign, {
    errors: ['Personalize.ResourceNotFoundException'],
    resultPath: JsonPath.DISCARD,
  });

  // A campaign whose creation failed serves nothing and cannot be updated: its name is taken until it
  // is deleted, so delete it, wait until Describe no longer finds it, and create it again.
  // No status ends this loop (Personalize has none for "deleted"): Describe raising ResourceNotFound does.
  const deletionWait = new Wait(scope, 'Campaign deletion Wait', {
    time: WaitTime.duration(Duration.minutes(1)),
  });
  deletionWait.next(
    personalizeCall(
      scope,
      'Describe deleted campaign',
      'describeCampaign',
      { CampaignArn: JsonPath.stringAt('$.solution.campaignArn') },
      campaigns,
      { resultPath: JsonPath.DISCARD },
    )
      .addCatch(createCampaign, {
        errors: ['Personalize.ResourceNotFoundException'],
        resultPath: JsonPath.DISCARD,
      })
      .next(deletionWait),
  );
  const deleteFailedCampaign = retryBusy(
    personalizeCall(
      scope,
      'Delete failed campaign',
      'deleteCampaign',
      { CampaignArn: JsonPath.stringAt('$.solution.campaignArn') },
      campaigns,
    ),
  ).next(deletionWait);

  const liveMetrics = personalizeCall(
    scope,
    'Get live version metrics',
    'getSolutionMetrics',
    { SolutionVersionArn: JsonPath.stringAt('$.live.solutionVersionArn') },
    versions,
    { resultPath: '$.liveMetric', resultSelector: metricOf },
  );
  const judge = new LambdaInvoke(scope, 'Judge new version', {
    lambdaFunction: props.metricGate,
    payloadResponseOnly: true,
    payload: TaskInput.fromObject({
      metricName: props.metricName,
      newValue: JsonPath.numberAt('$.newMetric.value'),
      liveValue: JsonPath.numberAt('$.liveMetric.value'),
      tolerance: props.tolerance,
    }),
    resultPath: '$.verdict',
  });
  const updateCampaign = retryBusy(
    personalizeCall(
      scope,
      'Update campaign',
      'updateCampaign',
      {
        CampaignArn: JsonPath.stringAt('$.solution.campaignArn'),
        SolutionVersionArn: JsonPath.stringAt('$.version.SolutionVersionArn'),
        // A changed `campaign.minProvisionedTps` reaches an existing campaign here (CreateCampaign only
        // applies it to a new one).
        MinProvisionedTPS: JsonPath.numberAt('$.solution.minProvisionedTps'),
      },
      campaigns,
    ),
  );
  const updatePoll = waitForCampaign({
    name: 'Campaign update',
    describeName: 'Describe updated campaign',
    statusOf: '$.described.Campaign.LatestCampaignUpdate',
    done: outcome('Campaign updated', 'updated'),
    failName: 'Campaign update failed',
    error: 'CampaignUpdateFailed',
  });
  const reject = notify(
    'Notify rejected version',
    'Personalize campaign kept on the live version',
    JsonPath.format(
      'Campaign {} was not updated: {}. New version {}, live version {}.',
      JsonPath.stringAt('$.solution.campaignName'),
      JsonPath.stringAt('$.verdict.reason'),
      JsonPath.stringAt('$.version.SolutionVersionArn'),
      JsonPath.stringAt('$.live.solutionVersionArn'),
    ),
  ).next(outcome('Version rejected', 'rejected', { reason: JsonPath.stringAt('$.verdict.reason') }));

  trainPoll.whenSucceeded(
    newMetrics
      .next(describeLive)
      .next(
        new Choice(scope, 'Live campaign failed?')
          .when(Condition.stringEquals('$.live.status', 'CREATE FAILED'), deleteFailedCampaign)
          .otherwise(liveMetrics),
      ),
  );
  liveMetrics
    .next(judge)
    .next(
      new Choice(scope, 'Not worse?')
        .when(Condition.booleanEquals('$.verdict.accept', true), updateCampaign.next(updatePoll.start))
        .otherwise(reject),
    );
  const trainSolutions = new MapState(scope, 'Train solutions', {
    itemsPath: '$.config.solutions',
    itemSelector: { solution: JsonPath.objectAt('$$.Map.Item.Value') },
  }).itemProcessor(createVersion.next(trainPoll.start));

  const trainLocal = new LambdaInvoke(scope, 'Train local model', {
    lambdaFunction: props.trainLocalModel,
    payloadResponseOnly: true,
    payload: TaskInput.fromObject({
      dataPrefix: JsonPath.stringAt('$.data.dataPrefix'),
      files: JsonPath.objectAt('$.data.files'),
    }),
    retryOnServiceExceptions: true,
  });
  // An error escaping a branch cancels the other: the Personalize branch has started (and is billed for)
  // its versions by then, so the local model's failure is kept as the branch result and reported after.
  trainLocal.addCatch(
    new Pass(scope, 'Record local model failure', {
      parameters: { error: JsonPath.objectAt('$.error') },
    }),
    catchAll,
  );
  const train = new Parallel(scope, 'Train', { resultPath: '$.results' })
    .branch(trainLocal)
    .branch(trainSolutions)
    .addCatch(notifyFailure, catchAll);
  const localModelFailed = notify(
    'Notify local model failure',
    'Personalize training finished, local model failed',
    JsonPath.format(
      'Training run {} finished in Personalize ({}) but the local model failed. {}: {}',
      JsonPath.stringAt('$$.Execution.Name'),
      JsonPath.jsonToString(JsonPath.objectAt('$.results[1]')),
      JsonPath.stringAt('$.results[0].error.Error'),
      JsonPath.stringAt('$.results[0].error.Cause'),
    ),
  ).next(
    new Fail(scope, 'Local model failed', {
      errorPath: '$.results[0].error.Error',
      causePath: '$.results[0].error.Cause',
    }),
  );

  const success = notify(
    'Notify success',
    'Personalize training finished',
    JsonPath.format(
      'Training run {} finished: {}',
      JsonPath.stringAt('$$.Execution.Name'),
      JsonPath.jsonToString(JsonPath.objectAt('$.results')),
    ),
  ).next(new Succeed(scope, 'Done'));

  // Scheduled retrains name no folder: they rebuild the local model from the last imported one.
  const recordImport = new CallAwsService(scope, 'Record imported folder', {
    service: 's3',
    action: 'putObject',
    parameters: {
      Bucket: props.bucket.bucketName,
      Key: `${props.importPrefix}${LATEST_IMPORT_MARKER}`,
      Body: JsonPath.stringAt('$.data.dataPrefix'),
    },
    iamResources: [props.bucket.arnForObjects(`${props.importPrefix}${LATEST_IMPORT_MARKER}`)],
    resultPath: JsonPath.DISCARD,
  }).addCatch(notifyFailure, catchAll);
  const afterImport = new Choice(scope, 'Imported anything?')
    .when(Condition.isPresent('$.data.imports[0]'), recordImport.next(train))
    .otherwise(train);
  train.next(
    new Choice(scope, 'Local model trained?')
      .when(Condition.isPresent('$.results[0].error'), localModelFailed)
      .otherwise(success),
  );

  // An upload marker and the schedule can start runs minutes apart; two at once would race for the same
  // import jobs and solution versions. Executions are listed newest first, so every run agrees on which
  // one is oldest: that one goes on, the others step aside with a notification.
  const listRunning = new CallAwsService(scope, 'List running executions', {
    service: 'sfn',
    action: 'listExecutions',
    iamAction: 'states:ListExecutions',
    parameters: { StateMachineArn: JsonPath.stringAt('$$.StateMachine.Id'), StatusFilter: 'RUNNING' },
    iamResources: [
      stack.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: props.stateMachineName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    ],
    resultSelector: { arns: JsonPath.listAt('$.Executions[*].ExecutionArn') },
    resultPath: '$.running',
  });
  const findOldest = new Pass(scope, 'Find oldest run', {
    parameters: {
      // Nested intrinsics, written out: the CDK helpers type the index and the sum as different kinds.
      'oldest.$':
        'States.ArrayGetItem($.running.arns, States.MathAdd(States.ArrayLength($.running.arns), -1))',
      self: JsonPath.stringAt('$$.Execution.Id'),
    },
    resultPath: '$.running',
  });
  const stepAside = notify(
    'Notify overlapping run',
    'Personalize training skipped: a run is in progress',
    JsonPath.format(
      'Training run {} did not start: run {} is still in progress. Start again after it ends if this input is still needed.',
      JsonPath.stringAt('$$.Execution.Name'),
      JsonPath.stringAt('$.running.oldest'),
    ),
  ).next(new Succeed(scope, 'Skipped: another run in progress'));
  listRunning.next(
    new Choice(scope, 'Other runs?')
      .when(
        Condition.isPresent('$.running.arns[1]'),
        findOldest.next(
          new Choice(scope, 'Oldest run?')
            .when(Condition.stringEqualsJsonPath('$.running.oldest', '$.running.self'), configure)
            .otherwise(stepAside),
        ),
      )
      .otherwise(configure),
  );

  configure
    .next(validate)
    .next(
      new Choice(scope, 'Data valid?')
        .when(Condition.booleanEquals('$.data.valid', false), rejectData)
        .otherwise(importAll.next(afterImport)),
    );
  return listRunning;
}
