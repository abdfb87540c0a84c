import { rmSync } from 'node:fs';
import { Stage } from 'aws-cdk-lib';
import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { judge } from '../../lambdas/workflow/metric-gate.ts';
import { stateMachineDefinition } from './definition.ts';
import { trainingWorkflowStack } from './training-workflow-stack.ts';

type Json = Record<string, unknown>;

const ACCOUNT = 'arn:aws:personalize:us-east-1:123456789012';
const LIVE_VERSION = `${ACCOUNT}:solution/p-user-personalization-dev-abc/live`;
const NEW_VERSION = `${ACCOUNT}:solution/p-user-personalization-dev-abc/new`;
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:p-dev-training';
const SELF = 'arn:aws:states:us-east-1:123456789012:execution:p-dev-training:run-1';
const OTHER = 'arn:aws:states:us-east-1:123456789012:execution:p-dev-training:run-0';
const WAITS = [
  'Import Wait',
  'Training Wait',
  'New campaign Wait',
  'Campaign update Wait',
  'Campaign deletion Wait',
];

/** Error as the SDK integration raises it (`Personalize.<Exception>`). */
function serviceError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

interface Scenario {
  readonly dataValid?: boolean;
  readonly campaignExists: boolean;
  /** Status of the existing campaign (ACTIVE unless said otherwise). */
  readonly liveStatus?: 'ACTIVE' | 'CREATE FAILED';
  readonly training: 'ACTIVE' | 'CREATE FAILED';
  readonly newMetric: number;
  readonly liveMetric?: number;
  /** ARNs of the RUNNING executions, newest first as ListExecutions returns them (default: this run only). */
  readonly running?: readonly string[];
  /** The local-model Lambda raises this error. */
  readonly localModelError?: Error;
  /** States whose first call is throttled, as Personalize does under load. */
  readonly throttleOnce?: readonly string[];
}

