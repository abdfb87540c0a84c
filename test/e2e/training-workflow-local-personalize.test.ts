/**
 * The training state machine as the CDK app synthesizes it, executed by aws-local-stepfunctions with nothing
 * faked: every `aws-sdk:personalize:*` Task goes through the real SDK to the local control plane (one generic
 * forwarder), the Lambda Tasks run the project's own handlers against moto S3 and the control plane, the S3
 * Task writes to moto, and only SNS publishes are captured.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  DescribeCampaignCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeSolutionCommand,
  GetSolutionMetricsCommand,
  ListDatasetImportJobsCommand,
  ListSolutionVersionsCommand,
} from '@aws-sdk/client-personalize';
import { GetRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Stage } from 'aws-cdk-lib';
import { StateMachine } from 'aws-local-stepfunctions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_ENV } from '../../src/config/lambda-env.ts';
import { seededRandom } from '../../src/core/seeded-random.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { DEFAULT_SCHEMA_DIR } from '../../src/schemas/index.ts';
import { stateMachineDefinition } from '../cdk/definition.ts';
import { trainingWorkflowStack } from '../cdk/training-workflow-stack.ts';
import { type MotoServer, startMotoServer } from '../helpers/moto-server.ts';
import { startTestServer, type TestServer, waitFor } from '../local-personalize/server.ts';
import { isPersonalizeTask, personalizeTaskHandler } from './sfn-sdk-forwarder.ts';

type Json = Record<string, unknown>;
type Handler = (input: unknown) => Promise<unknown>;

// The names the workflow stack fixture deploys (test/cdk/training-workflow-stack.ts); lookups ignore the account.
const BUCKET = 'data-bucket';
const GROUP = 'p-dsg-dev';
const SOLUTION = 'p-user-personalization-dev-abc';
const CAMPAIGN_ARN = 'arn:aws:personalize:us-east-1:123456789012:campaign/p-user-personalization-dev';
const WAITS = ['Import Wait', 'Training Wait', 'New campaign Wait', 'Campaign update Wait'];
const MODEL_KEY = 'models/local/model.bin';

let moto: MotoServer;
let server: TestServer;
let s3: S3Client;
let dir: string;
let definition: Json;
let handlers: Record<string, Handler>;
let published: { Subject?: string; Message?: string }[];
/** Executions of the state machine that are RUNNING: the one under test, run one at a time. */
let running: string[] = [];

/** Every Task state of the definition (Map and Parallel bodies included), by name, with its Resource. */
function taskStates(states: Json): [string, string][] {
  return Object.entries(states).flatMap(([name, state]) => {
    const s = state as Json & { ItemProcessor?: Json; Iterator?: Json; Branches?: Json[] };
    const nested = [s.ItemProcessor, s.Iterator, ...(s.Branches ?? [])].filter(Boolean) as Json[];
    return [
      ...(s.Type === 'Task' ? [[name, String(s.Resource)] as [string, string]] : []),
      ...nested.flatMap((n) => taskStates(n.States as Json)),
    ];
  });
}

/** Handlers per Task state: Personalize through the forwarder, Lambdas by their function name, S3 and SNS. */
async function taskHandlers(): Promise<Record<string, Handler>> {
  const lambdas: Record<string, Handler> = {
    validate: (await import('../../lambdas/workflow/validate-data.ts')).handler as Handler,
    'train-local': (await import('../../lambdas/workflow/train-local-model.ts')).handler as Handler,
    'metric-gate': (await import('../../lambdas/workflow/metric-gate.ts')).handler as Handler,
  };
  const handlerOf = (resource: string): Handler => {
    if (isPersonalizeTask(resource)) return personalizeTaskHandler(resource, server.personalize);
    const fn = /^arn:aws:lambda:[^:]+:\d+:function:(.+)$/.exec(resource)?.[1];
    if (fn !== undefined && lambdas[fn]) return lambdas[fn];
    if (resource === 'arn:aws:states:::aws-sdk:s3:putObject') {
      // S3's SDK input members are PascalCase already, as Step Functions passes them.
      return async (input) => {
        const { ETag } = await s3.send(new PutObjectCommand(input as never));
        return { ETag };
      };
    }
    if (resource === 'arn:aws:states:::aws-sdk:sfn:listExecutions') {
      return async () => ({ Executions: running.map((ExecutionArn) => ({ ExecutionArn })) });
    }
    if (resource === 'arn:aws:states:::sns:publish') {
      return async (input) => {
        published.push(input as { Subject?: string; Message?: string });
        return { MessageId: String(published.length) };
      };
    }
    throw new Error(`no local handler for Task resource ${resource}`);
  };
  return Object.fromEntries(
    taskStates(definition.States as Json).map(([name, resource]) => [name, handlerOf(resource)]),
  );
}

/** Puts a run's interactions file and its `_READY` marker under `import/<run>/`, and runs the workflow. */
async function run(name: string, interactions: string) {
  const prefix = `import/${name}/`;
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}interactions.csv`, Body: interactions }),
  );
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}_READY`, Body: '' }));
  return execute(name, { objectKey: `${prefix}_READY` });
}

