/**
 * The CLI as a real process with no mock of Personalize: the local server's control plane as the Personalize
 * endpoint (`AWS_ENDPOINT_URL_PERSONALIZE`, which SDK v3 prefers to `AWS_ENDPOINT_URL`), moto_server as S3 and
 * CloudFormation, and the local control plane reading and writing that same moto S3. The CLI polls job status
 * every 5 s at first, hence the generous timeouts (no assertion is on time).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  ListDatasetImportJobsCommand,
} from '@aws-sdk/client-personalize';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { STACK_OUTPUTS } from '../../src/config/stack-outputs.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { DEFAULT_SCHEMA_DIR } from '../../src/schemas/index.ts';
import { type MotoServer, startMotoServer } from '../helpers/moto-server.ts';
import { runScript } from '../helpers/run-script.ts';
import { startTestServer, type TestServer, waitFor } from '../local-personalize/server.ts';

const STACK = 'e2e-local-personalize';
const GROUP = 'cli-e2e';
const DATASETS = { interactions: 'Interactions', items: 'Items', users: 'Users' } as const;
type Dataset = keyof typeof DATASETS;

let moto: MotoServer;
let server: TestServer;
let dir: string;
let bucket: string;
let env: Record<string, string>;
let solutionArn: string;
let datasetGroupArn: string;

const cli = (...args: string[]) => runScript('cli', ...args, { env });

/** A solution of `recipeArn` in the test's dataset group with an ACTIVE version; its ARN. */
async function trainedSolution(name: string, recipeArn: string): Promise<string> {
  const cp = server.personalize;
  const { solutionArn } = await cp.send(new CreateSolutionCommand({ name, datasetGroupArn, recipeArn }));
  await waitFor(
    () => cp.send(new DescribeSolutionCommand({ solutionArn })),
    (r) => r.solution?.status === 'ACTIVE',
  );
  const { solutionVersionArn } = await cp.send(new CreateSolutionVersionCommand({ solutionArn }));
  const version = await waitFor(
    () => cp.send(new DescribeSolutionVersionCommand({ solutionVersionArn })),
    (r) => ['ACTIVE', 'CREATE FAILED'].includes(r.solutionVersion?.status ?? ''),
  );
  expect(version.solutionVersion?.failureReason).toBeUndefined();
  return solutionArn!;
}