/** A fake Personalize (and Lambdas, SNS) behind the state names; records every call by state name. */
function fakeServices(scenario: Scenario) {
  const calls: { state: string; input: Json }[] = [];
  const statuses = (final: string) => ['CREATE IN_PROGRESS', final];
  const trainingStatuses = statuses(scenario.training);
  const campaignStatuses = statuses('ACTIVE');
  const updateStatuses = statuses('ACTIVE');
  const deletionStatuses = ['DELETE PENDING', 'DELETE IN_PROGRESS'];
  const handlers: Record<string, (input: Json) => unknown> = {
    'List running executions': () => ({
      Executions: (scenario.running ?? [SELF]).map((arn) => ({ ExecutionArn: arn, Status: 'RUNNING' })),
    }),
    'Validate data': () => ({
      valid: scenario.dataValid ?? true,
      dataPrefix: 'import/batch-1/',
      files: { interactions: 'import/batch-1/interactions.csv' },
      imports:
        scenario.dataValid === false
          ? []
          : [
              {
                datasetType: 'interactions',
                datasetArn: `${ACCOUNT}:dataset/p-dsg-dev/INTERACTIONS`,
                dataLocation: 's3://bucket/import/batch-1/interactions.csv',
                jobName: 'p-dev-interactions-20261129T000000',
                importMode: 'FULL',
              },
            ],
      report: { ok: scenario.dataValid ?? true, counts: { error: scenario.dataValid === false ? 2 : 0 } },
    }),
    'Record imported folder': () => ({ ETag: '"1"' }),
    'Create import job': () => ({ DatasetImportJobArn: `${ACCOUNT}:dataset-import-job/p-dev-interactions` }),
    'Describe import job': () => ({ DatasetImportJob: { Status: 'ACTIVE' } }),
    'Train local model': () => {
      if (scenario.localModelError) throw scenario.localModelError;
      return { artifactUri: 's3://bucket/models/local/model.bin' };
    },
    'Create solution version': () => ({ SolutionVersionArn: NEW_VERSION }),
    'Describe solution version': () => ({
      SolutionVersion: {
        Status: trainingStatuses.shift() ?? scenario.training,
        FailureReason: 'Dataset has fewer than 25 users with at least 2 interactions each.',
      },
    }),
    'Get new version metrics': () => ({
      Metrics: { normalized_discounted_cumulative_gain_at_10: scenario.newMetric, coverage: 0.3 },
    }),
    'Describe live campaign': () => {
      if (!scenario.campaignExists)
        throw serviceError('Personalize.ResourceNotFoundException', 'no campaign');
      return { Campaign: { SolutionVersionArn: LIVE_VERSION, Status: scenario.liveStatus ?? 'ACTIVE' } };
    },
    'Delete failed campaign': () => ({}),
    'Describe deleted campaign': () => {
      const status = deletionStatuses.shift();
      if (!status) throw serviceError('Personalize.ResourceNotFoundException', 'no campaign');
      return { Campaign: { Status: status } };
    },
    'Get live version metrics': () => ({
      Metrics: { normalized_discounted_cumulative_gain_at_10: scenario.liveMetric },
    }),
    'Judge new version': (input) => judge(input as never),
    'Create campaign': () => ({ CampaignArn: `${ACCOUNT}:campaign/p-user-personalization-dev` }),
    'Describe new campaign': () => ({ Campaign: { Status: campaignStatuses.shift() ?? 'ACTIVE' } }),
    'Update campaign': () => ({ CampaignArn: `${ACCOUNT}:campaign/p-user-personalization-dev` }),
    'Describe updated campaign': () => ({
      Campaign: { Status: 'ACTIVE', LatestCampaignUpdate: { Status: updateStatuses.shift() ?? 'ACTIVE' } },
    }),
    'Notify success': () => ({ MessageId: '1' }),
    'Notify failure': () => ({ MessageId: '2' }),
    'Notify invalid data': () => ({ MessageId: '3' }),
    'Notify rejected version': () => ({ MessageId: '4' }),
    'Notify local model failure': () => ({ MessageId: '5' }),
    'Notify overlapping run': () => ({ MessageId: '6' }),
  };
  const taskResourceLocalHandlers = Object.fromEntries(
    Object.entries(handlers).map(([state, handle]) => [
      state,
      (input: unknown) => {
        calls.push({ state, input: input as Json });
        if (scenario.throttleOnce?.includes(state) && calls.filter((c) => c.state === state).length === 1)
          throw serviceError('Personalize.ThrottlingException', 'Rate exceeded');
        return handle(input as Json) as never;
      },
    ]),
  );
  const called = (state: string) => calls.filter((c) => c.state === state);
  return { taskResourceLocalHandlers, calls, called };
}

