/**
 * The README's walk-through with the AWS CLI itself (a Python process, botocore's own serializers and parsers)
 * against the local server: create → import → train → metrics → campaign → recommendations → batch inference
 * and segment jobs → delete.
 * Skipped, and said so, where the `aws` command is not installed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/datagen/index.ts';
import { DEFAULT_SCHEMA_DIR } from '../../src/schemas/index.ts';
import { startTestServer, type TestServer } from '../local-personalize/server.ts';

const A = 'arn:aws:personalize:us-east-1:000000000000';
const ROLE = 'arn:aws:iam::000000000000:role/personalize';

function awsInstalled(): boolean {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let server: TestServer;
let env: NodeJS.ProcessEnv;

/** Runs `aws <args>` and parses its JSON answer (`{}` when it prints nothing, as deletes do). */
async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)('aws', [...args, '--output', 'json'], { env });
  return stdout.trim() === '' ? {} : JSON.parse(stdout);
}

/** Describes until the status at `member` is ACTIVE (fails on CREATE FAILED, naming the reason). */
async function active(member: string, ...describe: string[]): Promise<Record<string, unknown>> {
  for (let i = 0; i < 300; i++) {
    const resource = (await aws(...describe))[member] as { status: string; failureReason?: string };
    if (resource.status === 'ACTIVE') return resource;
    expect(resource.failureReason ?? '', `${member} failed`).toBe('');
    await sleep(100);
  }
  throw new Error(`${member} did not become ACTIVE`);
}

/** Runs a delete once the previous one finished (the CLI answers before the resource is gone). */
async function deleteWhenFree(...args: string[]): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      await aws(...args);
      return;
    } catch (error) {
      if (!String((error as { stderr?: string }).stderr).includes('ResourceInUseException')) throw error;
      await sleep(100);
    }
  }
}