/** Runs the state machine on `input`, capturing what it publishes to SNS. */
async function execute(name: string, input: Json) {
  published = [];
  running = [name];
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      waitTimeOverrides: Object.fromEntries(WAITS.map((w) => [w, 10])),
    },
    context: {
      Execution: { Name: name, Id: name, StartTime: new Date().toISOString() },
      StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:personalize-dev-training' },
    },
  });
  const outcome = await execution.result.then(
    (result: unknown) => ({ ok: true as const, result }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const subjects = published.map((p) => p.Subject);
  return { outcome, subjects, messages: published.map((p) => String(p.Message)) };
}

/**
 * The generated interactions with the item of a `share` of the rows drawn uniformly from the catalogue: 1 leaves
 * neither preference nor popularity to learn, less keeps part of the signal.
 */
async function noisyInteractions(share: number, seed: number): Promise<string> {
  const [header, ...rows] = (await readFile(join(dir, 'interactions.csv'), 'utf8')).trim().split('\n');
  const cells = rows.map((r) => r.split(','));
  const catalogue = [...new Set(cells.map((c) => c[1]!))].sort();
  const random = seededRandom(seed);
  const noisy = cells.map((c) =>
    random() < share
      ? [c[0], catalogue[Math.floor(random() * catalogue.length)], ...c.slice(2)].join(',')
      : c.join(','),
  );
  return `${[header, ...noisy].join('\n')}\n`;
}

const ndcgAt10 = async (solutionVersionArn: string | undefined) =>
  (await server.personalize.send(new GetSolutionMetricsCommand({ solutionVersionArn }))).metrics
    ?.normalized_discounted_cumulative_gain_at_10;

const liveVersion = async () =>
  (await server.personalize.send(new DescribeCampaignCommand({ campaignArn: CAMPAIGN_ARN }))).campaign
    ?.solutionVersionArn;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workflow-local-personalize-'));
  moto = await startMotoServer();
  server = await startTestServer({ s3Endpoint: moto.endpoint });
  s3 = new S3Client(moto.clientConfig);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  // Enough users (10% of them are test users) that the offline metrics tell clean, noisy and random data apart.
  await generateDataset({ outDir: dir, interactions: 12_000, users: 400, items: 60, seed: 21 });

  // What the CDK data stack deploys before the first run: group, schema, dataset, solution.
  const cp = server.personalize;
  const { datasetGroupArn } = await cp.send(new CreateDatasetGroupCommand({ name: GROUP }));
  await waitFor(
    () => cp.send(new DescribeDatasetGroupCommand({ datasetGroupArn })),
    (r) => r.datasetGroup?.status === 'ACTIVE',
  );
  const { schemaArn } = await cp.send(
    new CreateSchemaCommand({
      name: `${GROUP}-interactions`,
      schema: await readFile(join(DEFAULT_SCHEMA_DIR, 'interactions.json'), 'utf8'),
    }),
  );
  const { datasetArn } = await cp.send(
    new CreateDatasetCommand({
      name: `${GROUP}-interactions`,
      schemaArn,
      datasetGroupArn,
      datasetType: 'Interactions',
    }),
  );
  await waitFor(
    () => cp.send(new DescribeDatasetCommand({ datasetArn })),
    (r) => r.dataset?.status === 'ACTIVE',
  );
  const { solutionArn } = await cp.send(
    new CreateSolutionCommand({
      name: SOLUTION,
      datasetGroupArn,
      recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization',
    }),
  );
  await waitFor(
    () => cp.send(new DescribeSolutionCommand({ solutionArn })),
    (r) => r.solution?.status === 'ACTIVE',
  );

  // The Lambdas read their settings and AWS endpoints from the environment when their modules load.
  const endpoint = await cp.config.endpoint!();
  Object.assign(process.env, {
    ...moto.env,
    AWS_ENDPOINT_URL_PERSONALIZE: `http://127.0.0.1:${endpoint.port}`,
    [WORKFLOW_ENV.bucketName]: BUCKET,
    [WORKFLOW_ENV.importPrefix]: 'import/',
    [WORKFLOW_ENV.importMode]: 'FULL',
    [WORKFLOW_ENV.jobNamePrefix]: 'p-dev-',
    [WORKFLOW_ENV.datasetArns]: JSON.stringify({ interactions: datasetArn }),
    [WORKFLOW_ENV.schemaArns]: JSON.stringify({ interactions: schemaArn }),
    [WORKFLOW_ENV.modelArtifactKey]: MODEL_KEY,
  });
  const stack = trainingWorkflowStack({ tolerance: 0.01 });
  definition = stateMachineDefinition(stack);
  rmSync(Stage.of(stack)!.outdir, { recursive: true, force: true });
  handlers = await taskHandlers();
});