describe('Training workflow (Step Functions definition, run locally)', () => {
  let definition: Record<string, unknown>;

  beforeAll(() => {
    const stack = trainingWorkflowStack({ tolerance: 0.01 });
    definition = stateMachineDefinition(stack);
    // Synthesis wrote a temporary cloud assembly; only the template inside it was needed.
    rmSync(Stage.of(stack)!.outdir, { recursive: true, force: true });
  });

  async function run(scenario: Scenario) {
    const services = fakeServices(scenario);
    const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    const execution = machine.run(
      { objectKey: 'import/batch-1/_READY' },
      {
        overrides: {
          taskResourceLocalHandlers: services.taskResourceLocalHandlers,
          waitTimeOverrides: Object.fromEntries(WAITS.map((w) => [w, 0])),
          retryIntervalOverrides: Object.fromEntries(
            (scenario.throttleOnce ?? []).map((state) => [state, 0]),
          ),
        },
        context: {
          Execution: { Name: 'run-1', Id: SELF, StartTime: '2026-11-29T00:00:00Z' },
          StateMachine: { Id: MACHINE, Name: 'p-dev-training' },
        },
      },
    );
    const outcome = await execution.result.then(
      (result: unknown) => ({ ok: true as const, result }),
      (error: unknown) => ({ ok: false as const, error: error as Error & { cause?: unknown } }),
    );
    return { ...services, outcome };
  }

  it('imports, trains, creates the missing campaign and notifies success', async () => {
    // Act
    const { outcome, called } = await run({ campaignExists: false, training: 'ACTIVE', newMetric: 0.2 });

    // Assess
    expect(outcome.ok).toBe(true);
    expect(called('Create import job')[0]!.input).toMatchObject({
      JobName: 'p-dev-interactions-20261129T000000',
      DataSource: { DataLocation: 's3://bucket/import/batch-1/interactions.csv' },
      ImportMode: 'FULL',
      RoleArn: 'arn:aws:iam::123456789012:role/personalize',
    });
    // The folder of this import is recorded for scheduled retrains.
    expect(called('Record imported folder')[0]!.input).toMatchObject({
      Key: 'import/_LATEST',
      Body: 'import/batch-1/',
    });
    expect(called('Describe solution version')).toHaveLength(2);
    expect(called('Create campaign')[0]!.input).toEqual({
      Name: 'p-user-personalization-dev',
      SolutionVersionArn: NEW_VERSION,
      MinProvisionedTPS: 1,
    });
    expect(called('Update campaign')).toHaveLength(0);
    expect(called('Train local model')[0]!.input).toEqual({
      dataPrefix: 'import/batch-1/',
      files: { interactions: 'import/batch-1/interactions.csv' },
    });
    const message = String(called('Notify success')[0]!.input.Message);
    expect(message).toContain('"outcome":"created"');
    expect(message).toContain('model.bin');
  });

  it('retries a throttled Describe or GetSolutionMetrics during a long run instead of failing it', async () => {
    const throttleOnce = ['Describe import job', 'Describe solution version', 'Get new version metrics'];
    const { outcome, called } = await run({
      campaignExists: false,
      training: 'ACTIVE',
      newMetric: 0.2,
      throttleOnce,
    });
    expect(outcome.ok).toBe(true);
    for (const state of throttleOnce) expect(called(state).length, state).toBeGreaterThan(1);
    expect(called('Notify failure')).toHaveLength(0);
    expect(called('Notify success')).toHaveLength(1);
  });

  it('updates the campaign when the new version is within the tolerance', async () => {
    // Act
    const { outcome, called } = await run({
      campaignExists: true,
      training: 'ACTIVE',
      newMetric: 0.195,
      liveMetric: 0.2,
    });

    // Assess
    expect(outcome.ok).toBe(true);
    // The configured TPS goes with the update, so a changed `minProvisionedTps` reaches a live campaign.
    expect(called('Update campaign')[0]!.input).toMatchObject({
      SolutionVersionArn: NEW_VERSION,
      MinProvisionedTPS: 1,
    });
    expect(String(called('Notify success')[0]!.input.Message)).toContain('"outcome":"updated"');
  });

  it('keeps the live version when the new one is worse, and says why with both values', async () => {
    // Act
    const { outcome, called } = await run({
      campaignExists: true,
      training: 'ACTIVE',
      newMetric: 0.1,
      liveMetric: 0.2,
    });

    // Assess
    expect(outcome.ok).toBe(true);
    expect(called('Update campaign')).toHaveLength(0);
    expect(called('Create campaign')).toHaveLength(0);
    expect(called('Get live version metrics')[0]!.input).toEqual({ SolutionVersionArn: LIVE_VERSION });
    const rejection = String(called('Notify rejected version')[0]!.input.Message);
    expect(rejection).toContain('0.1');
    expect(rejection).toContain('0.2');
    expect(rejection).toContain('normalized_discounted_cumulative_gain_at_10');
    expect(String(called('Notify success')[0]!.input.Message)).toContain('"outcome":"rejected"');
  });

  it('fails and notifies the reason when training fails', async () => {
    // Act
    const { outcome, called } = await run({ campaignExists: false, training: 'CREATE FAILED', newMetric: 0 });

    // Assess
    expect(outcome.ok).toBe(false);
    expect(called('Get new version metrics')).toHaveLength(0);
    expect(called('Create campaign')).toHaveLength(0);
    const failure = String(called('Notify failure')[0]!.input.Message);
    expect(failure).toContain('SolutionVersionFailed');
    expect(failure).toContain('fewer than 25 users');
    expect(called('Notify success')).toHaveLength(0);
  });

  it('stops before any import when the data is invalid', async () => {
    // Act
    const { outcome, called } = await run({
      dataValid: false,
      campaignExists: false,
      training: 'ACTIVE',
      newMetric: 0,
    });

    // Assess
    expect(outcome.ok).toBe(false);
    expect(called('Create import job')).toHaveLength(0);
    expect(called('Create solution version')).toHaveLength(0);
    expect(called('Train local model')).toHaveLength(0);
    expect(String(called('Notify invalid data')[0]!.input.Message)).toContain('"error":2');
  });

  it('deletes a campaign left in CREATE FAILED, waits until it is gone, and creates it again', async () => {
    // Act
    const { outcome, called } = await run({
      campaignExists: true,
      liveStatus: 'CREATE FAILED',
      training: 'ACTIVE',
      newMetric: 0.2,
      liveMetric: 0.3,
    });

    // Assess
    expect(outcome.ok).toBe(true);
    // The failed campaign's version is never compared with: it never served.
    expect(called('Get live version metrics')).toHaveLength(0);
    expect(called('Update campaign')).toHaveLength(0);
    expect(called('Delete failed campaign')[0]!.input).toEqual({
      CampaignArn: `${ACCOUNT}:campaign/p-user-personalization-dev`,
    });
    expect(called('Describe deleted campaign')).toHaveLength(3);
    expect(called('Create campaign')[0]!.input).toMatchObject({ SolutionVersionArn: NEW_VERSION });
    expect(String(called('Notify success')[0]!.input.Message)).toContain('"outcome":"created"');
  });

  it('lets the Personalize branch finish when the local model fails, then notifies the failure', async () => {
    // Act
    const { outcome, called } = await run({
      campaignExists: true,
      training: 'ACTIVE',
      newMetric: 0.2,
      liveMetric: 0.19,
      localModelError: serviceError('RangeError', 'Invalid array length'),
    });

    // Assess
    expect(outcome.ok).toBe(false);
    expect(called('Update campaign')[0]!.input).toMatchObject({ SolutionVersionArn: NEW_VERSION });
    expect(called('Describe updated campaign').length).toBeGreaterThan(0);
    const message = String(called('Notify local model failure')[0]!.input.Message);
    expect(message).toContain('RangeError');
    expect(message).toContain('Invalid array length');
    expect(message).toContain('"outcome":"updated"');
    expect(called('Notify success')).toHaveLength(0);
    expect(called('Notify failure')).toHaveLength(0);
  });

  it('steps aside with a notification while an older run is in progress', async () => {
    // Act: this run (newest) and an older one, as an upload marker during a scheduled retrain.
    const { outcome, called } = await run({
      running: [SELF, OTHER],
      campaignExists: true,
      training: 'ACTIVE',
      newMetric: 0.2,
    });

    // Assess
    expect(outcome.ok).toBe(true);
    expect(called('List running executions')[0]!.input).toEqual({
      StateMachineArn: MACHINE,
      StatusFilter: 'RUNNING',
    });
    expect(called('Validate data')).toHaveLength(0);
    expect(called('Create import job')).toHaveLength(0);
    const message = String(called('Notify overlapping run')[0]!.input.Message);
    expect(message).toContain('run-1');
    expect(message).toContain(OTHER);
    expect(called('Notify success')).toHaveLength(0);
  });

  it('goes on when it is the oldest of the running executions', async () => {
    // Act: a newer run started meanwhile (it will step aside itself).
    const { outcome, called } = await run({
      running: [OTHER.replace('run-0', 'run-2'), SELF],
      campaignExists: false,
      training: 'ACTIVE',
      newMetric: 0.2,
    });

    // Assess
    expect(outcome.ok).toBe(true);
    expect(called('Notify overlapping run')).toHaveLength(0);
    expect(called('Create import job')).toHaveLength(1);
    expect(called('Notify success')).toHaveLength(1);
  });
});