/** The data stack's outputs as the CDK stacks export them, pointing at resources of the local control plane. */
function template(outputs: Record<string, string>): string {
  return JSON.stringify({
    Resources: { DataBucket: { Type: 'AWS::S3::Bucket' } },
    Outputs: {
      [STACK_OUTPUTS.dataBucketName]: { Value: { Ref: 'DataBucket' } },
      [STACK_OUTPUTS.batchInputPrefix]: {
        Value: { 'Fn::Join': ['', ['s3://', { Ref: 'DataBucket' }, '/batch/input/']] },
      },
      [STACK_OUTPUTS.batchOutputPrefix]: {
        Value: { 'Fn::Join': ['', ['s3://', { Ref: 'DataBucket' }, '/batch/output/']] },
      },
      ...Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { Value: value }])),
    },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-local-personalize-'));
  moto = await startMotoServer();
  server = await startTestServer({ s3Endpoint: moto.endpoint });
  await generateDataset({ outDir: dir, interactions: 3000, users: 100, items: 60, seed: 5 });
  const cp = server.personalize;
  ({ datasetGroupArn } = (await cp.send(new CreateDatasetGroupCommand({ name: GROUP }))) as {
    datasetGroupArn: string;
  });
  await waitFor(
    () => cp.send(new DescribeDatasetGroupCommand({ datasetGroupArn })),
    (r) => r.datasetGroup?.status === 'ACTIVE',
  );
  const datasetArns = {} as Record<Dataset, string>;
  for (const [type, datasetType] of Object.entries(DATASETS) as [Dataset, string][]) {
    const { schemaArn } = await cp.send(
      new CreateSchemaCommand({
        name: `${GROUP}-${type}`,
        schema: await readFile(join(DEFAULT_SCHEMA_DIR, `${type}.json`), 'utf8'),
      }),
    );
    const { datasetArn } = await cp.send(
      new CreateDatasetCommand({ name: `${GROUP}-${type}`, schemaArn, datasetGroupArn, datasetType }),
    );
    await waitFor(
      () => cp.send(new DescribeDatasetCommand({ datasetArn })),
      (r) => r.dataset?.status === 'ACTIVE',
    );
    datasetArns[type] = datasetArn!;
  }
  ({ solutionArn } = (await cp.send(
    new CreateSolutionCommand({
      name: `${GROUP}-up`,
      datasetGroupArn,
      recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization',
    }),
  )) as { solutionArn: string });
  const cloudFormation = new CloudFormationClient(moto.clientConfig);
  await cloudFormation.send(
    new CreateStackCommand({
      StackName: STACK,
      TemplateBody: template({
        [STACK_OUTPUTS.personalizeRoleArn]: 'arn:aws:iam::000000000000:role/personalize',
        [STACK_OUTPUTS.datasetGroupArn]: datasetGroupArn,
        [STACK_OUTPUTS.interactionsDatasetArn]: datasetArns.interactions,
        [STACK_OUTPUTS.itemsDatasetArn]: datasetArns.items,
        [STACK_OUTPUTS.usersDatasetArn]: datasetArns.users,
        [STACK_OUTPUTS.userPersonalizationSolutionArn]: solutionArn,
      }),
    }),
  );
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: STACK }));
  bucket = Stacks![0]!.Outputs!.find((o) => o.OutputKey === STACK_OUTPUTS.dataBucketName)!.OutputValue!;
  cloudFormation.destroy();
  const endpoint = await server.personalize.config.endpoint!();
  env = { ...moto.env, AWS_ENDPOINT_URL_PERSONALIZE: `http://127.0.0.1:${endpoint.port}` };
});