afterAll(async () => {
  s3?.destroy();
  await server?.stop();
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('Training workflow run locally against the local Personalize control plane and moto', () => {
  it('first run: imports, trains, reads metrics, creates the campaign, which then recommends', async () => {
    // A quarter of the rows noisy, so that the clean data of the third run is better data.
    const { outcome, subjects, messages } = await run('run-1', await noisyInteractions(0.25, 3));

    expect(outcome).toMatchObject({ ok: true });
    expect(subjects).toEqual(['Personalize training finished']);
    expect(messages[0]).toContain('"outcome":"created"');
    const { datasetImportJobs } = await server.personalize.send(new ListDatasetImportJobsCommand({}));
    expect(datasetImportJobs?.map((j) => j.status)).toEqual(['ACTIVE']);
    const { solutionVersions } = await server.personalize.send(new ListSolutionVersionsCommand({}));
    expect(solutionVersions?.map((v) => v.status)).toEqual(['ACTIVE']);
    expect(await liveVersion()).toBe(solutionVersions?.[0]?.solutionVersionArn);
    const latest = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'import/_LATEST' }));
    expect(await latest.Body!.transformToString()).toBe('import/run-1/');
    const model = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: MODEL_KEY }));
    expect((await model.Body!.transformToByteArray()).byteLength).toBeGreaterThan(0);
    const userId = (await readFile(join(dir, 'interactions.csv'), 'utf8')).split('\n')[1]!.split(',')[0]!;
    const answer = await server.runtime.send(
      new GetRecommendationsCommand({ campaignArn: CAMPAIGN_ARN, userId, numResults: 10 }),
    );
    expect(answer.itemList).toHaveLength(10);
  }, 180_000);

  it('second run with worse data: the metric gate keeps the campaign on the live version', async () => {
    const before = await liveVersion();

    // Every row's item drawn at random: worse than the live version's partly noisy data.
    const { outcome, subjects, messages } = await run('run-2', await noisyInteractions(1, 4));

    expect(outcome).toMatchObject({ ok: true });
    expect(subjects, messages.join('\n')).toEqual([
      'Personalize campaign kept on the live version',
      'Personalize training finished',
    ]);
    expect(messages[0]).toContain('normalized_discounted_cumulative_gain_at_10');
    expect(messages[1]).toContain('"outcome":"rejected"');
    const { solutionVersions } = await server.personalize.send(new ListSolutionVersionsCommand({}));
    expect(solutionVersions?.map((v) => v.status)).toEqual(['ACTIVE', 'ACTIVE']);
    expect(await liveVersion()).toBe(before);
  }, 180_000);

  it('third run with better (clean) data: the metric gate updates the campaign to the new version', async () => {
    const before = await liveVersion();

    const { outcome, subjects, messages } = await run(
      'run-3',
      await readFile(join(dir, 'interactions.csv'), 'utf8'),
    );

    expect(outcome).toMatchObject({ ok: true });
    expect(subjects, messages.join('\n')).toEqual(['Personalize training finished']);
    expect(messages[0]).toContain('"outcome":"updated"');
    const { solutionVersions } = await server.personalize.send(new ListSolutionVersionsCommand({}));
    expect(solutionVersions).toHaveLength(3);
    const after = await liveVersion();
    expect(after).not.toBe(before);
    expect(solutionVersions?.map((v) => v.solutionVersionArn)).toContain(after);
    expect(await ndcgAt10(after)).toBeGreaterThan((await ndcgAt10(before))!);
  }, 180_000);

  it('invalid data: the run stops before any import and says why', async () => {
    const [header, first, ...rows] = (await readFile(join(dir, 'interactions.csv'), 'utf8'))
      .trim()
      .split('\n');
    const broken = first!.replace(/,\d+,/, ',yesterday,');

    const { outcome, subjects, messages } = await run('run-4', `${[header, broken, ...rows].join('\n')}\n`);

    expect(outcome.ok).toBe(false);
    expect(subjects).toEqual(['Personalize training stopped: invalid data']);
    expect(messages[0]).toContain('"error":1');
    const { datasetImportJobs } = await server.personalize.send(new ListDatasetImportJobsCommand({}));
    expect(datasetImportJobs).toHaveLength(3);
  }, 60_000);

  it("the schedule's input: retrains on the last imported folder without importing again", async () => {
    const { solutionVersions: before } = await server.personalize.send(new ListSolutionVersionsCommand({}));

    const { outcome, subjects, messages } = await execute('scheduled', { skipImport: true });

    expect(outcome).toMatchObject({ ok: true });
    expect(subjects, messages.join('\n')).toEqual(['Personalize training finished']);
    const { datasetImportJobs } = await server.personalize.send(new ListDatasetImportJobsCommand({}));
    expect(datasetImportJobs).toHaveLength(3);
    const { solutionVersions } = await server.personalize.send(new ListSolutionVersionsCommand({}));
    expect(solutionVersions).toHaveLength((before?.length ?? 0) + 1);
    const latest = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'import/_LATEST' }));
    expect(await latest.Body!.transformToString()).toBe('import/run-3/');
  }, 180_000);
});