describe.skipIf(!awsInstalled())('AWS CLI walk-through against the local server', () => {
  beforeAll(async () => {
    server = await startTestServer();
    await generateDataset({ outDir: join(server.s3Dir, 'demo-bucket', 'shop'), interactions: 3000, seed: 8 });
    const endpoint = await server.personalize.config.endpoint!();
    env = {
      PATH: process.env.PATH,
      HOME: server.root,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: `http://127.0.0.1:${endpoint.port}`,
    };
  });
  afterAll(() => server?.stop());

  it('creates, imports, trains, serves, runs a batch job and deletes, every answer shaped as the service’s', async () => {
    const group = await aws('personalize', 'create-dataset-group', '--name', 'shop');
    await aws(
      'personalize',
      'create-schema',
      '--name',
      'shop-interactions',
      '--schema',
      `file://${join(DEFAULT_SCHEMA_DIR, 'interactions.json')}`,
    );
    await aws(
      'personalize',
      'create-dataset',
      '--name',
      'shop-interactions',
      '--dataset-type',
      'Interactions',
      '--dataset-group-arn',
      `${A}:dataset-group/shop`,
      '--schema-arn',
      `${A}:schema/shop-interactions`,
    );
    await aws(
      'personalize',
      'create-dataset-import-job',
      '--job-name',
      'shop-import-1',
      '--role-arn',
      ROLE,
      '--dataset-arn',
      `${A}:dataset/shop/INTERACTIONS`,
      '--data-source',
      'dataLocation=s3://demo-bucket/shop/interactions.csv',
    );
    const imported = await active(
      'datasetImportJob',
      'personalize',
      'describe-dataset-import-job',
      '--dataset-import-job-arn',
      `${A}:dataset-import-job/shop-import-1`,
    );
    await aws(
      'personalize',
      'create-solution',
      '--name',
      'shop-up',
      '--dataset-group-arn',
      `${A}:dataset-group/shop`,
      '--recipe-arn',
      'arn:aws:personalize:::recipe/aws-user-personalization',
    );
    const { solutionVersionArn } = (await aws(
      'personalize',
      'create-solution-version',
      '--solution-arn',
      `${A}:solution/shop-up`,
    )) as { solutionVersionArn: string };
    await active(
      'solutionVersion',
      'personalize',
      'describe-solution-version',
      '--solution-version-arn',
      solutionVersionArn,
    );
    const { metrics } = (await aws(
      'personalize',
      'get-solution-metrics',
      '--solution-version-arn',
      solutionVersionArn,
    )) as { metrics: Record<string, number> };
    await aws(
      'personalize',
      'create-campaign',
      '--name',
      'shop-campaign',
      '--solution-version-arn',
      solutionVersionArn,
    );
    await active(
      'campaign',
      'personalize',
      'describe-campaign',
      '--campaign-arn',
      `${A}:campaign/shop-campaign`,
    );
    const answer = (await aws(
      'personalize-runtime',
      'get-recommendations',
      '--campaign-arn',
      `${A}:campaign/shop-campaign`,
      '--user-id',
      'u1',
      '--num-results',
      '3',
    )) as { itemList: { itemId: string; score: number }[]; recommendationId: string };
    mkdirSync(join(server.s3Dir, 'demo-bucket', 'batch'), { recursive: true });
    writeFileSync(join(server.s3Dir, 'demo-bucket/batch/users.json'), '{"userId":"u1"}\n{"userId":"u2"}\n');
    await aws(
      'personalize',
      'create-batch-inference-job',
      '--job-name',
      'shop-batch',
      '--solution-version-arn',
      solutionVersionArn,
      '--num-results',
      '3',
      '--role-arn',
      ROLE,
      '--job-input',
      's3DataSource={path=s3://demo-bucket/batch/users.json}',
      '--job-output',
      's3DataDestination={path=s3://demo-bucket/batch/out/}',
    );
    await active(
      'batchInferenceJob',
      'personalize',
      'describe-batch-inference-job',
      '--batch-inference-job-arn',
      `${A}:batch-inference-job/shop-batch`,
    );
    const batchLines = readFileSync(join(server.s3Dir, 'demo-bucket/batch/out/users.json.out'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    await aws(
      'personalize',
      'create-solution',
      '--name',
      'shop-affinity',
      '--dataset-group-arn',
      `${A}:dataset-group/shop`,
      '--recipe-arn',
      'arn:aws:personalize:::recipe/aws-item-affinity',
    );
    const segmentVersion = (await aws(
      'personalize',
      'create-solution-version',
      '--solution-arn',
      `${A}:solution/shop-affinity`,
    )) as { solutionVersionArn: string };
    await active(
      'solutionVersion',
      'personalize',
      'describe-solution-version',
      '--solution-version-arn',
      segmentVersion.solutionVersionArn,
    );
    writeFileSync(join(server.s3Dir, 'demo-bucket/batch/items.json'), '{"itemId":"i1"}\n');
    await aws(
      'personalize',
      'create-batch-segment-job',
      '--job-name',
      'shop-segment',
      '--solution-version-arn',
      segmentVersion.solutionVersionArn,
      '--num-results',
      '3',
      '--role-arn',
      ROLE,
      '--job-input',
      's3DataSource={path=s3://demo-bucket/batch/items.json}',
      '--job-output',
      's3DataDestination={path=s3://demo-bucket/batch/out/}',
    );
    await active(
      'batchSegmentJob',
      'personalize',
      'describe-batch-segment-job',
      '--batch-segment-job-arn',
      `${A}:batch-segment-job/shop-segment`,
    );
    const segmentLines = readFileSync(join(server.s3Dir, 'demo-bucket/batch/out/items.json.out'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));

    await deleteWhenFree('personalize', 'delete-campaign', '--campaign-arn', `${A}:campaign/shop-campaign`);
    await deleteWhenFree('personalize', 'delete-solution', '--solution-arn', `${A}:solution/shop-up`);
    await deleteWhenFree('personalize', 'delete-solution', '--solution-arn', `${A}:solution/shop-affinity`);
    await deleteWhenFree('personalize', 'delete-dataset', '--dataset-arn', `${A}:dataset/shop/INTERACTIONS`);
    await deleteWhenFree(
      'personalize',
      'delete-dataset-group',
      '--dataset-group-arn',
      `${A}:dataset-group/shop`,
    );
    await deleteWhenFree('personalize', 'delete-schema', '--schema-arn', `${A}:schema/shop-interactions`);
    const groups = (await aws('personalize', 'list-dataset-groups')) as { datasetGroups: unknown[] };

    expect(group).toEqual({ datasetGroupArn: `${A}:dataset-group/shop` });
    expect(imported).toMatchObject({ importMode: 'FULL', status: 'ACTIVE' });
    expect(typeof imported.creationDateTime).toBe('number');
    expect(metrics.normalized_discounted_cumulative_gain_at_10).toBeGreaterThan(0);
    expect(answer.itemList).toHaveLength(3);
    for (const { score } of answer.itemList) {
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    expect(answer.recommendationId.length).toBeGreaterThan(0);
    expect(batchLines).toHaveLength(2);
    expect(batchLines[0]).toMatchObject({ input: { userId: 'u1' }, error: null });
    expect(batchLines[0].output.recommendedItems).toHaveLength(3);
    expect(segmentLines).toEqual([
      { input: { itemId: 'i1' }, output: { recommendedUsers: expect.any(Array) }, error: null },
    ]);
    expect(segmentLines[0].output.recommendedUsers).toHaveLength(3);
    expect(groups.datasetGroups).toEqual([]);
  }, 180_000);
});