afterAll(async () => {
  await server?.stop();
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('CLI against the local Personalize control plane and moto S3', () => {
  it('upload-data --trigger jobs --wait imports every dataset through the control plane', async () => {
    const { code, stdout, stderr } = await cli(
      'upload-data',
      ...Object.keys(DATASETS).flatMap((d) => [`--${d}`, join(dir, `${d}.csv`)]),
      '--stack',
      STACK,
      '--trigger',
      'jobs',
      '--wait',
      '--quiet',
    );
    expect(stderr).not.toMatch(/personalize-toolkit:/);
    expect(code).toBe(EXIT_CODES.ok);
    for (const dataset of Object.keys(DATASETS)) {
      expect(stdout).toMatch(new RegExp(`${dataset} import job: arn:aws:personalize:\\S+ ACTIVE`));
    }
    const { datasetImportJobs } = await server.personalize.send(new ListDatasetImportJobsCommand({}));
    expect(datasetImportJobs?.map((j) => j.status)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
  }, 120_000);

  it('batch-inference runs a job on the trained version and exports its output; export reads it from S3', async () => {
    const { solutionVersionArn } = await server.personalize.send(
      new CreateSolutionVersionCommand({ solutionArn }),
    );
    const version = await waitFor(
      () => server.personalize.send(new DescribeSolutionVersionCommand({ solutionVersionArn })),
      (r) => ['ACTIVE', 'CREATE FAILED'].includes(r.solutionVersion?.status ?? ''),
    );
    expect(version.solutionVersion?.failureReason).toBeUndefined();
    const output = join(dir, 'batch');
    const exported = join(dir, 'recommendations.csv');

    const job = await cli(
      'batch-inference',
      '--recipe',
      'user-personalization',
      '--users',
      join(dir, 'users.csv'),
      '--num-results',
      '5',
      '--stack',
      STACK,
      '--job-name',
      'cli-e2e-job',
      '--output',
      output,
      '--export',
      exported,
      '--quiet',
    );
    expect(job.stderr).not.toMatch(/personalize-toolkit:/);
    expect(job.code).toBe(EXIT_CODES.ok);
    expect(job.stdout).toMatch(/job arn:aws:personalize:\S+:batch-inference-job\/cli-e2e-job ACTIVE/);
    const users = (await readFile(join(dir, 'users.csv'), 'utf8')).trim().split('\n').length - 1;
    const rows = (await readFile(exported, 'utf8')).trim().split('\n');
    expect(rows[0]).toBe('USER_ID,RANK,ITEM_ID,SCORE');
    expect(rows).toHaveLength(1 + users * 5);

    const s3 = new S3Client(moto.clientConfig);
    const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'batch/output/' }));
    s3.destroy();
    const outKey = Contents?.map((o) => o.Key!).find((k) => k.endsWith('.out'));
    expect(outKey).toBeDefined();
    const again = join(dir, 'again.csv');
    const fromS3 = await cli('export', '--input', `s3://${bucket}/${outKey}`, '--output', again, '--quiet');
    expect(fromS3.code).toBe(EXIT_CODES.ok);
    expect(await readFile(again, 'utf8')).toBe(await readFile(exported, 'utf8'));
  }, 120_000);
  it('batch-segment runs Item-Affinity and Item-Attribute-Affinity jobs and exports users per segment', async () => {
    const byItem = await trainedSolution(
      `${GROUP}-item-affinity`,
      'arn:aws:personalize:::recipe/aws-item-affinity',
    );
    const byAttributes = await trainedSolution(
      `${GROUP}-attribute-affinity`,
      'arn:aws:personalize:::recipe/aws-item-attribute-affinity',
    );
    const common = ['--num-results', '3', '--stack', STACK, '--quiet'];

    const itemsCsv = join(dir, 'segments-by-item.csv');
    const items = await cli(
      'batch-segment',
      '--item-ids',
      join(dir, 'items.csv'),
      '--solution',
      byItem,
      '--job-name',
      'cli-e2e-segment-items',
      '--output',
      join(dir, 'segment-items'),
      '--export',
      itemsCsv,
      ...common,
    );
    expect(items.stderr).not.toMatch(/personalize-toolkit:/);
    expect(items.code).toBe(EXIT_CODES.ok);
    expect(items.stdout).toMatch(
      /job arn:aws:personalize:\S+:batch-segment-job\/cli-e2e-segment-items ACTIVE/,
    );
    const itemCount = (await readFile(join(dir, 'items.csv'), 'utf8')).trim().split('\n').length - 1;
    const itemRows = (await readFile(itemsCsv, 'utf8')).trim().split('\n');
    expect(itemRows[0]).toBe('INPUT_ITEM_ID,RANK,USER_ID,SCORE');
    expect(itemRows).toHaveLength(1 + itemCount * 3);

    const attributesCsv = join(dir, 'segments-by-attributes.csv');
    const attributes = await cli(
      'batch-segment',
      '--item-attributes',
      'ITEMS.CATEGORY = "books"',
      '--item-attributes',
      'ITEMS.CATEGORY = "electronics" AND ITEMS.BRAND = "no-such-brand"',
      '--solution',
      byAttributes,
      '--job-name',
      'cli-e2e-segment-attributes',
      '--output',
      join(dir, 'segment-attributes'),
      '--export',
      attributesCsv,
      '--errors',
      join(dir, 'segment-errors.jsonl'),
      ...common,
    );
    expect(attributes.stderr).not.toMatch(/personalize-toolkit:/);
    expect(attributes.stdout).toMatch(/batch-segment-job\/cli-e2e-segment-attributes ACTIVE/);
    const attributeRows = (await readFile(attributesCsv, 'utf8')).trim().split('\n');
    expect(attributeRows[0]).toBe('ITEM_ATTRIBUTES,RANK,USER_ID,SCORE');
    expect(attributeRows.slice(1).map((row) => row.split(',').slice(0, 2).join(','))).toEqual([
      '"ITEMS.CATEGORY = ""books""",1',
      '"ITEMS.CATEGORY = ""books""",2',
      '"ITEMS.CATEGORY = ""books""",3',
    ]);
    const setAside = await readFile(join(dir, 'segment-errors.jsonl'), 'utf8');
    expect(setAside).toMatch(/no item has these attributes/);
  }, 180_000);
});
